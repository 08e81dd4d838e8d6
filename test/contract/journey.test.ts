import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleDriver } from './console-driver.js';
import { startDiscordDriver } from './discord-driver.js';
import type { DeskDriver } from './driver.js';
import { startSlackDriver } from './slack-driver.js';

// The contract every adapter passes: the same journey, told through each platform's own means
// (console lines, Slack modals and threads, Discord forms and private threads), ends the same way.

const DRIVERS: Array<[string, () => Promise<DeskDriver>]> = [
  ['console', startConsoleDriver],
  ['slack', startSlackDriver],
  ['discord', startDiscordDriver],
];

const WORDS = {
  requester: 'It is still smoking, and it smells of toast',
  note: 'Between us: this printer model is cursed',
  reply: 'Please switch it off at the wall and keep the tray closed',
  escalation: 'Needs a firmware fix from the vendor',
  resolution: 'Replaced the fuser and updated the firmware',
};

describe.each(DRIVERS)('the %s adapter', (_name, start) => {
  let d: DeskDriver;
  const answers: Array<string | undefined> = [];
  let number = 0;

  beforeAll(async () => {
    d = await start();
    number = await d.open('Printer on fire', 'high');
    answers.push(await d.claim('ann', number));
    answers.push(await d.requesterWrites(number, WORDS.requester));
    answers.push(await d.note('ann', number, WORDS.note));
    answers.push(await d.replyPublic('ann', number, WORDS.reply));
    answers.push(await d.escalate('ann', number, WORDS.escalation));
    answers.push(await d.claim('bob', number));
    answers.push(await d.resolve('bob', number, WORDS.resolution));
    answers.push(await d.confirm(number));
  });
  afterAll(async () => {
    await d.close();
  });

  it('ends with the same ticket: number, priority, status, tier, assignee', async () => {
    expect(await d.ticket(number)).toMatchObject({ number: 1, priority: 'P2', status: 'closed', tier: 'L2', assignee: 'bob' });
  });

  it('records the same history, in the same order', async () => {
    expect((await d.ticket(number)).history).toEqual([
      'opened',
      'claimed',
      'requester_message',
      'note',
      'replied',
      'escalated',
      'claimed',
      'resolved',
      'closed',
    ]);
  });

  it('answers each person the same', () => {
    expect(answers.map((a) => a?.replaceAll(d.requesterName, '<requester>'))).toEqual([
      'You have claimed #1.',
      undefined, // the requester's message needs no confirmation
      'Internal note added to #1 (agents only).',
      'Reply sent to <requester> on #1.',
      '#1 escalated from L1 to L2 Second level.',
      'You have claimed #1.',
      '#1 resolved. It closes by itself in 1 week unless <requester> reopens it.',
      'Thanks! #1 is closed.',
    ]);
  });

  it('the public reply and the resolution reached the requester; the note never did', () => {
    const saw = d.requesterSaw().join('\n');

    expect(saw).toContain('Ticket #1: Printer on fire');
    expect(saw).toContain(WORDS.reply);
    expect(saw).toContain(`Resolved: ${WORDS.resolution}`);
    expect(saw).not.toContain(WORDS.note);
    expect(saw).not.toContain('cursed');
    expect(saw).not.toContain(WORDS.escalation); // why it moved is for the agents
  });

  it("the requester's message and the note reached the L1 agents; L2 got its own card and the reason", () => {
    const l1 = d.agentsSaw('L1').join('\n');
    const l2 = d.agentsSaw('L2').join('\n');

    expect(l1).toContain('#1 Printer on fire');
    expect(l1).toContain(WORDS.requester);
    expect(l1).toContain(WORDS.note);
    expect(l1).toContain(`Escalated from L1 to L2 Second level by Ann Agent: ${WORDS.escalation}`);
    expect(l2).toContain('#1 Printer on fire');
    expect(l2).toContain(`Escalated from L1: ${WORDS.escalation}`);
    expect(l2).toContain(`Resolved: ${WORDS.resolution}`);
  });
});
