import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findMessage } from '../../../src/store/messages.js';
import type { Inbound } from '../../../src/ports.js';
import { SLACKBOT, messageChanged, messageDeleted, type EventInput, type MessageEditInput } from '../../fakes/slack-api/index.js';
import { EMPLOYEE, GENERAL, OLGA, openTicket, type SlackDesk } from './support.js';
import { HELPERS, PEER, botRepliesIn, react, say, startPeerDesk } from './peer-support.js';

// Edits and deletions in a peer channel, end to end: the fake Slack sends message_changed /
// message_deleted as Slack does, the real Bolt App turns them into Inbound `edited` / `deleted`,
// and the real core makes the question (or its marked answer) follow.

let t: SlackDesk;
beforeEach(async () => {
  t = await startPeerDesk();
});
afterEach(async () => {
  await t.close();
});

const TEAM = 'T0FAKE001';
const question = (n: number) => t.db.selectFrom('peer_questions').selectAll().where('number', '=', n).executeTakeFirstOrThrow();

/** Sends a built event, waits until the core has handled it, and lets queued deliveries go out. */
async function send(event: EventInput) {
  const sent = await t.sender.event(event);
  expect(sent.status).toBe(200);
  const handled = await t.handled(sent.eventId);
  await t.desk.dispatcher.drain();
  return { ...sent, handled };
}

/** Someone edits a stored message (the fake's copy changes); the `message_changed` Slack sends follows. */
const edit = (input: Omit<MessageEditInput, 'channel'> & { channel?: string }) => send(messageChanged(t.slack.web, { channel: PEER, ...input }));

/** Someone deletes a stored message; Slack's `message_deleted` (or, for a root with replies, the tombstone) follows. */
const remove = (ts: string, channel = PEER) => send(messageDeleted(t.slack.web, { channel, ts }));

/** Lets the scheduler run what is due after `ms`, and delivers what it queued. */
async function later(ms: number) {
  t.clock.advance(ms);
  await t.desk.scheduler.tick();
  await t.desk.dispatcher.drain();
}

/** Web API calls that would show something to someone: tierdesk answers no edit or deletion. */
const visibleCalls = () =>
  t.slack.web.calls().filter((c) => ['chat.postMessage', 'chat.postEphemeral', 'chat.update', 'reactions.add'].includes(c.method));

const changes = () =>
  t.inbound.map((h) => h.event).filter((e): e is Extract<Inbound, { kind: 'edited' | 'deleted' }> => e.kind === 'edited' || e.kind === 'deleted');

const kbSearch = async (words: string) => {
  const sent = await t.sender.slashCommand({ command: '/kb', text: `search ${words}`, user_id: OLGA, channel_id: 'C0RANDOM' });
  return (sent.json as { text: string }).text;
};

describe("the fake sends edits and deletions in Slack's wire format", () => {
  it('message_changed: hidden, stamped with the edit, the message as it is and as it was; message_deleted: deleted_ts and previous_message', async () => {
    const q = await say(t, EMPLOYEE, 'Printer jams');
    const edited = messageChanged(t.slack.web, { channel: PEER, ts: q.ts, text: 'Printer jams on tray 2' });
    expect(edited).toMatchObject({
      type: 'message',
      subtype: 'message_changed',
      hidden: true,
      channel: PEER,
      message: { type: 'message', user: EMPLOYEE, text: 'Printer jams on tray 2', ts: q.ts, edited: { user: EMPLOYEE } },
      previous_message: { type: 'message', user: EMPLOYEE, text: 'Printer jams', ts: q.ts },
    });
    expect(edited.ts).toBe((edited.message as { edited: { ts: string } }).edited.ts);
    expect(edited.message).not.toHaveProperty('channel');
    expect(t.slack.web.workspace.findMessage(PEER, q.ts).text).toBe('Printer jams on tray 2');

    const a = await say(t, OLGA, 'Open the back panel', q.ts);
    const gone = messageDeleted(t.slack.web, { channel: PEER, ts: a.ts });
    expect(gone).toMatchObject({
      type: 'message',
      subtype: 'message_deleted',
      hidden: true,
      channel: PEER,
      deleted_ts: a.ts,
      previous_message: { user: OLGA, text: 'Open the back panel', thread_ts: q.ts, parent_user_id: EMPLOYEE },
    });
    expect(gone.ts).not.toBe(a.ts);
    expect(t.slack.web.messagesIn(PEER).map((m) => m.ts)).toEqual([q.ts]);

    // A root with replies is not removed: it becomes a tombstone, announced as a message_changed.
    const b = await say(t, OLGA, 'Or call facilities', q.ts);
    const tomb = messageDeleted(t.slack.web, { channel: PEER, ts: q.ts });
    expect(tomb).toMatchObject({
      subtype: 'message_changed',
      hidden: true,
      message: { subtype: 'tombstone', hidden: true, user: SLACKBOT, text: 'This message was deleted.', ts: q.ts, thread_ts: q.ts },
      previous_message: { user: EMPLOYEE, text: 'Printer jams on tray 2' },
    });
    expect(t.slack.web.messagesIn(PEER).map((m) => m.ts)).toEqual([q.ts, b.ts]);

    // Carried as Slack carries them: over HTTP, inside event_callback, with the channel's type.
    const over = await t.sender.event(messageChanged(t.slack.web, { channel: PEER, ts: b.ts, text: 'Or call facilities on 4444' }));
    expect(over.callback.event as Record<string, unknown>).toMatchObject({
      channel_type: 'channel',
      event_ts: (over.callback.event as { ts: string }).ts,
    });
    await t.handled(over.eventId);
  });
});

describe('the asker edits their question', () => {
  it("the question's title and words follow; nothing is posted; a late repeat of an older edit changes nothing", async () => {
    const q = await say(t, EMPLOYEE, 'Wifi is slow');

    const first = await edit({ ts: q.ts, text: 'Guest wifi is slow in building B\nSince Monday.' });

    expect(first.handled.event).toMatchObject({
      kind: 'edited',
      message: q.ts,
      text: 'Guest wifi is slow in building B\nSince Monday.',
      from: { platform: 'slack', id: EMPLOYEE },
      place: { platform: 'slack', space: TEAM, channel: PEER },
    });
    expect((first.handled.event.place as { thread?: string }).thread).toBeUndefined();
    const editTs = (first.callback.event as { message: { edited: { ts: string } } }).message.edited.ts;
    expect(first.handled.event.key).toBe(`slack:${TEAM}:edit:${PEER}:${q.ts}:${editTs}`);
    expect(first.handled.reply).toBeUndefined();
    expect(await question(1)).toMatchObject({
      title: 'Guest wifi is slow in building B',
      body: 'Guest wifi is slow in building B\nSince Monday.',
      status: 'open',
    });

    await edit({ ts: q.ts, text: 'Guest wifi drops every hour in building B' });
    expect((await question(1)).title).toBe('Guest wifi drops every hour in building B');

    // The first edit delivered again (a different event id, as after a reconnect): already applied, ignored.
    const again = await t.sender.event(first.callback.event as EventInput);
    await t.handled(again.eventId);
    expect((await question(1)).title).toBe('Guest wifi drops every hour in building B');

    expect(visibleCalls()).toEqual([]);
  });

  it('an edit of an answer that is not the solution changes nothing', async () => {
    const q = await say(t, EMPLOYEE, 'Outlook will not start');
    const a = await say(t, OLGA, 'Run it in safe mode', q.ts);

    const edited = await edit({ ts: a.ts, text: 'Run it in safe mode: outlook.exe /safe' });

    expect(edited.handled.event).toMatchObject({ kind: 'edited', message: a.ts, place: { channel: PEER, thread: q.ts }, from: { id: OLGA } });
    expect(await question(1)).toMatchObject({ title: 'Outlook will not start', status: 'open' });
  });
});

describe('a marked answer edited', () => {
  it('the solution follows, and /kb search finds the question by the new words', async () => {
    const q = await say(t, EMPLOYEE, 'Guest wifi is slow in building B');
    const a = await say(t, OLGA, 'Use the staff network', q.ts);
    await t.handled((await react(t, EMPLOYEE, a.ts)).eventId);
    await t.desk.dispatcher.drain();
    expect((await question(1)).status).toBe('solved');
    expect(await kbSearch('capped mbit')).not.toContain('Guest wifi is slow in building B');

    const edited = await edit({ ts: a.ts, text: 'Use the staff network; guest wifi is capped at 2 Mbit/s' });

    expect(edited.handled.event).toMatchObject({ kind: 'edited', message: a.ts, place: { channel: PEER, thread: q.ts }, from: { id: OLGA } });
    const solution = await t.db.selectFrom('peer_solutions').select('text').where('question', '=', 1).executeTakeFirstOrThrow();
    expect(solution.text).toBe('Use the staff network; guest wifi is capped at 2 Mbit/s');
    expect(await kbSearch('capped mbit')).toContain('Guest wifi is slow in building B');
  });
});

describe("the question's root deleted", () => {
  it("an unanswered question: deleted, out of the helpers' way (no ping in its thread), nothing posted", async () => {
    const q = await say(t, EMPLOYEE, 'Scanner emails never arrive');
    const kept = await say(t, EMPLOYEE, 'Projector in room 4 flickers');

    const gone = await remove(q.ts);

    expect(gone.handled.event).toMatchObject({
      kind: 'deleted',
      message: q.ts,
      key: `slack:${TEAM}:delete:${PEER}:${q.ts}`,
      from: { id: EMPLOYEE },
      place: { channel: PEER },
    });
    expect((gone.handled.event.place as { thread?: string }).thread).toBeUndefined();
    expect(gone.handled.reply).toBeUndefined();
    expect((await question(1)).status).toBe('deleted');
    expect(visibleCalls()).toEqual([]);

    await later(31 * 60_000);

    const pingsIn = (root: string) =>
      t.slack.web.calls('chat.postMessage').filter((c) => c.args.thread_ts === root && String(c.args.text).includes(`<!subteam^${HELPERS}>`));
    expect(pingsIn(q.ts)).toEqual([]);
    expect(pingsIn(kept.ts)).toHaveLength(1); // the clock did run: the other question's helpers were pinged
    expect(botRepliesIn(t, q.ts)).toEqual([]);
    expect((await question(1)).status).toBe('deleted');
  });

  it('a question with answers: Slack leaves a tombstone, which deletes the question all the same', async () => {
    const q = await say(t, EMPLOYEE, 'Teams calls drop after a minute');
    await say(t, OLGA, 'Which version?', q.ts);

    const gone = await remove(q.ts);

    expect((gone.callback.event as { message: { subtype: string } }).message.subtype).toBe('tombstone');
    expect(gone.handled.event).toMatchObject({ kind: 'deleted', message: q.ts, key: `slack:${TEAM}:delete:${PEER}:${q.ts}`, from: { id: EMPLOYEE } });
    expect((await question(1)).status).toBe('deleted');
    expect(await findMessage(t.db, 'question:1')).toMatchObject({ message_id: q.ts });
  });

  it('an edit that arrives after the deletion, and the deletion again, change nothing and break nothing', async () => {
    const q = await say(t, EMPLOYEE, 'Badge reader at the side door is dead');
    const a = await say(t, OLGA, 'Facilities know, use the front door', q.ts);
    // The asker edited, then deleted; Slack delivered the edit late.
    const lateEdit = messageChanged(t.slack.web, { channel: PEER, ts: q.ts, text: 'Badge reader at the side door beeps red' });
    const gone = await remove(q.ts);
    expect((await question(1)).status).toBe('deleted');

    const late = await send(lateEdit);
    const lateAnswerEdit = await edit({ ts: a.ts, text: 'Facilities know; use the front door until Friday' });
    // When the last reply goes too, Slack removes the tombstone: a second deletion of the same root.
    const tombstone = (gone.callback.event as { message: Record<string, unknown> }).message;
    await remove(a.ts);
    const again = await send({
      type: 'message',
      subtype: 'message_deleted',
      hidden: true,
      channel: PEER,
      ts: t.slack.web.workspace.nextTs(),
      deleted_ts: q.ts,
      previous_message: tombstone,
    });

    expect(late.handled.reply).toBeUndefined();
    expect(lateAnswerEdit.handled.reply).toBeUndefined();
    expect(again.handled.event).toMatchObject({ kind: 'deleted', message: q.ts, from: { id: SLACKBOT } });
    expect(again.handled.reply).toBeUndefined();
    expect(await question(1)).toMatchObject({ status: 'deleted', title: 'Badge reader at the side door is dead' });
    expect(t.logger.lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(visibleCalls()).toEqual([]);

    // And the channel still works.
    await say(t, EMPLOYEE, 'Where are the spare badges kept?');
    expect((await question(2)).status).toBe('open');
  });
});

describe('what is not forwarded', () => {
  it('edits and deletions outside peer channels, bot edits and unfurls are ignored', async () => {
    const ticket = await openTicket(t, 'Laptop will not charge');
    const dmReply = await t.sender.event({
      type: 'message',
      channel: ticket.dm.channel,
      user: EMPLOYEE,
      text: 'It is the USB-C one',
      thread_ts: ticket.dm.ts,
    });
    await t.handled(dmReply.eventId);
    const dmTs = String((dmReply.callback.event as { ts: string }).ts);
    const chatter = await t.sender.event({ type: 'message', channel: GENERAL, user: EMPLOYEE, text: 'lunch anyone?' }); // top-level chatter: not delivered
    const chatterTs = String((chatter.callback.event as { ts: string }).ts);
    const q = await say(t, EMPLOYEE, 'See https://status.example.com, is mail down?');
    const asked = await t.sender.slashCommand({ command: '/ask', text: 'Is there a guest Wi-Fi?', user_id: EMPLOYEE, channel_id: 'C0RANDOM' });
    await t.handled(asked.triggerId);
    await t.desk.dispatcher.drain();
    const botQuestion = (await findMessage(t.db, 'question:2'))!.message_id;
    const inboundBefore = t.inbound.length;

    const ignored: EventInput[] = [
      messageChanged(t.slack.web, { channel: ticket.dm.channel, ts: dmTs, text: 'It is the USB-C one, 65 W' }), // a ticket's conversation
      messageDeleted(t.slack.web, { channel: ticket.dm.channel, ts: dmTs }),
      messageChanged(t.slack.web, { channel: GENERAL, ts: chatterTs, text: 'lunch at noon?' }), // another channel
      messageDeleted(t.slack.web, { channel: GENERAL, ts: chatterTs }),
      messageChanged(t.slack.web, { channel: PEER, ts: q.ts, attachments: [{ from_url: 'https://status.example.com', title: 'Status' }] }), // an unfurl
      messageChanged(t.slack.web, { channel: PEER, ts: botQuestion, text: 'Q2: Is there a guest Wi-Fi? (edited by the bot)' }), // tierdesk's own post
    ];
    for (const event of ignored) expect((await t.sender.event(event)).status).toBe(200);
    // A message handled after them: by then, the ignored ones have long been looked at.
    const last = await say(t, EMPLOYEE, 'one more question');

    expect(last.handled.event.kind).toBe('message');
    expect(changes()).toEqual([]);
    expect(t.inbound.length).toBe(inboundBefore + 1);
    expect(await question(1)).toMatchObject({ title: 'See https://status.example.com, is mail down?', status: 'open' });
    expect(await question(2)).toMatchObject({ title: 'Is there a guest Wi-Fi?', status: 'open' });
  });
});
