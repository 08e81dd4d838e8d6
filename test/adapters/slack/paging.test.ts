import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pressButton } from './interactions.js';
import { BOB, SLACK_YAML, messageText, openTicket, startSlackDesk, type SlackDesk } from './support.js';

// L2 pages Bob (on call all day) for any P1 escalated into it.
const YAML = `${SLACK_YAML.replace('channels: { slack: C0L2DESK } }', 'channels: { slack: C0L2DESK }, escalation_policy: l2-default }')}
schedules:
  l2-primary: { zone: UTC, layers: [ { name: all-day, users: [bob], start: "2024-06-01T00:00", turn: 1 week } ] }
escalation_policies:
  l2-default: { steps: [ { notify: { schedule: l2-primary } }, { wait: 5m }, { notify: { channel: L2 } } ] }
paging: { escalated_into: [P1] }
`;

let t: SlackDesk;
beforeEach(async () => {
  t = await startSlackDesk({ yaml: YAML });
});
afterEach(async () => {
  await t.close();
});

describe('a page in Slack', () => {
  it('reaches the person on call by DM with Acknowledge and Escalate, and the Acknowledge button stops it', async () => {
    const ticket = await openTicket(t, 'Database down --urgency high --impact high');
    const sent = await t.sender.slashCommand({
      command: '/ticket',
      text: `escalate ${ticket.number} needs a DBA`,
      user_id: 'U0ANN',
      channel_id: 'C0L1DESK',
    });
    await t.handled(sent.triggerId);
    await t.desk.dispatcher.drain();
    const page = await t.slack.web.waitForCall(
      'chat.postMessage',
      (c) => String(c.args.channel).startsWith('D') && messageText(c.args).includes('Page: #1'),
    );
    expect(JSON.stringify(page.args.blocks)).toContain('tierdesk:ack');
    expect(JSON.stringify(page.args.blocks)).toContain('tierdesk:pass');
    const posted = page.response as { channel?: string; ts?: string } | undefined;
    const dm = { channel: String(posted?.channel ?? page.args.channel), ts: String(posted?.ts) };
    const ack = await pressButton(t, BOB, dm, 'ack');
    const { reply } = await t.handled(ack.triggerId);
    expect(reply?.text).toMatch(/acknowledged the page for #1/);
    expect((await t.db.selectFrom('pages').select('status').executeTakeFirstOrThrow()).status).toBe('acknowledged');
    t.clock.advance(10 * 60_000);
    expect(await t.desk.scheduler.tick()).toBe(0);
  });
});
