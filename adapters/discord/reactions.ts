/**
 * The asker's ✅ on an answer in a peer forum post marks it as the solution (the core checks who
 * reacted). A reaction has no interaction to answer ephemerally and the post is public: anything
 * worth telling the person who reacted goes to them by DM.
 */
import { DiscordAPIError, Events, type Client, type MessageReaction, type PartialMessageReaction, type PartialUser, type User } from 'discord.js';
import type { Place, Reply } from '../../src/ports.js';
import type { PeerEditsContext } from './peer-edits.js';
import { cut } from './render.js';

/** The reaction that marks a solution in a peer forum post (by the asker); other reactions are just reactions. */
export const SOLUTION_EMOJI = '✅';

/** Discord's "Cannot send messages to this user": their DMs are closed to the bot. */
const CANNOT_DM = 50007;

/**
 * The core's answer to a ✅ that is worth telling the person who reacted, or undefined when it is a
 * plain acknowledgement (`quiet`: the post's "✅ Solved" card already says it). Notes such as "No
 * points: it is your own answer.", "already marked" and refusals are told.
 */
export function reactionNote(reply: Reply): string | undefined {
  return reply.quiet ? undefined : reply.text;
}

export interface ReactionsContext extends PeerEditsContext {
  placeOf: (channel: MessageReaction['message']['channel'], channelId: string, guildId: string) => Place;
}

export function followSolutionReactions(client: Client, ctx: ReactionsContext): void {
  client.on(Events.MessageReactionAdd, (reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser) => {
    const d = ctx.deliver();
    if (!d || user.bot || user.id === client.user?.id || reaction.emoji.name !== SOLUTION_EMOJI) return;
    const ch = reaction.message.channel;
    const guildId = reaction.message.guildId;
    if (!guildId || !ctx.guilds.has(guildId) || !ch.isThread() || !ch.parentId || !ctx.peerForums.has(ch.parentId)) return;
    void (async () => {
      const message = reaction.message.partial ? await reaction.message.fetch() : reaction.message;
      // A bot's message (tierdesk's own "Similar questions" and "Solved" cards too) is nobody's answer: its ✅ is only a reaction.
      if (message.author.bot) {
        ctx.logger.debug("discord ✅ on a bot's message: not a solution, ignored", { message: message.id, thread: ch.id, user: user.id });
        return;
      }
      const reactor = user.partial ? await user.fetch() : user;
      const guild = client.guilds.cache.get(guildId);
      const member = guild?.members.cache.get(reactor.id) ?? (await guild?.members.fetch(reactor.id).catch(() => null));
      const reply = await d({
        kind: 'reaction',
        emoji: SOLUTION_EMOJI,
        message: message.id,
        author: await ctx.authorOf(message),
        text: message.content,
        link: message.url,
        key: `discord:reaction:${message.id}:${reactor.id}:${SOLUTION_EMOJI}`,
        at: ctx.now(),
        from: ctx.person(member, reactor, guildId),
        place: ctx.placeOf(ch, ch.id, guildId),
      });
      // A success says nothing more than the "✅ Solved" card the core posts there; anything else is for the reactor alone.
      const note = reply ? reactionNote(reply) : undefined;
      if (note !== undefined) await tellPrivately(client, ctx, reactor, note, message.url);
    })().catch((err) => ctx.logger.error('discord reaction failed', { error: (err as Error).message }));
  });
}

/**
 * Words for one person that no one else should read, by DM (pinging no one). Closed DMs are the
 * person's choice, so a refusal there is noted at debug and dropped; any other failure is a warning.
 */
async function tellPrivately(client: Client, ctx: ReactionsContext, to: User, text: string, about: string): Promise<void> {
  const context = `\n-# About your ${SOLUTION_EMOJI} on ${about}`;
  try {
    const dm = await client.users.createDM(to.id);
    await dm.send({ content: cut(text, 2000 - context.length, 'see the post') + context, allowedMentions: { parse: [] } });
  } catch (err) {
    const closed = err instanceof DiscordAPIError && (err.code === CANNOT_DM || err.status === 403);
    ctx.logger[closed ? 'debug' : 'warn']('discord DM to the person who reacted failed: their answer is dropped', {
      user: to.id,
      error: (err as Error).message,
    });
  }
}
