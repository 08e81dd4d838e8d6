import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { APIInteraction, APIMessage, APIUser } from 'discord.js';
import { chatInputCommand, messageCommand, type RecordedCall } from '../../fakes/discord/index.js';
import { answerOf, answered, POST_MESSAGE, shown } from './interactions.js';
import { ann, olga, requester, support, type DiscordDesk } from './support.js';
import { answer, helpForum, markAsSolution, pointsOf, postQuestion, question, questionPost, react, startPeerDesk } from './peer-support.js';

// Who a ✅ or "Mark as solution" is for, and where tierdesk answers it, through the real discord.js
// Client against the fake Discord: a bot's message is never an answer (refused in the adapter, the
// core never hears of it), and what the core says about a ✅ reaches the reactor alone, by DM,
// since a reaction has no interaction to answer ephemerally.

let t: DiscordDesk;
beforeEach(async () => {
  t = await startPeerDesk();
});
afterEach(async () => {
  await t.close();
});

const BOT_REFUSAL = "Mark a person's answer, not a bot's message.";
const OPEN_DM = 'POST /users/@me/channels';

/** The messages tierdesk sent `who` by DM (each request, answered or refused). */
const dmCalls = (who: APIUser): RecordedCall[] => {
  const dm = t.discord.world.dms.get(who.id);
  return dm ? t.discord.rest.calls(POST_MESSAGE).filter((c) => c.params.channel === dm.id) : [];
};

/** Waits for tierdesk's next DM to `who` (the `nth` since the start) and returns the request. */
const dmTo = (who: APIUser, nth = 1): Promise<RecordedCall> => {
  let seen = 0;
  return t.discord.rest.waitForCall(POST_MESSAGE, (c) => c.params.channel === t.discord.world.dms.get(who.id)?.id && ++seen === nth);
};

/** What tierdesk wrote in a post (its own messages), as text. */
const botTextsIn = (post: string): string[] =>
  t.discord.world
    .messagesIn(post)
    .filter((m) => m.author.id === t.discord.ids.botUserId)
    .map(shown);

/** `who` uses "Mark as solution" on `message`; resolves with the answer as they see it, whether or not the core was asked. */
async function markWithMenu(who: APIUser, post: string, message: string) {
  const target = structuredClone(t.discord.world.message(post, message));
  const payload: APIInteraction = messageCommand(t.discord.context({ channel: post, user: who.id }), { name: 'Mark as solution', target });
  const record = await t.discord.gateway.interactionCreate(payload);
  return answerOf(t, payload, record);
}

/** Q1, a post by rita, olga's answer in it marked by rita's ✅: the post now holds tierdesk's "✅ Solved" card. */
async function solvedQuestion(title = 'Printer prints blank pages', body = 'Since the toner change on floor 2 the printer prints blank pages.') {
  const { thread } = await postQuestion(t, requester, title, body);
  const reply = await answer(t, olga, thread.id, 'Shake the new toner cartridge before you put it in.');
  const marked = await react(t, requester, thread.id, reply.message.id);
  const solvedCard = t.discord.world.messagesIn(thread.id).find((m) => m.author.id === t.discord.ids.botUserId && /^✅ Solved/.test(shown(m)));
  if (!solvedCard) throw new Error('no Solved card in the post');
  return { post: thread.id, answer: reply.message, marked, solvedCard };
}

/** Waits until the adapter has seen a ✅ on `message` and let it go as a bot's message (a debug line). */
const ignoredReactionOn = (message: string) =>
  vi.waitFor(() =>
    expect(t.logger.lines.find((l) => l.level === 'debug' && /bot's message/.test(l.msg) && l.fields?.message === message)).toBeDefined(),
  );

const solutions = async () =>
  (await t.db.selectFrom('peer_solutions').select(['question', 'message']).orderBy('at').execute()).map((s) => ({
    ...s,
    question: Number(s.question),
  }));

describe("a bot's message is not an answer", () => {
  it('"Mark as solution" on tierdesk\'s own "✅ Solved" card is refused, only to the person, and never reaches the core', async () => {
    const { post, answer: solution, solvedCard } = await solvedQuestion();
    const before = t.inbound.length;

    const reply = await markWithMenu(requester, post, solvedCard.id);

    expect(reply.text).toBe(BOT_REFUSAL);
    expect(reply.ephemeral).toBe(true);
    expect(reply.type).toBe(4); // answered at once: nothing slow was asked
    expect(t.inbound.slice(before)).toEqual([]);
    expect(t.inbound.map((h) => h.event.key)).not.toContain(`discord:interaction:${reply.payload.id}`);
    expect(await solutions()).toEqual([{ question: 1, message: solution.id }]);
    expect(await pointsOf(t, t.discord.ids.botUserId)).toBe(0);
  });

  it('on tierdesk\'s "Similar questions" card: "Mark as solution" is refused and the asker\'s ✅ is not passed on', async () => {
    await solvedQuestion();
    // A second question like the first: tierdesk offers the solved one in the new post.
    const { thread } = await postQuestion(
      t,
      ann,
      'Printer prints blank pages again',
      'The floor 2 printer prints blank pages after the toner change.',
    );
    const similar = t.discord.world.messagesIn(thread.id).find((m) => m.author.id === t.discord.ids.botUserId && /^Similar questions/.test(shown(m)));
    expect(similar, 'tierdesk offered similar questions in the new post').toBeDefined();

    const refused = await markWithMenu(ann, thread.id, similar!.id);
    expect([refused.text, refused.ephemeral]).toEqual([BOT_REFUSAL, true]);
    expect(t.inbound.map((h) => h.event.key)).not.toContain(`discord:interaction:${refused.payload.id}`);

    // ann, the asker of Q2, ✅ the card: the adapter notes it and drops it; then olga (not the asker)
    // ✅ a person's answer, which does reach the core (which ignores it).
    const helper = await answer(t, requester, thread.id, 'Same here: shaking the cartridge fixed it.');
    await t.discord.gateway.reactionAdd({ channelId: thread.id, messageId: similar!.id, userId: ann.id, emoji: '✅' });
    await ignoredReactionOn(similar!.id);
    await react(t, olga, thread.id, helper.message.id);

    expect(t.inbound.filter((h) => h.event.kind === 'reaction' && h.event.place.thread === thread.id).map((h) => h.event.from.id)).toEqual([olga.id]);
    expect((await question(t, 2)).status).toBe('open');
    expect((await solutions()).map((s) => s.question)).toEqual([1]);
  });

  it('a ✅ on the question card tierdesk posted for /ask is not passed on either', async () => {
    const payload = chatInputCommand(t.discord.context({ channel: support.id, user: requester.id }), {
      name: 'ask',
      options: { question: 'The VPN drops every hour' },
    });
    await answered(t, payload, await t.discord.gateway.interactionCreate(payload));
    const post = await questionPost(t, 1);
    const reply = await answer(t, olga, post, 'Turn off Wi-Fi power saving.');

    await t.discord.gateway.reactionAdd({ channelId: post, messageId: post, userId: requester.id, emoji: '✅' });
    await ignoredReactionOn(post);
    await react(t, ann, post, reply.message.id);

    expect(t.inbound.filter((h) => h.event.kind === 'reaction').map((h) => h.event.from.id)).toEqual([ann.id]);
  });
});

describe('what tierdesk says about a ✅ reaches the person who reacted, alone', () => {
  it('a solution marked with points: nothing but the "✅ Solved" card in the post, and no DM', async () => {
    const { post, marked } = await solvedQuestion();
    expect(marked?.reply).toMatchObject({ text: "Marked olga's answer as the solution to Q1. olga earns 10 points." });
    expect(await pointsOf(t, olga.id)).toBe(10);

    // A later ✅ whose answer is for rita (her own answer) is the sync point: only it was sent by DM.
    const own = await answer(t, requester, post, 'Also: restart the spooler after the swap.');
    await react(t, requester, post, own.message.id);
    const dm = await dmTo(requester);

    expect(dmCalls(requester)).toHaveLength(1);
    expect(shown(dm.body as APIMessage)).toMatch(/^Marked your answer as the solution to Q1\. No points: it is your own answer\./);
    expect(t.discord.rest.calls(OPEN_DM)).toHaveLength(1);
    expect(botTextsIn(post).every((text) => text.startsWith('✅ Solved'))).toBe(true);
    expect(
      t.discord.rest
        .calls(POST_MESSAGE)
        .filter((c) => c.params.channel === post && (c.body as { message_reference?: unknown }).message_reference !== undefined),
    ).toEqual([]);
  });

  it('"No points: it is your own answer." goes to the asker by DM, pinging no one, with a link to what they reacted to', async () => {
    const { thread } = await postQuestion(t, requester, 'Outlook will not sync', 'The shared mailbox is stuck.');
    const own = await answer(t, requester, thread.id, 'Fixed it myself: removed and re-added the shared mailbox.');

    const handled = await react(t, requester, thread.id, own.message.id);
    const dm = await dmTo(requester);

    expect(handled?.reply).toMatchObject({ text: 'Marked your answer as the solution to Q1. No points: it is your own answer.' });
    const body = dm.body as { content: string; allowed_mentions?: { parse?: string[] } };
    expect(dm.status).toBe(200);
    expect(body.content).toMatch(/^Marked your answer as the solution to Q1\. No points: it is your own answer\./);
    expect(body.content).toContain(own.message.id); // the link to the reacted message, for context in a DM
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect((await question(t, 1)).status).toBe('solved');
    expect(botTextsIn(thread.id)).toEqual([expect.stringMatching(/^✅ Solved: Outlook will not sync/)]);
  });

  it('a note ("already marked") after "Mark as solution" marked the same answer goes to the asker by DM', async () => {
    const { thread } = await postQuestion(t, requester, 'Teams has no sound', 'Headset works elsewhere.');
    const reply = await answer(t, olga, thread.id, 'Pick the headset under Settings › Devices.');
    const marked = await markAsSolution(t, requester, thread.id, reply.message.id);
    expect(marked.text).toMatch(/^Marked olga's answer/);

    await react(t, requester, thread.id, reply.message.id);
    const dm = await dmTo(requester);

    expect((dm.body as { content: string }).content).toMatch(/^That answer is already marked as a solution to Q1\./);
    expect(botTextsIn(thread.id)).toHaveLength(1); // the one Solved card
  });

  it('a refusal (the question was deleted) goes to the asker by DM, not into the post', async () => {
    const { thread } = await postQuestion(t, requester, 'Badge does not open door 3', 'Since Monday.');
    const reply = await answer(t, olga, thread.id, 'Ask facilities to re-sync your badge.');
    await t.discord.gateway.messageDelete({ channelId: thread.id, messageId: thread.id }); // rita deletes her question's message
    await vi.waitFor(async () => expect((await question(t, 1)).status).toBe('deleted'));

    const handled = await react(t, requester, thread.id, reply.message.id);
    const dm = await dmTo(requester);

    expect(handled?.reply).toMatchObject({ text: 'Q1 was deleted, so it has no solution to mark.' });
    expect((dm.body as { content: string }).content).toMatch(/^Q1 was deleted, so it has no solution to mark\./);
    expect(botTextsIn(thread.id)).toEqual([]);
  });

  it('DMs closed: the note is dropped with a debug line; nothing goes into the post and nothing fails', async () => {
    t.discord.world.closedDms.add(requester.id);
    const { thread } = await postQuestion(t, requester, 'Laptop fan is loud', 'All day.');
    const own = await answer(t, requester, thread.id, 'Cleaned the vents, quiet now.');

    await react(t, requester, thread.id, own.message.id);
    const refused = await dmTo(requester);
    expect([refused.status, (refused.response as { code: number }).code]).toEqual([403, 50007]);
    await vi.waitFor(() => expect(t.logger.lines.find((l) => l.level === 'debug' && /DM/.test(l.msg))).toBeDefined());

    expect(t.logger.lines.filter((l) => l.level === 'error' || l.level === 'warn')).toEqual([]);
    expect(botTextsIn(thread.id)).toEqual([expect.stringMatching(/^✅ Solved/)]);
    expect(
      t.discord.rest
        .calls(POST_MESSAGE)
        .filter((c) => c.params.channel === thread.id && (c.body as { message_reference?: unknown }).message_reference !== undefined),
    ).toEqual([]);
  });
});

describe('/ask lets the asker into the post tierdesk made', () => {
  it("the asker is a member of the post's thread (PUT /channels/{post}/thread-members/{asker}), after the post exists", async () => {
    const payload = chatInputCommand(t.discord.context({ channel: support.id, user: requester.id }), {
      name: 'ask',
      options: { question: 'Where do I find the VPN profile?' },
    });
    await answered(t, payload, await t.discord.gateway.interactionCreate(payload));
    const post = await questionPost(t, 1);

    expect([...(t.discord.world.threadMembers.get(post)?.keys() ?? [])]).toEqual([t.discord.ids.botUserId, requester.id]);
    const joins = t.discord.rest.calls('PUT /channels/:channel/thread-members/:user');
    expect(joins.map((c) => [c.params.channel, c.params.user, c.status])).toEqual([[post, requester.id, 204]]);
    expect(t.discord.world.channel(post).parent_id).toBe(helpForum.id);
    // It joined the post itself, never the forum (a forum has no members).
    expect(t.discord.rest.calls((c) => c.params.channel === helpForum.id && c.route.includes('thread-members'))).toEqual([]);
  });
});
