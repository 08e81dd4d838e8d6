import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messageText, startSlackDesk, type SlackDesk } from './support.js';

let t: SlackDesk;
beforeEach(async () => {
  t = await startSlackDesk();
});
afterEach(async () => {
  await t.close();
});

describe('a ticket in Slack, end to end with the real Bolt App', () => {
  it('opens from /ticket new, posts the card to L1 and confirms to the requester', async () => {
    const sent = await t.sender.slashCommand({
      command: '/ticket',
      text: 'new Printer on fire --urgency high',
      user_id: 'U0EMP',
      channel_id: 'C0RANDOM',
    });
    expect(sent.status).toBe(200);
    const card = await t.slack.web.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0L1DESK');
    expect(messageText(card.args)).toContain('#1 Printer on fire');
    expect(JSON.stringify(card.args.blocks)).toContain('tierdesk:claim');
    // A fast command is answered in the ack itself, only to the caller.
    expect(sent.json).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/Ticket #1 opened \(P2, Help desk\)/) });
    const dm = await t.slack.web.waitForCall('chat.postMessage', (c) => String(c.args.channel).startsWith('D'));
    expect(messageText(dm.args)).toContain('Ticket #1: Printer on fire');
  });
});
