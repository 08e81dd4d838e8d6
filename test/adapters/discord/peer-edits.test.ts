import type { APIMessage, APIUser } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatInputCommand, member, user } from '../../fakes/discord/index.js';
import { card } from '../../../src/core/render.js';
import type { Inbound } from '../../../src/ports.js';
import { answered, openTicket, textsIn, write } from './interactions.js';
import { community, olga, requester, support, ticketCount, type DiscordDesk, type Handled } from './support.js';
import { answer, helpForum, later, postQuestion, question, react, startPeerDesk } from './peer-support.js';

// A question follows its forum post: the asker editing the starter message or renaming the post, a
// marked answer edited or deleted, the post (or its starter message) deleted. The real discord.js
// Client against the fake Discord, the real core behind it; no reply is ever posted for these.

let t: DiscordDesk;
beforeEach(async () => {
  t = await startPeerDesk();
});
afterEach(async () => {
  await t.close();
});

const MINUTE = 60_000;

/** `who` edits their message; resolves once the core handled the edit (its key is the message's edited_timestamp). */
async function edit(who: APIUser, post: string, message: string, content: string): Promise<{ edited: APIMessage; handled: Handled }> {
  t.clock.advance(1000); // Discord stamps each edit; two edits of one message never share a timestamp
  const edited = await t.discord.gateway.messageUpdate({ channelId: post, messageId: message, authorId: who.id, content });
  const handled = await t.handled(`discord:edited:${message}:${Date.parse(edited.edited_timestamp!)}`);
  await t.desk.dispatcher.drain();
  return { edited, handled };
}

/** A moderator (or the asker) renames a post; its key names the THREAD_UPDATE dispatch: the session and its sequence number. */
async function rename(post: string, name: string): Promise<Handled> {
  await t.discord.gateway.threadUpdate(post, { name });
  const [session] = t.discord.gateway.sessions;
  const handled = await t.handled(`discord:renamed:${post}:${session!.sessionId}:${session!.seq}`);
  await t.desk.dispatcher.drain();
  return handled;
}

async function deletePost(post: string): Promise<Handled> {
  await t.discord.gateway.threadDelete(post);
  const handled = await t.handled(`discord:deleted:${post}`);
  await t.desk.dispatcher.drain();
  return handled;
}

async function deleteMessage(post: string, message: string): Promise<Handled> {
  await t.discord.gateway.messageDelete({ channelId: post, messageId: message });
  const handled = await t.handled(`discord:deleted:${message}`);
  await t.desk.dispatcher.drain();
  return handled;
}

const changes = () => t.inbound.filter((h) => h.event.kind === 'edited' || h.event.kind === 'deleted').map((h) => h.event);
const errors = () => t.logger.lines.filter((l) => l.level === 'error');

async function kbSearch(who: APIUser, query: string): Promise<string> {
  const payload = chatInputCommand(t.discord.context({ channel: support.id, user: who.id }), {
    name: 'kb',
    subcommand: 'search',
    options: { query },
  });
  return (await answered(t, payload, await t.discord.gateway.interactionCreate(payload))).text;
}

async function solvedQuestion() {
  const { thread } = await postQuestion(t, requester, 'Printer prints blank pages', 'Floor 2, since Monday.');
  const reply = await answer(t, olga, thread.id, 'Shake the new toner cartridge before you put it in.');
  await react(t, requester, thread.id, reply.message.id);
  expect((await question(t, 1)).status).toBe('solved');
  return { post: thread.id, answerId: reply.message.id };
}

describe('the asker edits their post', () => {
  it("an edit of the starter message: the question's words follow, its title stays the post's name; nothing is posted", async () => {
    const { thread } = await postQuestion(t, requester, 'Printer prints blank pages', 'Floor 2.');
    const posts = t.discord.rest.calls('POST /channels/:channel/messages').length;

    const { handled } = await edit(requester, thread.id, thread.id, 'Floor 2, since the toner change on Monday.');

    expect(handled.event).toMatchObject({
      kind: 'edited',
      message: thread.id,
      text: 'Floor 2, since the toner change on Monday.',
      title: 'Printer prints blank pages',
      from: { platform: 'discord', space: community.id, id: requester.id, name: 'rita' },
      place: { platform: 'discord', space: community.id, channel: helpForum.id, thread: thread.id },
    });
    expect(handled.reply).toBeUndefined();
    expect(await question(t, 1)).toMatchObject({
      title: 'Printer prints blank pages',
      body: 'Floor 2, since the toner change on Monday.',
      status: 'open',
    });
    expect(t.discord.rest.calls('POST /channels/:channel/messages')).toHaveLength(posts);
    expect(textsIn(t, thread.id)).toEqual(['Floor 2, since the toner change on Monday.']);
  });

  it("renaming the post: the title follows, with the starter's words as they are", async () => {
    const { thread } = await postQuestion(t, requester, 'Printer prints blank pages', 'Floor 2.');
    await edit(requester, thread.id, thread.id, 'Floor 2, since Monday.');

    const handled = await rename(thread.id, 'Printer on floor 2 prints blank pages');

    expect(handled.event).toMatchObject({
      kind: 'edited',
      message: thread.id,
      title: 'Printer on floor 2 prints blank pages',
      text: 'Floor 2, since Monday.',
      from: { id: requester.id },
      place: { channel: helpForum.id, thread: thread.id },
    });
    expect(await question(t, 1)).toMatchObject({ title: 'Printer on floor 2 prints blank pages', body: 'Floor 2, since Monday.' });

    // Renamed back: a rename is named by its dispatch, not by the names, so it is not taken for the first one again.
    await rename(thread.id, 'Printer prints blank pages');
    expect((await question(t, 1)).title).toBe('Printer prints blank pages');
  });

  it("a rename when the starter message is no longer in the client's cache: no text is sent and the body is kept", async () => {
    const { thread } = await postQuestion(t, requester, 'VPN drops every hour', 'On the dot, on Wi-Fi only.');
    // discord.js keeps the last 200 messages of a channel: a chatty bot pushes the starter out.
    const chatter = user({ id: '100000000000000099', username: 'chatter', bot: true });
    t.discord.world.users.set(chatter.id, chatter);
    t.discord.world.guild(community.id).members.push(member(chatter));
    for (let i = 0; i < 200; i++) await t.discord.gateway.messageCreate({ channelId: thread.id, authorId: chatter.id, content: `beep ${i}` });

    const handled = await rename(thread.id, 'VPN drops every hour on Wi-Fi');

    expect(handled.event).toMatchObject({ kind: 'edited', message: thread.id, title: 'VPN drops every hour on Wi-Fi', from: { id: requester.id } });
    expect(handled.event).not.toHaveProperty('text');
    expect(await question(t, 1)).toMatchObject({ title: 'VPN drops every hour on Wi-Fi', body: 'On the dot, on Wi-Fi only.' });
  });

  it('an edit by someone who did not ask, of their own answer, changes nothing of the question', async () => {
    const { thread } = await postQuestion(t, requester, 'Outlook will not sync', 'Shared mailbox.');
    const reply = await answer(t, olga, thread.id, 'Re-add the mailbox.');

    const { handled } = await edit(olga, thread.id, reply.message.id, 'Re-add the shared mailbox in Account settings.');

    expect(handled.event).toMatchObject({
      kind: 'edited',
      message: reply.message.id,
      text: 'Re-add the shared mailbox in Account settings.',
      from: { id: olga.id },
    });
    expect(handled.event).not.toHaveProperty('title');
    expect(await question(t, 1)).toMatchObject({ title: 'Outlook will not sync', body: 'Shared mailbox.' });
  });

  it("an embed resolved (content unchanged) and tierdesk's own edits are not edits", async () => {
    const { thread } = await postQuestion(t, requester, 'Wiki link is broken', 'See https://wiki.example.com/printers');
    await t.discord.gateway.embedsUpdate({
      channelId: thread.id,
      messageId: thread.id,
      embeds: [{ title: 'Printers - Wiki', url: 'https://wiki.example.com/printers' }],
    });
    const place = { platform: 'discord' as const, space: community.id, channel: helpForum.id, thread: thread.id };
    const sent = await t.adapter.post(place, card({ title: 'A note from tierdesk', tone: 'info' }));
    await t.adapter.edit(place, sent.messageId, card({ title: 'A note from tierdesk (edited)', tone: 'info' }));
    expect(t.discord.world.message(thread.id, sent.messageId).edited_timestamp).not.toBeNull();

    // Gateway events arrive in order: once this edit is handled, the ones before it were seen and dropped.
    const { handled } = await edit(requester, thread.id, thread.id, 'See https://wiki.example.com/printers (404 since Monday)');

    expect(changes()).toEqual([handled.event]);
  });
});

describe('a marked answer', () => {
  it('edited: the new words are what /kb search finds', async () => {
    const { post, answerId } = await solvedQuestion();
    expect(await kbSearch(requester, 'drum reseated')).not.toMatch(/Printer prints blank pages/);

    const { handled } = await edit(olga, post, answerId, 'Shake the new toner cartridge, and check the drum unit is reseated.');

    expect(handled.event).toMatchObject({ kind: 'edited', message: answerId, from: { id: olga.id } });
    expect(await kbSearch(requester, 'drum reseated')).toMatch(/Printer prints blank pages/);
  });

  it('deleted: the solution goes; the event names its author from the cache', async () => {
    const { post, answerId } = await solvedQuestion();

    const handled = await deleteMessage(post, answerId);

    expect(handled.event).toMatchObject({
      kind: 'deleted',
      message: answerId,
      from: { id: olga.id, name: 'olga' },
      place: { channel: helpForum.id, thread: post },
    });
    expect(await t.db.selectFrom('peer_solutions').selectAll().where('question', '=', 1).execute()).toEqual([]);
  });
});

describe('a deleted post', () => {
  it('THREAD_DELETE: the question is deleted; past the unanswered wait nothing is sent to the post, no ticket, no 404', async () => {
    const { thread } = await postQuestion(t, requester, 'Scanner emails never arrive', 'Since the mail server move.');
    const callsBefore = t.discord.rest.calls(() => true).length;

    const handled = await deletePost(thread.id);

    expect(handled.event).toMatchObject({
      kind: 'deleted',
      message: thread.id,
      from: { id: requester.id },
      place: { platform: 'discord', space: community.id, channel: helpForum.id, thread: thread.id },
    });
    expect(handled.reply).toBeUndefined();
    expect((await question(t, 1)).status).toBe('deleted');

    await later(t, 30 * MINUTE + 1);
    await later(t, 4 * 60 * MINUTE);

    const after = t.discord.rest.calls(() => true).slice(callsBefore);
    expect(after.filter((c) => c.path.includes(thread.id))).toEqual([]);
    expect(after.filter((c) => c.status >= 400)).toEqual([]);
    expect((await question(t, 1)).ticket).toBeNull();
    expect(await ticketCount(t)).toBe(0);
    expect(errors()).toEqual([]);
  });

  it('a late edit of a message of the deleted post reaches nothing and breaks nothing', async () => {
    const { thread, starter } = await postQuestion(t, requester, 'Projector flickers', 'Room 4.');
    await deletePost(thread.id);

    // An edit that was on its way when the post went: discord.js no longer knows the post.
    await t.discord.gateway.dispatch('MESSAGE_UPDATE', {
      ...structuredClone(starter),
      content: 'Room 4 and 5.',
      edited_timestamp: new Date(t.clock.now()).toISOString(),
      guild_id: community.id,
    });
    const marker = await postQuestion(t, requester, 'Keyboard types double letters', 'Since the update.');

    expect(marker.handled.event.kind).toBe('message');
    expect(changes().map((e) => e.kind)).toEqual(['deleted']);
    expect(await question(t, 1)).toMatchObject({ title: 'Projector flickers', body: 'Room 4.', status: 'deleted' });
    expect(errors()).toEqual([]);
  });

  it('its starter message deleted (the post stays): the question is deleted; later renames and edits change nothing', async () => {
    const { post, answerId } = await solvedQuestion();
    expect(await kbSearch(requester, 'toner cartridge')).toMatch(/Printer prints blank pages/);

    const handled = await deleteMessage(post, post);
    expect(handled.event).toMatchObject({ kind: 'deleted', message: post, from: { id: requester.id } });
    expect((await question(t, 1)).status).toBe('deleted');
    expect(await kbSearch(requester, 'toner cartridge')).not.toMatch(/Printer prints blank pages/);

    const renamed = await rename(post, 'Printer fixed');
    expect(renamed.event).not.toHaveProperty('text'); // the starter is gone
    await edit(olga, post, answerId, 'Shake the toner cartridge; reseat the drum.');

    expect(await question(t, 1)).toMatchObject({ title: 'Printer prints blank pages', body: 'Floor 2, since Monday.', status: 'deleted' });
    expect(await kbSearch(requester, 'reseat drum')).not.toMatch(/Printer prints blank pages/);
    expect(errors()).toEqual([]);
  });
});

describe('outside the peer forums', () => {
  it('edits and deletions in a ticket thread or a channel are not forwarded', async () => {
    const ticket = await openTicket(t);
    const inThread = await write(t, requester, ticket.thread.channel, 'It is still smoking');
    const inChannel = await t.discord.gateway.messageCreate({ channelId: support.id, authorId: olga.id, content: 'hello' });

    await t.discord.gateway.messageUpdate({
      channelId: ticket.thread.channel,
      messageId: inThread.message.id,
      authorId: requester.id,
      content: 'It is on fire now',
    });
    await t.discord.gateway.messageUpdate({ channelId: support.id, messageId: inChannel.id, authorId: olga.id, content: 'hello all' });
    await t.discord.gateway.threadUpdate(ticket.thread.channel, { name: 'renamed ticket thread' });
    await t.discord.gateway.messageDelete({ channelId: support.id, messageId: inChannel.id });
    await t.discord.gateway.messageDelete({ channelId: ticket.thread.channel, messageId: inThread.message.id });
    await t.discord.gateway.threadDelete(ticket.thread.channel);
    // Gateway events arrive in order: once the post's deletion is handled, the ones before it were dropped.
    const { thread } = await postQuestion(t, requester, 'Marker', 'A question to delete.');
    await deletePost(thread.id);

    expect(changes().map((e: Inbound) => [e.kind, 'message' in e ? e.message : undefined])).toEqual([['deleted', thread.id]]);
    expect(errors()).toEqual([]);
  });
});

describe("the fake's dispatches", () => {
  it("are in Discord's wire format: MESSAGE_UPDATE whole, MESSAGE_DELETE and THREAD_DELETE as bare ids", async () => {
    const sent: Array<{ t: string; d: Record<string, unknown> }> = [];
    const dispatch = t.discord.world.dispatch;
    t.discord.world.dispatch = (type, d) => {
      sent.push({ t: type, d: structuredClone(d) });
      dispatch(type, d);
    };
    const { thread } = await postQuestion(t, requester, 'Printer prints blank pages', 'Floor 2.');
    const reply = await answer(t, olga, thread.id, 'Shake the toner.');
    await edit(olga, thread.id, reply.message.id, 'Shake the toner cartridge.');
    await deleteMessage(thread.id, reply.message.id);
    await rename(thread.id, 'Printer on floor 2');
    await deletePost(thread.id);

    const of = (type: string) => sent.filter((s) => s.t === type).map((s) => s.d);
    expect(of('MESSAGE_UPDATE').at(-1)).toMatchObject({
      id: reply.message.id,
      channel_id: thread.id,
      guild_id: community.id,
      content: 'Shake the toner cartridge.',
      author: { id: olga.id },
      member: expect.objectContaining({ roles: expect.any(Array) }),
      edited_timestamp: new Date(t.clock.now()).toISOString(),
      timestamp: expect.any(String),
    });
    expect(of('MESSAGE_UPDATE').at(-1)).not.toHaveProperty('member.user');
    expect(of('MESSAGE_DELETE')).toEqual([{ id: reply.message.id, channel_id: thread.id, guild_id: community.id }]);
    expect(of('THREAD_UPDATE').at(-1)).toMatchObject({
      id: thread.id,
      guild_id: community.id,
      parent_id: helpForum.id,
      type: 11,
      name: 'Printer on floor 2',
      owner_id: requester.id,
    });
    expect(of('THREAD_DELETE')).toEqual([{ id: thread.id, guild_id: community.id, parent_id: helpForum.id, type: 11 }]);
    expect(t.discord.world.messagesIn(thread.id)).toEqual([]);
    expect(() => t.discord.world.channel(thread.id)).toThrow(/Unknown Channel/);
  });
});
