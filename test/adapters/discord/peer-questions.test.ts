import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatInputCommand, messageCommand } from '../../fakes/discord/index.js';
import { findMessage } from '../../../src/store/messages.js';
import { card } from '../../../src/core/render.js';
import { answered, CALLBACK, modalShown, submit, textsIn } from './interactions.js';
import { ann, community, olga, requester, support, type DiscordDesk } from './support.js';
import {
  answer,
  forumNow,
  helpForum,
  markAsSolution,
  pointsOf,
  postQuestion,
  question,
  questionPost,
  react,
  startPeerDesk,
  tagNames,
} from './peer-support.js';

// Peer support in a Discord forum, end to end: the real discord.js Client against the fake Discord,
// the real core behind it. Each post in the help forum is a question; the asker's ✅ or "Mark as
// solution" marks the answer; tierdesk keeps the post's Open/Solved tag.

let t: DiscordDesk;
beforeEach(async () => {
  t = await startPeerDesk();
});
afterEach(async () => {
  await t.close();
});

const THREADS = 'POST /channels/:channel/threads';

async function ask(
  who = requester,
  options: Record<string, string> = { question: 'The printer on floor 2 prints blank pages' },
  channel = support.id,
) {
  const payload = chatInputCommand(t.discord.context({ channel, user: who.id }), { name: 'ask', options });
  const record = await t.discord.gateway.interactionCreate(payload);
  return { payload, record };
}

describe('a post made by hand', () => {
  it("becomes question Q1: its place is the forum and the post, its id the post's, its title the post's name", async () => {
    const { thread, starter, handled } = await postQuestion(t, requester, 'Printer prints blank pages', 'Since the toner change, floor 2.');

    expect(starter.id).toBe(thread.id);
    expect(handled.event).toMatchObject({
      kind: 'message',
      id: thread.id,
      title: 'Printer prints blank pages',
      text: 'Since the toner change, floor 2.',
      link: `https://discord.com/channels/${community.id}/${thread.id}/${thread.id}`,
      place: { platform: 'discord', space: community.id, channel: helpForum.id, thread: thread.id },
    });
    expect(await question(t, 1)).toMatchObject({ title: 'Printer prints blank pages', channel: helpForum.id, platform: 'discord', status: 'open' });
    expect(await findMessage(t.db, 'question:1')).toMatchObject({ channel: helpForum.id, message_id: thread.id, thread: null });
    expect(textsIn(t, thread.id)).toHaveLength(1); // nothing similar yet: tierdesk keeps quiet
  });

  it('answers in the post are answers, not questions, and carry the post as their thread', async () => {
    const { thread } = await postQuestion(t, requester, 'VPN drops', 'Every hour on the dot.');
    const reply = await answer(t, olga, thread.id, 'Turn off the power saving of the Wi-Fi adapter.');

    expect(reply.handled.event).toMatchObject({ kind: 'message', id: reply.message.id, place: { channel: helpForum.id, thread: thread.id } });
    expect(reply.handled.event).not.toHaveProperty('title');
    expect((await t.db.selectFrom('peer_questions').select('number').execute()).length).toBe(1);
    expect((await question(t, 1)).answered_at).not.toBeNull();
  });
});

describe('/ask', () => {
  it('creates a forum post titled with the question, tagged Open (created in the forum), and tells the asker where', async () => {
    const { payload, record } = await ask();
    const reply = await answered(t, payload, record);

    const [created] = t.discord.rest.calls(THREADS);
    expect(created?.params.channel).toBe(helpForum.id);
    expect(created?.body).toMatchObject({
      name: 'Q1: The printer on floor 2 prints blank pages',
      message: { embeds: [expect.objectContaining({ title: 'Q1: The printer on floor 2 prints blank pages' })], allowed_mentions: { parse: [] } },
    });
    const post = await questionPost(t, 1);
    expect(String((created?.response as { id: string }).id)).toBe(post);
    expect(await findMessage(t.db, 'question:1')).toMatchObject({ channel: helpForum.id, message_id: post, thread: null });
    expect(t.discord.world.message(post, post).author.id).toBe(t.discord.ids.botUserId); // the starter message has the post's id
    expect(tagNames(t, post)).toEqual(['Open']);
    expect((forumNow(t).available_tags as Array<{ name: string }>).map((x) => x.name)).toEqual(['Printers', 'VPN', 'Open']);
    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toMatch(new RegExp(`^Question Q1 posted in <#${helpForum.id}>`));
    // Its own starter message (written by the bot) is not a second question.
    expect((await t.db.selectFrom('peer_questions').select('number').execute()).length).toBe(1);
  });

  it("the question card is edited where it lives: the starter message (id = the post's) inside the post", async () => {
    const { payload, record } = await ask();
    await answered(t, payload, record);
    const post = await questionPost(t, 1);

    await t.adapter.edit(
      { platform: 'discord', space: community.id, channel: helpForum.id },
      post,
      card({ title: 'Q1: The printer (edited)', tone: 'public' }),
    );

    const edit = t.discord.rest.calls('PATCH /channels/:channel/messages/:message').at(-1);
    expect([edit?.params.channel, edit?.params.message, edit?.status]).toEqual([post, post, 200]);
    expect(t.discord.world.message(post, post).embeds[0]?.title).toBe('Q1: The printer (edited)');
  });

  it('without a question shows a form (title and details); its submission posts the question', async () => {
    const { payload } = await ask(requester, {});
    const form = await modalShown(t, payload);
    expect(form.custom_id).toBe('tierdesk:form:ask:sub=');

    const reply = await submit(t, requester, support.id, form, {
      title: 'Outlook will not sync',
      question: 'Since Monday.\nOnly the shared mailbox.',
    });

    expect(reply.text).toMatch(/^Question Q1 posted/);
    expect(await question(t, 1)).toMatchObject({ title: 'Outlook will not sync', body: 'Since Monday.\nOnly the shared mailbox.' });
    expect(t.discord.rest.calls(THREADS)[0]?.body).toMatchObject({ name: 'Q1: Outlook will not sync' });
  });

  it("a title longer than a post's name (100) is cut for the name, kept whole in the question", async () => {
    const long = `Why ${'does the printer '.repeat(9)}fail?`;
    const { payload, record } = await ask(requester, { question: long });
    await answered(t, payload, record);

    const name = (t.discord.rest.calls(THREADS)[0]?.body as { name: string }).name;
    expect(name.length).toBe(100);
    expect((await question(t, 1)).title).toBe(long);
  });

  it('an empty form is refused ephemerally and posts nothing', async () => {
    const { payload } = await ask(requester, {});
    const reply = await submit(t, requester, support.id, await modalShown(t, payload), { title: '   ' });

    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toMatch(/A question needs some words/);
    expect(t.discord.rest.calls(THREADS)).toEqual([]);
  });
});

describe('marking the solution', () => {
  it("the asker's ✅ on an answer: Solved replaces Open, the other tags stay, a Solved card, points for the helper", async () => {
    const printers = (forumNow(t).available_tags as Array<{ id: string; name: string }>)[0]!.id;
    const { thread } = await postQuestion(t, requester, 'Printer prints blank pages', 'Floor 2.', [printers]);
    const reply = await answer(t, olga, thread.id, 'Shake the new toner cartridge before you put it in.');
    // A post made by hand keeps the tags its author chose, and gets Open as it becomes a question.
    expect(tagNames(t, thread.id)).toEqual(['Printers', 'Open']);

    const handled = await react(t, requester, thread.id, reply.message.id);

    expect(handled?.event).toMatchObject({
      kind: 'reaction',
      emoji: '✅',
      message: reply.message.id,
      text: 'Shake the new toner cartridge before you put it in.',
      author: { platform: 'discord', id: olga.id, name: 'olga' },
      from: { id: requester.id },
      place: { channel: helpForum.id, thread: thread.id },
      link: `https://discord.com/channels/${community.id}/${thread.id}/${reply.message.id}`,
    });
    expect(handled?.reply).toMatchObject({ text: expect.stringMatching(/Marked olga's answer as the solution to Q1/) });
    expect(tagNames(t, thread.id)).toEqual(['Printers', 'Solved']);
    expect(textsIn(t, thread.id).at(-1)).toMatch(/^✅ Solved: Printer prints blank pages/);
    expect((await question(t, 1)).status).toBe('solved');
    expect(await pointsOf(t, olga.id)).toBe(10);
  });

  it("after /ask, the asker's ✅: Open is replaced by Solved on the post", async () => {
    const { payload, record } = await ask();
    await answered(t, payload, record);
    const post = await questionPost(t, 1);
    expect(tagNames(t, post)).toEqual(['Open']);
    const reply = await answer(t, olga, post, 'Replace the fuser.');

    await react(t, requester, post, reply.message.id);

    expect(tagNames(t, post)).toEqual(['Solved']);
    const solved = (forumNow(t).available_tags as Array<{ name: string; moderated: boolean }>).find((x) => x.name === 'Solved');
    expect(solved?.moderated).toBe(true); // only moderators (and tierdesk) may put it on a post
  });

  it("a ✅ by someone else, another emoji, or tierdesk's own ✅ marks nothing", async () => {
    const { thread } = await postQuestion(t, requester, 'VPN drops', 'Every hour.');
    const reply = await answer(t, olga, thread.id, 'Update the client.');

    await t.discord.gateway.reactionAdd({ channelId: thread.id, messageId: reply.message.id, userId: t.discord.ids.botUserId, emoji: '✅' });
    await react(t, requester, thread.id, reply.message.id, '👍');
    // Gateway events arrive in order: once ann's ✅ is handled, the two before it were seen and dropped.
    await react(t, ann, thread.id, reply.message.id);

    expect((await question(t, 1)).status).toBe('open');
    expect(t.inbound.filter((h) => h.event.kind === 'reaction').map((h) => h.event.from.id)).toEqual([ann.id]);
    expect(tagNames(t, thread.id)).toEqual(['Open']);
  });

  it('"Mark as solution" by someone who did not ask is refused, only to them; by the asker it marks it', async () => {
    const { thread } = await postQuestion(t, requester, 'Outlook will not sync', 'Shared mailbox.');
    const reply = await answer(t, ann, thread.id, 'Remove and re-add the shared mailbox.');

    const refused = await markAsSolution(t, olga, thread.id, reply.message.id);
    expect(refused.ephemeral).toBe(true);
    expect(refused.text).toMatch(/^Only rita, who asked Q1, or a moderator can mark its solution/);
    expect((await question(t, 1)).status).toBe('open');

    const marked = await markAsSolution(t, requester, thread.id, reply.message.id);
    expect(marked.handled.event).toMatchObject({
      kind: 'action',
      action: 'peer.solution',
      place: { channel: helpForum.id, thread: thread.id },
      about: {
        id: reply.message.id,
        author: { id: ann.id, name: 'ann' },
        text: 'Remove and re-add the shared mailbox.',
        link: `https://discord.com/channels/${community.id}/${thread.id}/${reply.message.id}`,
      },
    });
    expect(marked.ephemeral).toBe(true);
    expect(marked.text).toMatch(/Marked Ann Agent's answer as the solution to Q1/);
    expect(tagNames(t, thread.id)).toEqual(['Solved']);
    const callbacks = t.discord.rest.calls(CALLBACK).filter((c) => c.params.interaction === marked.payload.id);
    expect(callbacks.map((c) => c.status)).toEqual([204]);
    expect(marked.record.response!.at - marked.record.at).toBeLessThan(3000);
  });

  it('"Mark as solution" outside a peer forum is refused kindly', async () => {
    const panel = await t.discord.gateway.messageCreate({ channelId: support.id, authorId: olga.id, content: 'hello' });
    const payload = messageCommand(t.discord.context({ channel: support.id, user: requester.id }), { name: 'Mark as solution', target: panel });
    const record = await t.discord.gateway.interactionCreate(payload);
    const reply = await answered(t, payload, record);

    expect(reply.ephemeral).toBe(true);
    expect(reply.text).toMatch(/not in a question's thread/);
  });
});
