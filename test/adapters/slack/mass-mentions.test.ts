import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../fakes/slack-api/index.js';
import { actWithText, submitView, viewOpenedWith } from './interactions.js';
import { ANN, EMPLOYEE, GENERAL, startSlackDesk, ticketMessages, type SlackDesk } from './support.js';

// Users type Slack's mention markup; tierdesk reposts their words without pinging anyone
// (ARCHITECTURE.md seam 10): `<` and `>` go out escaped, a bare @here is neutralised.

const MENTIONS = 'Ping <!channel> <!here> <!everyone> <@U0ANN> <!subteam^S0DESK> @here @channel';
/** Live mention markup, or a bare @here/@channel/@everyone with nothing in between. */
const LIVE = [/<!channel>/, /<!here>/, /<!everyone>/, /<@U0ANN>/, /<!subteam\^/, /(^|[^\u200B\w])@(here|channel|everyone)\b/];

let t: SlackDesk;
beforeEach(async () => {
  t = await startSlackDesk();
});
afterEach(async () => {
  await t.close();
});

interface Shown {
  where: string;
  kind: 'text' | 'mrkdwn' | 'plain_text';
  text: string;
}

/** Every piece of text a call shows: the notification text, and each text object inside blocks or views. */
function shownBy(call: RecordedCall): Shown[] {
  const out: Shown[] = [];
  if (typeof call.args.text === 'string') out.push({ where: call.method, kind: 'text', text: call.args.text });
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') out.push({ where: call.method, kind: o.type, text: o.text });
    Object.values(o).forEach(walk);
  };
  walk(call.args.blocks);
  walk(call.args.view);
  return out;
}

function everythingShown(): Shown[] {
  const methods = ['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'views.publish'];
  const calls = t.slack.web.calls().filter((c) => methods.includes(c.method));
  const responses = t.slack.web.responses().map((r) => ({ where: 'response_url', kind: 'text' as const, text: String(r.body.text ?? '') }));
  return [...calls.flatMap(shownBy), ...responses];
}

/** A ticket whose title, description and conversation are full of mentions, worked through every path. */
async function mentionEverywhere() {
  const sent = await t.sender.slashCommand({ command: '/ticket', text: '', user_id: EMPLOYEE, channel_id: 'C0RANDOM' });
  const intake = await viewOpenedWith(t, sent.triggerId);
  await submitView(t, EMPLOYEE, intake, { title: MENTIONS.slice(0, 200), description: `${MENTIONS}\nsecond line ${MENTIONS}`, urgency: 'high' });
  await t.desk.dispatcher.drain();
  const ticket = await ticketMessages(t, 1);
  const dmReply = await t.sender.event({
    type: 'message',
    channel: ticket.dm.channel,
    user: EMPLOYEE,
    text: `reply ${MENTIONS}`,
    thread_ts: ticket.dm.ts,
  });
  await t.handled(dmReply.eventId);
  const note = await t.sender.event({
    type: 'message',
    channel: ticket.card.channel,
    user: ANN,
    text: `note ${MENTIONS}`,
    thread_ts: ticket.card.ts,
  });
  await t.handled(note.eventId);
  await actWithText(t, ANN, ticket.card, 'reply', { text: `public ${MENTIONS}` });
  await actWithText(t, ANN, ticket.card, 'escalate', { reason: `why ${MENTIONS}` });
  const home = await t.sender.event({ type: 'app_home_opened', user: EMPLOYEE });
  await t.handled(home.eventId);
  await t.slack.web.waitForCall('views.publish');
  await t.desk.dispatcher.drain();
}

describe('mass mentions typed by users', () => {
  it('reach Slack escaped in every notification text and mrkdwn block text', async () => {
    await mentionEverywhere();

    const marked = everythingShown().filter((s) => s.kind !== 'plain_text');
    expect(marked.length).toBeGreaterThan(20);
    const live = marked.filter((s) => LIVE.some((re) => re.test(s.text)));
    expect(live).toEqual([]);
    expect(marked.filter((s) => /&lt;\u200B?!channel&gt;/.test(s.text)).length).toBeGreaterThan(0);
    expect(marked.filter((s) => s.text.includes('&lt;@U0ANN&gt;')).length).toBeGreaterThan(0);
  });

  it('never appear as mass mentions in plain_text either (headers, buttons)', async () => {
    await mentionEverywhere();

    const plain = everythingShown().filter((s) => s.kind === 'plain_text');
    const mass = [/<!channel>/, /<!here>/, /<!everyone>/, /<!subteam\^/, /(^|[^\u200B\w])@(here|channel|everyone)\b/];
    expect(plain.filter((s) => mass.some((re) => re.test(s.text)))).toEqual([]);
  });

  it('messages are sent with link_names off and parse none', async () => {
    await mentionEverywhere();

    const sends = t.slack.web.calls().filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update');
    expect(sends.length).toBeGreaterThan(5);
    for (const c of sends) {
      expect([true, 'true', '1', 1]).not.toContain(c.args.link_names);
      expect(c.args.parse ?? 'none').toBe('none');
    }
  });

  it('the ticket reaction on a message full of mentions does not ping either', async () => {
    const message = t.slack.web.workspace.addMessage({ channel: GENERAL, user: EMPLOYEE, text: MENTIONS });
    const reacted = await t.sender.event({
      type: 'reaction_added',
      user: EMPLOYEE,
      reaction: 'ticket',
      item: { type: 'message', channel: GENERAL, ts: message.ts },
      item_user: EMPLOYEE,
    });
    await t.handled(reacted.eventId);
    await t.desk.dispatcher.drain();

    const shown = everythingShown().filter((s) => s.kind !== 'plain_text');
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.filter((s) => LIVE.some((re) => re.test(s.text)))).toEqual([]);
  });
});

describe('a user id written by the user in a title', () => {
  // Not a ping (plain_text never renders mentions), but recorded so a change is deliberate:
  // headers carry the title as typed, unescaped, while every mrkdwn text escapes it.
  it('stays literal text in the plain_text header', async () => {
    await mentionEverywhere();

    const headers = everythingShown().filter((s) => s.kind === 'plain_text' && s.text.includes('#1'));
    expect(headers.length).toBeGreaterThan(0);
    expect(headers.some((h) => h.text.includes('<@U0ANN>'))).toBe(true);
  });
});
