/**
 * Peer questions follow their forum posts: in a peer forum, a message edited, a post renamed, a
 * message or a whole post deleted become Inbound `edited` / `deleted` events. The core decides what
 * they change (only the asker's edits of the question, a marked answer, a deleted question); no
 * reply is ever posted. Everything outside the peer forums is ignored here already.
 *
 * Edits come through discord.js's `messageUpdate` (the message before and after, to tell an edit
 * from an embed being resolved). Renames and deletions are read from the gateway packets
 * themselves: discord.js only reports a deleted or updated thread it has cached (an archived post
 * after a restart is not), and the packet arrives before its cache changes, so the post's old name
 * and the deleted message's author are still there to read.
 */
import { createHash } from 'node:crypto';
import {
  Events,
  GatewayDispatchEvents,
  type Client,
  type GatewayDispatchPayload,
  type GatewayMessageDeleteDispatchData,
  type GatewayThreadDeleteDispatchData,
  type GatewayThreadUpdateDispatchData,
  type GuildMember,
  type Message,
  type PartialMessage,
  type User,
} from 'discord.js';
import type { Inbound, Logger, Person, Place, Reply } from '../../src/ports.js';

export interface PeerEditsContext {
  guilds: ReadonlySet<string>;
  peerForums: ReadonlySet<string>;
  /** The core's entry point once the adapter started; undefined before and after. */
  deliver: () => ((event: Inbound) => Promise<Reply | void>) | undefined;
  person: (member: GuildMember | null | undefined, user: { id: string; username: string; globalName?: string | null }, guildId: string) => Person;
  authorOf: (message: Message | PartialMessage) => Promise<Person>;
  logger: Logger;
  now: () => number;
}

/** Who deleted something Discord does not say, and its author may be unknown: the core only checks the asker of edits. */
export const unknownPerson = (guildId: string): Person => ({ platform: 'discord', space: guildId, id: guildId, name: 'unknown' });

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

const postPlace = (guildId: string, forum: string, post: string): Place => ({ platform: 'discord', space: guildId, channel: forum, thread: post });

/** What the handlers below share: the client, the adapter's context and a few lookups over them. */
interface PeerWatch {
  client: Client;
  ctx: PeerEditsContext;
  isPeerForum(guildId: string | null | undefined, forum: string | null | undefined): forum is string;
  /** Deliver the event `event` builds, if the adapter is running; a failure is logged as `discord peer <what> failed`. */
  forward(what: string, event: () => Promise<Inbound | undefined>): void;
  personById(guildId: string, userId: string): Promise<Person | undefined>;
  cachedAuthor(message: Message | PartialMessage | undefined, guildId: string): Person;
}

export function followPeerEdits(client: Client, ctx: PeerEditsContext): void {
  /** The gateway session of each shard (from READY): with a dispatch's sequence number, a stable id for it. */
  const sessions = new Map<number, string>();
  const w = peerWatch(client, ctx);
  client.on(Events.MessageUpdate, (old, updated) => edited(w, old, updated));
  client.on(Events.Raw, (packet: GatewayDispatchPayload, shard: number) => {
    switch (packet.t) {
      case GatewayDispatchEvents.Ready:
        sessions.set(shard, packet.d.session_id);
        return;
      case GatewayDispatchEvents.ThreadUpdate:
        return renamed(w, packet.d, `${sessions.get(shard) ?? `shard${shard}`}:${packet.s}`);
      case GatewayDispatchEvents.ThreadDelete:
        return postDeleted(w, packet.d);
      case GatewayDispatchEvents.MessageDelete:
        return messageDeleted(w, packet.d);
      default:
        return;
    }
  });
}

function peerWatch(client: Client, ctx: PeerEditsContext): PeerWatch {
  return {
    client,
    ctx,
    isPeerForum: (guildId, forum): forum is string => !!guildId && ctx.guilds.has(guildId) && !!forum && ctx.peerForums.has(forum),
    forward(what, event) {
      const deliver = ctx.deliver();
      if (!deliver) return;
      void (async () => {
        const e = await event();
        if (e) await deliver(e); // no reply is posted: these are not messages anyone wrote to tierdesk
      })().catch((err) => ctx.logger.error(`discord peer ${what} failed`, { error: (err as Error).message }));
    },
    /** A member by id, as a Person: from the cache, else fetched; undefined for bots (and for nobody at all). */
    async personById(guildId, userId) {
      const guild = client.guilds.cache.get(guildId);
      const member = guild?.members.cache.get(userId) ?? (await guild?.members.fetch(userId).catch(() => null)) ?? null;
      const user: User | null = member?.user ?? client.users.cache.get(userId) ?? (await client.users.fetch(userId).catch(() => null));
      if (!user || user.bot) return undefined;
      return ctx.person(member, user, guildId);
    },
    /** The author of a message still in the cache, else unknown. */
    cachedAuthor(message, guildId) {
      if (!message || message.partial) return unknownPerson(guildId);
      return ctx.person(message.member, message.author, guildId);
    },
  };
}

/** An edit: the new words (and the post's name, for its starter message, whose id is the post's). */
function edited(w: PeerWatch, old: Message | PartialMessage, updated: Message | PartialMessage): void {
  const { client, ctx } = w;
  const ch = updated.channel;
  if (!ctx.deliver() || !ch.isThread() || !w.isPeerForum(updated.guildId, ch.parentId)) return;
  const guildId = updated.guildId!;
  const forum = ch.parentId!;
  w.forward('edit', async () => {
    const message = updated.partial ? await updated.fetch().catch(() => null) : updated;
    if (!message || message.author.bot || message.author.id === client.user?.id) return undefined;
    // Embeds resolved, a pin, a reaction count: the content is what it was, so nothing was edited.
    if (!old.partial && old.content === message.content) return undefined;
    // Not cached before: only a message that was ever edited can have new words.
    if (old.partial && message.editedTimestamp === null) return undefined;
    const starter = message.id === ch.id;
    return {
      kind: 'edited',
      message: message.id,
      text: message.content,
      ...(starter ? { title: ch.name } : {}),
      // Every edit has its own edited_timestamp: a second look at the same edit is the same event.
      key: `discord:edited:${message.id}:${message.editedTimestamp ?? digest(message.content)}`,
      at: message.editedTimestamp ?? ctx.now(),
      from: await ctx.authorOf(message),
      place: postPlace(guildId, forum, ch.id),
    };
  });
}

/**
 * A post renamed: an edit of its starter message whose `title` is the new name, with the starter's
 * words when they are cached (else none: the core keeps the question's body). Only a change from
 * a name tierdesk saw counts; tierdesk's own posts (/ask) keep the question's title.
 */
function renamed(w: PeerWatch, d: GatewayThreadUpdateDispatchData, dispatch: string): void {
  const { client, ctx } = w;
  if (!ctx.deliver() || !w.isPeerForum(d.guild_id, d.parent_id)) return;
  const cached = client.channels.cache.get(d.id);
  if (!cached?.isThread() || d.name === undefined || cached.name === d.name) return;
  const guildId = d.guild_id!;
  const starter = cached.messages.cache.get(d.id);
  const text = starter && !starter.partial ? starter.content : undefined;
  const authorId = starter?.author?.id ?? d.owner_id ?? cached.ownerId;
  if (!authorId || authorId === client.user?.id) return;
  const name = d.name;
  w.forward('rename', async () => {
    const from = await w.personById(guildId, authorId);
    if (!from) return undefined;
    return {
      kind: 'edited',
      message: d.id,
      title: name,
      ...(text !== undefined ? { text } : {}),
      // A rename has no timestamp: the dispatch itself (session and sequence) names it.
      key: `discord:renamed:${d.id}:${dispatch}`,
      at: ctx.now(),
      from,
      place: postPlace(guildId, d.parent_id!, d.id),
    };
  });
}

/** A post deleted, with everything in it: its question is deleted. */
function postDeleted(w: PeerWatch, d: GatewayThreadDeleteDispatchData): void {
  const { client, ctx } = w;
  if (!ctx.deliver() || !w.isPeerForum(d.guild_id, d.parent_id)) return;
  const cached = client.channels.cache.get(d.id);
  const thread = cached?.isThread() ? cached : undefined;
  const starter = thread?.messages.cache.get(d.id);
  const ownerId = thread?.ownerId;
  const owner = ownerId ? client.guilds.cache.get(d.guild_id)?.members.cache.get(ownerId) : undefined;
  const from =
    starter && !starter.partial ? w.cachedAuthor(starter, d.guild_id) : owner ? ctx.person(owner, owner.user, d.guild_id) : unknownPerson(d.guild_id);
  w.forward('post deletion', async () => ({
    kind: 'deleted',
    message: d.id,
    key: `discord:deleted:${d.id}`,
    at: ctx.now(),
    from,
    place: postPlace(d.guild_id, d.parent_id, d.id),
  }));
}

/** A message deleted in a post: the starter (the question itself) or a marked answer matter to the core. */
function messageDeleted(w: PeerWatch, d: GatewayMessageDeleteDispatchData): void {
  const { client, ctx } = w;
  if (!ctx.deliver() || !d.guild_id || !ctx.guilds.has(d.guild_id)) return;
  const guildId = d.guild_id;
  const cached = client.channels.cache.get(d.channel_id);
  if (cached && (!cached.isThread() || !w.isPeerForum(guildId, cached.parentId))) return;
  // Read now: once discord.js handles the packet the message is gone from its cache.
  const from = w.cachedAuthor(cached?.isThread() ? cached.messages.cache.get(d.id) : undefined, guildId);
  w.forward('message deletion', async () => {
    // A post tierdesk has not cached (archived before a restart) is fetched to find its forum.
    const thread = cached ?? (await client.channels.fetch(d.channel_id).catch(() => null));
    if (!thread?.isThread() || !w.isPeerForum(guildId, thread.parentId)) return undefined;
    return {
      kind: 'deleted',
      message: d.id,
      key: `discord:deleted:${d.id}`,
      at: ctx.now(),
      from,
      place: postPlace(guildId, thread.parentId!, thread.id),
    };
  });
}
