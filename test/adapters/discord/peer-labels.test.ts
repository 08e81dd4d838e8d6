import { afterEach, describe, expect, it } from 'vitest';
import type { Place } from '../../../src/ports.js';
import { chatInputCommand, forumChannel } from '../../fakes/discord/index.js';
import { answered, openTicket, press, textsIn, write } from './interactions.js';
import { olga, requester, support, type DiscordDesk } from './support.js';
import {
  answer,
  forumNow,
  helpForum,
  later,
  markAsSolution,
  PEER_YAML,
  postQuestion,
  question,
  questionPost,
  react,
  startPeerDesk,
  tagNames,
  threadState,
} from './peer-support.js';

// How tierdesk labels a question's forum post: the forum's Open/Solved tags (created when missing,
// within Discord's 20 per forum and 5 per post), and closing = archived and locked.

let t: DiscordDesk;
afterEach(async () => {
  await t.close();
});

const DAY = 86_400_000;
const PATCH_CHANNEL = 'PATCH /channels/:channel';
const at = (post: string): Place => ({ platform: 'discord', space: String(forumNow(t).guild_id), channel: String(forumNow(t).id), thread: post });

async function ask(text: string) {
  const payload = chatInputCommand(t.discord.context({ channel: support.id, user: requester.id }), { name: 'ask', options: { question: text } });
  const record = await t.discord.gateway.interactionCreate(payload);
  return answered(t, payload, record);
}

describe('closing and reopening', () => {
  it('quiet for days: "still need help?" (its keep-open button works), then closed: the card is posted, then the post is locked and archived', async () => {
    t = await startPeerDesk();
    const { thread } = await postQuestion(t, requester, 'Laptop fan is loud', 'All the time.');
    await answer(t, olga, thread.id, 'Clean the vents?'); // answered: no helper ping, no ticket, just the stale clock

    await later(t, 3 * DAY);
    const ask1 = t.discord.world.messagesIn(thread.id).at(-1)!;
    expect(textsIn(t, thread.id).at(-1)).toMatch(/^Still need help\?/);
    const kept = await press(t, requester, { channel: thread.id, id: ask1.id }, 'peer.keep');
    expect(kept.handled.event).toMatchObject({ kind: 'action', action: 'peer.keep', value: '1' });
    expect(kept.text).toBe('Q1 stays open. Helpers can still answer in its thread.');

    await later(t, 3 * DAY);
    await later(t, 2 * DAY);

    expect(textsIn(t, thread.id).at(-1)).toMatch(/^Q1 closed\nClosed for inactivity/);
    expect(threadState(t, thread.id)).toEqual({ archived: true, locked: true });
    expect((await question(t, 1)).status).toBe('closed');
    const patches = t.discord.rest.calls(PATCH_CHANNEL).filter((c) => c.params.channel === thread.id);
    // Open as it became a question, then closed: the card first, then archived and locked.
    expect(patches.map((c) => c.body)).toEqual([{ applied_tags: [expect.any(String)] }, { archived: true, locked: true }]);
    expect(patches[1]?.reason).toBe('tierdesk: question closed');
  });

  it("a locked post refuses the asker's message (Discord's rule); labelled open again it is unarchived and unlocked, Open tagged", async () => {
    t = await startPeerDesk();
    const { thread } = await postQuestion(t, requester, 'Laptop fan is loud', 'All the time.');
    await answer(t, olga, thread.id, 'Clean the vents?'); // answered: no helper ping, no ticket, just the stale clock
    await later(t, 3 * DAY);
    await later(t, 2 * DAY);
    expect(threadState(t, thread.id)).toEqual({ archived: true, locked: true });

    // Discord lets only those who may manage threads write in a locked post.
    await expect(t.discord.gateway.messageCreate({ channelId: thread.id, authorId: requester.id, content: 'Still loud!' })).rejects.toThrow(
      /Thread is archived/,
    );

    await t.adapter.labelThread!(at(thread.id), 'open');

    expect(threadState(t, thread.id)).toEqual({ archived: false, locked: false });
    expect(tagNames(t, thread.id)).toEqual(['Open']);
    const reopen = t.discord.rest
      .calls(PATCH_CHANNEL)
      .filter((c) => c.params.channel === thread.id)
      .at(-1);
    expect(reopen?.body).toEqual({ archived: false, locked: false }); // one request; Open was on it since it became a question
    // Now the asker can write, and the core takes it as activity on Q1.
    const again = await write(t, requester, thread.id, 'Still loud!');
    expect(again.handled.event).toMatchObject({ place: { channel: helpForum.id, thread: thread.id } });
  });

  it('a post archived by Discord (inactive, not locked) is reopened by the asker writing, and labelled in place', async () => {
    t = await startPeerDesk();
    const { thread } = await postQuestion(t, requester, 'Teams camera black', 'Since the update.');
    const reply = await answer(t, olga, thread.id, 'Allow camera access in Windows privacy settings.');
    await t.discord.gateway.threadUpdate(thread.id, { archived: true });

    await markAsSolution(t, requester, thread.id, reply.message.id);

    expect(tagNames(t, thread.id)).toEqual(['Solved']);
    expect(threadState(t, thread.id)).toEqual({ archived: false, locked: false });
  });

  it('closing an already archived (unlocked) post locks it in a request that unarchives it, then archives it', async () => {
    t = await startPeerDesk();
    const { thread } = await postQuestion(t, requester, 'Teams camera black', 'Since the update.');
    await t.discord.gateway.threadUpdate(thread.id, { archived: true });
    t.discord.rest.clearRecordings();

    await t.adapter.labelThread!(at(thread.id), 'closed');

    expect(t.discord.rest.calls(PATCH_CHANNEL).map((c) => c.body)).toEqual([
      { archived: false, locked: true },
      { archived: true, locked: true },
    ]);
    expect(threadState(t, thread.id)).toEqual({ archived: true, locked: true });
    // Closed twice: nothing more to do.
    await t.adapter.labelThread!(at(thread.id), 'closed');
    expect(t.discord.rest.calls(PATCH_CHANNEL)).toHaveLength(2);
  });
});

describe("Discord's tag limits", () => {
  it('a forum already holding 20 tags: the post is made untagged, solved is not tagged, a warning each time, no crash', async () => {
    const full = forumChannel({ id: helpForum.id, name: 'help-forum', tags: Array.from({ length: 20 }, (_, i) => `Topic ${i + 1}`) });
    t = await startPeerDesk({ forum: full });

    const asked = await ask('The printer on floor 2 prints blank pages');
    expect(asked.text).toMatch(/^Question Q1 posted/);
    const post = await questionPost(t, 1);
    expect(t.discord.rest.calls('POST /channels/:channel/threads')[0]?.body).not.toHaveProperty('applied_tags');
    const reply = await answer(t, olga, post, 'Shake the toner.');
    await react(t, requester, post, reply.message.id);

    expect((await question(t, 1)).status).toBe('solved');
    expect(textsIn(t, post).at(-1)).toMatch(/^✅ Solved/);
    expect(tagNames(t, post)).toEqual([]);
    expect((forumNow(t).available_tags as unknown[]).length).toBe(20);
    expect(t.discord.rest.calls(PATCH_CHANNEL).filter((c) => c.params.channel === helpForum.id)).toEqual([]);
    expect(t.logger.lines.filter((l) => l.level === 'warn' && /no room for a tag/.test(l.msg)).map((l) => l.fields?.tag)).toEqual(['Open', 'Solved']);
    expect(t.logger.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('a post carrying 5 tags keeps them all: Solved is not added (warning), nothing fails', async () => {
    const five = forumChannel({ id: helpForum.id, name: 'help-forum', tags: ['A', 'B', 'C', 'D', 'E'] });
    t = await startPeerDesk({ forum: five });
    const all = (forumNow(t).available_tags as Array<{ id: string }>).map((x) => x.id);
    const { thread } = await postQuestion(t, requester, 'Everything is broken', 'Really.', all);
    const reply = await answer(t, olga, thread.id, 'Reboot.');

    await react(t, requester, thread.id, reply.message.id);

    expect(tagNames(t, thread.id)).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect((await question(t, 1)).status).toBe('solved');
    expect(t.logger.lines.some((l) => l.level === 'warn' && /already carries 5 tags/.test(l.msg))).toBe(true);
  });

  it('Open and Solved are found by name whatever their case, and never created twice', async () => {
    const existing = forumChannel({ id: helpForum.id, name: 'help-forum', tags: ['open', 'SOLVED'] });
    t = await startPeerDesk({ forum: existing });

    await ask('First question');
    await ask('Second question');

    expect((forumNow(t).available_tags as Array<{ name: string }>).map((x) => x.name)).toEqual(['open', 'SOLVED']);
    expect(tagNames(t, await questionPost(t, 1))).toEqual(['open']);
    expect(tagNames(t, await questionPost(t, 2))).toEqual(['open']);
  });

  it('the fake refuses what Discord refuses: a 21st forum tag, a 6th tag on a post, a tag of another forum', async () => {
    t = await startPeerDesk({ forum: forumChannel({ id: helpForum.id, name: 'help-forum', tags: Array.from({ length: 20 }, (_, i) => `T${i}`) }) });
    const rest = (await import('discord.js')).REST;
    const client = new rest(t.discord.restOptions()).setToken('fake-discord-token');
    const tags = forumNow(t).available_tags as Array<{ id: string; name: string }>;
    const { thread } = await postQuestion(t, requester, 'Q', 'words');

    await expect(client.patch(`/channels/${helpForum.id}`, { body: { available_tags: [...tags, { name: 'One too many' }] } })).rejects.toMatchObject({
      status: 400,
      code: 50035,
    });
    await expect(client.patch(`/channels/${thread.id}`, { body: { applied_tags: tags.slice(0, 6).map((x) => x.id) } })).rejects.toMatchObject({
      status: 400,
      code: 50035,
    });
    await expect(client.patch(`/channels/${thread.id}`, { body: { applied_tags: ['123456789012345678'] } })).rejects.toMatchObject({
      status: 400,
      code: 50035,
    });
    const ok = (await client.patch(`/channels/${thread.id}`, { body: { applied_tags: tags.slice(0, 5).map((x) => x.id) } })) as {
      applied_tags: string[];
    };
    expect(ok.applied_tags).toHaveLength(5);
  });
});

describe('ticket threads are not peer posts', () => {
  it("a message in a ticket's private thread still comes as that thread alone, without peer fields", async () => {
    t = await startPeerDesk({ yaml: PEER_YAML });
    const ticket = await openTicket(t);

    const said = await write(t, requester, ticket.thread.channel, 'It is on fire again');

    expect(said.handled.event.place).toEqual({ platform: 'discord', space: String(forumNow(t).guild_id), channel: ticket.thread.channel });
    expect(said.handled.event).not.toHaveProperty('id');
    expect(said.handled.event).not.toHaveProperty('title');
  });
});
