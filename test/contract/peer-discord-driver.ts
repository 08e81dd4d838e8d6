import type { APIMessage } from 'discord.js';
import { findMessageByPlatformId } from '../../src/store/messages.js';
import { buttonPress, chatInputCommand, type OptionValue } from '../fakes/discord/index.js';
import { answered, command, shown, type Answered } from '../adapters/discord/interactions.js';
import { answer as writeAnswer, helpForum, markAsSolution, postQuestion, react, tagNames } from '../adapters/discord/peer-support.js';
import { community, olga, requester, startDiscordDesk, support } from '../adapters/discord/support.js';
import { NO_BUTTON, PEER_CONTRACT_YAML, type PeerDriver } from './peer-driver.js';

const WRITES = ['POST /channels/:channel/messages', 'PATCH /channels/:channel/messages/:message'];

/**
 * Discord through the real discord.js Client against the fake Discord: a post in the help forum is
 * the question (its starter message has the post's id), the helper answers in the post, the asker's
 * ✅ (or the "Mark as solution" message command) marks the answer; `/helpers`, `/kb search` and
 * `/ticket new` are slash commands answered ephemerally, and the offer's buttons are pressed on that
 * answer as Discord sends a button press.
 */
export async function startDiscordPeerDriver(gesture: 'reaction' | 'menu'): Promise<PeerDriver> {
  const t = await startDiscordDesk({ yaml: PEER_CONTRACT_YAML });
  // A moderator creates the help forum after tierdesk connected (tierdesk adds its tags to it).
  await t.discord.gateway.channelCreate(community.id, helpForum);
  const posts = new Map<number, string>();
  const answers = new Map<number, string>();

  /** A slash command by the asker in the tickets channel, answered to them. */
  async function slash(name: string, options: Record<string, OptionValue>, subcommand?: string): Promise<Answered> {
    const payload = chatInputCommand(t.discord.context({ channel: support.id, user: requester.id }), {
      name,
      ...(subcommand ? { subcommand } : {}),
      options,
    });
    return answered(t, payload, await t.discord.gateway.interactionCreate(payload));
  }

  return {
    platform: 'discord',
    gesture,
    askerName: 'rita',
    helperName: 'olga',
    async ask(question) {
      // A forum post needs a name and a message: the question is both, as people often write it.
      const { thread, handled } = await postQuestion(t, requester, question, question);
      const row = await findMessageByPlatformId(t.db, 'discord', helpForum.id, thread.id);
      const number = Number(/^question:(\d+)$/.exec(row?.key ?? '')?.[1]);
      if (!Number.isInteger(number)) throw new Error(`the post ${thread.id} did not become a question`);
      posts.set(number, thread.id);
      return { number, answer: handled.reply ? handled.reply.text : undefined };
    },
    async answer(n, text) {
      const post = posts.get(n);
      if (!post) throw new Error(`no post for Q${n}`);
      const written = await writeAnswer(t, olga, post, text);
      answers.set(n, written.message.id);
      return written.handled.reply ? written.handled.reply.text : undefined;
    },
    async markSolution(n) {
      const post = posts.get(n);
      const message = answers.get(n);
      if (!post || !message) throw new Error(`Q${n} has no answer to mark`);
      if (gesture === 'reaction') {
        // Discord has no ephemeral answer to a reaction: the asker sees the Solved card in the post.
        const handled = await react(t, requester, post, message);
        return handled?.reply ? handled.reply.text : undefined;
      }
      return (await markAsSolution(t, requester, post, message)).text;
    },
    helpers: async (period) => (await slash('helpers', { period })).text,
    kbSearch: async (words) => (await slash('kb', { query: words }, 'search')).text,
    async newTicket(title) {
      const offer = await command(t, requester, support.id, 'new', { title });
      const original = offer.record.original as APIMessage | undefined;
      const rows = (original?.components ?? []) as unknown as Array<{ components?: Array<{ custom_id?: string; label?: string }> }>;
      const buttons = rows.flatMap((r) => r.components ?? []);
      return {
        // The whole card as Discord shows it: the embed's title, description and footer.
        text: original ? shown(original) : offer.text,
        onlyToAsker: offer.ephemeral,
        buttons: buttons.map((b) => b.label ?? ''),
        async openAnyway() {
          const open = buttons.find((b) => b.custom_id?.startsWith('tierdesk:deflect.open:'));
          if (!open?.custom_id || !original) return NO_BUTTON;
          const payload = buttonPress(t.discord.context({ channel: support.id, user: requester.id }), {
            customId: open.custom_id,
            message: original,
          });
          return (await answered(t, payload, await t.discord.gateway.interactionCreate(payload))).text;
        },
      };
    },
    threadSaw(n) {
      const post = posts.get(n);
      if (!post) return [];
      // Every version of what tierdesk wrote in the post, and what people wrote there.
      return [
        ...t.discord.rest
          .calls()
          .filter((c) => WRITES.includes(c.route) && c.params.channel === post && c.status === 200)
          .map((c) => shown(c.body as object)),
        ...t.discord.world
          .messagesIn(post)
          .filter((m) => m.author.id !== t.discord.ids.botUserId)
          .map(shown),
      ];
    },
    whereIs(n) {
      const [post, answer] = [posts.get(n), answers.get(n)];
      if (!post) throw new Error(`no question ${n}`);
      const base = `https://discord.com/channels/${community.id}/${post}/`;
      return { question: base + post, answer: answer ? base + answer : undefined };
    },
    labels(n) {
      const post = posts.get(n);
      return post ? tagNames(t, post) : [];
    },
    db: t.db,
    close: () => t.close(),
  };
}
