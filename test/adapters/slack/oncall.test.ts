import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pressButton } from './interactions.js';
import { ANN, SLACK_YAML, messageText, openTicket, startSlackDesk, type SlackDesk } from './support.js';

// On call from Slack: /oncall and its sub-commands, /ticket page, the page's Acknowledge button.
// L1 pages Ann (on call all week) through l1-default.
const YAML = `${SLACK_YAML.replace(
  'channels: { slack: C0L1DESK } }',
  'channels: { slack: C0L1DESK }, escalation_policy: l1-default, oncall_schedule: l1-primary }',
)}
schedules:
  l1-primary: { zone: UTC, layers: [ { name: all-week, users: [ann], start: "2024-06-01T00:00", turn: 1 week } ] }
escalation_policies:
  l1-default: { steps: [ { notify: { schedule: l1-primary } }, { wait: 5m }, { notify: { channel: L1 } } ] }
`;

let t: SlackDesk;
beforeEach(async () => {
  t = await startSlackDesk({ yaml: YAML });
});
afterEach(async () => {
  await t.close();
});

/** `/command text` typed by `user`; the answer shown to them. */
async function slash(command: string, text: string, user = ANN): Promise<string> {
  const sent = await t.sender.slashCommand({ command, text, user_id: user, channel_id: 'C0L1DESK' });
  const { reply } = await t.handled(sent.triggerId);
  await t.desk.dispatcher.drain();
  expect((sent.json as { text?: string } | undefined)?.text).toBeDefined(); // answered in the ack
  return reply?.text ?? '';
}

/** The page DM tierdesk sent for ticket `n`. */
async function pageMessage(n: number) {
  const page = await t.slack.web.waitForCall(
    'chat.postMessage',
    (c) => String(c.args.channel).startsWith('D') && messageText(c.args).includes(`Page: #${n}`),
  );
  const posted = page.response as { channel?: string; ts?: string };
  return { channel: String(posted.channel ?? page.args.channel), ts: String(posted.ts) };
}

const pageStatus = async (n: number) => (await t.db.selectFrom('pages').select('status').where('ticket', '=', n).executeTakeFirstOrThrow()).status;

describe('/oncall in Slack', () => {
  it('says who is on call for each tier, and a schedule’s week', async () => {
    expect(await slash('/oncall', '')).toMatch(/^L1 Help desk \(l1-primary\): Ann Agent/);
    const week = await slash('/oncall', 'schedule l1-primary');
    expect(week.split('\n')[1]).toMatch(/→ .*Ann Agent/);
    expect(await slash('/oncall', 'schedule nope')).toMatch(/There is no schedule "nope"/);
  });

  it('/ticket page N pages the on-call; the Acknowledge button on the page stops it', async () => {
    const ticket = await openTicket(t, 'Database down');
    expect(await slash('/ticket', `page ${ticket.number}`)).toMatch(/^Paging Help desk for #1/);

    const pressed = await pressButton(t, ANN, await pageMessage(ticket.number), 'ack');
    const { event, reply } = await t.handled(pressed.triggerId);

    expect(event).toMatchObject({ kind: 'action', action: 'ack', value: expect.stringMatching(/^1\b/) });
    expect(reply?.text).toMatch(/acknowledged the page for #1/);
    expect(await pageStatus(1)).toBe('acknowledged');
  });

  it('/oncall ack acknowledges the newest page for your tiers', async () => {
    const ticket = await openTicket(t, 'Mail is down');
    await slash('/ticket', `page ${ticket.number}`);

    expect(await slash('/oncall', 'ack')).toBe('You have acknowledged the page for #1.');
    expect(await pageStatus(1)).toBe('acknowledged');
    expect(await slash('/oncall', 'ack')).toBe('No page is waiting for your tiers.');
  });
});
