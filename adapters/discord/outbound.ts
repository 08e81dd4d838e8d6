/**
 * What tierdesk sends to Discord: cards posted and edited (in channels, threads under a card, forum
 * posts), DMs and private ticket threads opened, people let into threads, forum posts labelled, roles
 * granted. Discord's failures are told in the dispatcher's vocabulary (retry later, or give up).
 */
import {
  ChannelType,
  DiscordAPIError,
  RateLimitError,
  Routes,
  type APIGuildMember,
  type Client,
  type Message,
  type MessageCreateOptions,
  type TextBasedChannel,
} from 'discord.js';
import type { Card, ChatAdapter, Logger, OutboundFile, Person, Place, ThreadLabel } from '../../src/ports.js';
import { PermanentDeliveryError, RateLimitedError } from '../../src/ports.js';
import { ensureTag, isForum, labelPost, type PeerTags } from './forum.js';
import { renderCard } from './render.js';

type Sendable = { id: string; send: (o: MessageCreateOptions) => Promise<Message> };

export interface OutboundOptions {
  ticketsChannel?: string;
  peerTags: PeerTags;
  logger: Logger;
}

/** Discord failures → the dispatcher's vocabulary. */
export function deliveryError(err: unknown): Error {
  if (err instanceof RateLimitError) return new RateLimitedError(Math.max(1, err.retryAfter), err.global);
  if (err instanceof DiscordAPIError && [400, 403, 404].includes(err.status))
    return new PermanentDeliveryError(`discord: ${err.status} ${err.message}`);
  return err instanceof Error ? err : new Error(String(err));
}

async function channel(client: Client, id: string): Promise<TextBasedChannel & { id: string }> {
  const ch = await client.channels.fetch(id);
  if (!ch || !ch.isTextBased()) throw new PermanentDeliveryError(`discord: channel ${id} is not a text channel tierdesk can see`);
  return ch as TextBasedChannel & { id: string };
}

/** A forum post (a thread) by id. */
async function forumPost(client: Client, id: string): Promise<TextBasedChannel & { id: string }> {
  const thread = await client.channels.fetch(id);
  if (!thread?.isThread()) throw new PermanentDeliveryError(`discord: forum post ${id} is not a thread tierdesk can see`);
  return thread;
}

/** Where a message for `place` goes: the channel, a forum post, or the thread under a message (created on first use). */
async function target(client: Client, place: Place): Promise<Sendable> {
  const raw = await client.channels.fetch(place.channel);
  // A forum holds no messages: a place in it is one of its posts.
  if (isForum(raw) && place.thread !== undefined) return (await forumPost(client, place.thread)) as unknown as Sendable;
  const ch = await channel(client, place.channel);
  if (place.thread === undefined || ch.isThread()) return ch as unknown as Sendable;
  const existing = await client.channels.fetch(place.thread).catch(() => null);
  if (existing?.isThread()) return existing as unknown as Sendable;
  if (!('messages' in ch)) throw new PermanentDeliveryError(`discord: cannot open a thread in ${place.channel}`);
  const parent = await ch.messages.fetch(place.thread);
  const title = parent.embeds[0]?.title ?? parent.content ?? 'ticket';
  return (await parent.startThread({ name: title.slice(0, 100) || 'ticket' })) as unknown as Sendable;
}

/**
 * The most one attachment may weigh: Discord takes 10 MiB per message from a bot in a server without
 * boosts; transcripts are capped at 8 MiB before they get here (src/capabilities/transcripts/render.ts).
 */
export const ATTACHMENT_LIMIT_BYTES = 10 * 1024 * 1024;

/** Posting and editing cards, and files as attachments. */
export function cardPosting(client: Client, options: OutboundOptions): Pick<ChatAdapter, 'post' | 'edit'> & Required<Pick<ChatAdapter, 'upload'>> {
  return {
    async upload(place: Place, file: OutboundFile, card: Card) {
      const attachment = Buffer.from(file.content, 'utf8');
      if (attachment.length > ATTACHMENT_LIMIT_BYTES)
        throw new PermanentDeliveryError(
          `discord: ${file.name} is ${attachment.length} bytes; an attachment holds at most ${ATTACHMENT_LIMIT_BYTES}`,
        );
      try {
        const ch = await target(client, place);
        await ch.send({ ...renderCard(card), files: [{ attachment, name: file.name }] });
      } catch (err) {
        throw deliveryError(err);
      }
    },
    async post(place: Place, card: Card) {
      try {
        const forum = place.thread === undefined ? await client.channels.fetch(place.channel) : null;
        if (isForum(forum)) {
          // A forum takes posts, not messages: the card opens a new post (a question), tagged Open.
          const open = await ensureTag(forum, options.peerTags.open, options.logger);
          const thread = await forum.threads.create({
            name: card.title.slice(0, 100) || 'Question',
            message: renderCard(card),
            ...(open ? { appliedTags: [open] } : {}),
          });
          return { messageId: thread.id, place: { platform: 'discord', space: place.space, channel: forum.id } };
        }
        const ch = await target(client, place);
        const sent = await ch.send(renderCard(card));
        return { messageId: sent.id, place: { platform: 'discord', space: place.space, channel: sent.channelId } };
      } catch (err) {
        throw deliveryError(err);
      }
    },
    async edit(place: Place, messageId: string, card: Card) {
      try {
        // In a forum, a message lives in a post: the post's starter message has the post's id.
        const raw = await client.channels.fetch(place.channel);
        const ch = isForum(raw) ? await forumPost(client, place.thread ?? messageId) : await channel(client, place.channel);
        const { content, embeds, components, allowedMentions } = renderCard(card);
        await ch.messages.edit(messageId, {
          ...(content !== undefined ? { content } : {}),
          embeds: embeds ?? [],
          components: components ?? [],
          ...(allowedMentions ? { allowedMentions } : {}),
        });
      } catch (err) {
        throw deliveryError(err);
      }
    },
  };
}

/** Places and people: DMs, private ticket threads, thread members, forum labels, roles. */
export function placesAndPeople(
  client: Client,
  options: OutboundOptions,
): Required<Pick<ChatAdapter, 'openDirect' | 'openPrivateThread' | 'labelThread' | 'grantGroup' | 'addMembers' | 'sealThread'>> {
  const places: Required<Pick<ChatAdapter, 'openDirect' | 'openPrivateThread' | 'labelThread' | 'grantGroup' | 'addMembers' | 'sealThread'>> = {
    async sealThread(place: Place, closed: boolean) {
      try {
        // Fresh state: a moderator may have archived or locked it since.
        const thread = await client.channels.fetch(place.channel, { force: true });
        // Only a ticket's own private thread: a ticket from a peer question lives in the public forum post,
        // which stays open for the community (a DM has nothing to close).
        if (!thread?.isThread() || thread.type !== ChannelType.PrivateThread) return;
        const reason = closed ? 'tierdesk: ticket closed' : 'tierdesk: ticket reopened';
        if (closed) {
          if (thread.archived && thread.locked) return;
          // Discord changes an archived thread only in a request that unarchives it: lock it open, then archive.
          if (thread.archived) await thread.edit({ archived: false, locked: true, reason });
          await thread.edit({ locked: true, archived: true, reason });
        } else if (thread.archived || thread.locked) {
          await thread.edit({ archived: false, locked: false, reason });
        }
      } catch (err) {
        throw deliveryError(err);
      }
    },
    async openDirect(p: Person) {
      try {
        const dm = await client.users.createDM(p.id);
        return { platform: 'discord', space: p.space, channel: dm.id };
      } catch (err) {
        throw deliveryError(err);
      }
    },
    async openPrivateThread(p: Person, title: string) {
      if (!options.ticketsChannel) return places.openDirect(p);
      try {
        const parent = await client.channels.fetch(options.ticketsChannel);
        if (!parent || parent.type !== ChannelType.GuildText)
          throw new PermanentDeliveryError(`discord: tickets channel ${options.ticketsChannel} is not a text channel`);
        const thread = await parent.threads.create({
          name: title.slice(0, 100),
          type: ChannelType.PrivateThread,
          invitable: false,
          autoArchiveDuration: 10080,
        });
        await thread.members.add(p.id);
        return { platform: 'discord', space: p.space, channel: thread.id };
      } catch (err) {
        throw deliveryError(err);
      }
    },
    async labelThread(place: Place, label: ThreadLabel) {
      const id = place.thread;
      if (id === undefined) return;
      try {
        // Fresh state: a moderator may have retagged, archived or locked the post since.
        const thread = await client.channels.fetch(id, { force: true });
        if (!thread?.isThread()) throw new PermanentDeliveryError(`discord: ${id} is not a forum post tierdesk can see`);
        const parent = thread.parentId ? await client.channels.fetch(thread.parentId, { force: true }) : null;
        await labelPost(thread, parent, label, options.peerTags, options.logger);
      } catch (err) {
        throw deliveryError(err);
      }
    },
    async grantGroup(p: Person, role: string) {
      if (p.platform !== 'discord' || !/^\d{15,21}$/.test(role)) return;
      try {
        await client.rest.put(Routes.guildMemberRole(p.space, p.id, role), { reason: 'tierdesk: helper points threshold reached' });
      } catch (err) {
        throw deliveryError(err);
      }
    },
    async addMembers(place: Place, people: Person[]) {
      try {
        // A private ticket thread is the place's channel; a forum post is its thread.
        let ch = await client.channels.fetch(place.channel);
        if (!ch?.isThread() && place.thread !== undefined) ch = await client.channels.fetch(place.thread);
        if (!ch?.isThread()) return;
        for (const p of people) if (p.platform === 'discord') await ch.members.add(p.id);
      } catch (err) {
        throw deliveryError(err);
      }
    },
  };
  return places;
}

/** An on-call handle's role: given to a member (saying whether this call gave it), and taken back. */
export function handleRoles(client: Client): Required<Pick<ChatAdapter, 'addToGroup' | 'removeFromGroup'>> {
  return {
    async addToGroup(p: Person, role: string) {
      const guild = guildOfRole(client, p.space, role);
      try {
        // Read first: a member someone else gave the role keeps it when their turn ends.
        const current = (await client.rest.get(Routes.guildMember(guild, p.id))) as APIGuildMember;
        if (current.roles.includes(role)) return false;
        await client.rest.put(Routes.guildMemberRole(guild, p.id, role), { reason: 'tierdesk: on call for the tier' });
        return true;
      } catch (err) {
        // Someone on call who is not in the guild gets nothing; the others' changes go on.
        if (isUnknownMember(err)) return false;
        throw deliveryError(err);
      }
    },
    async removeFromGroup(p: Person, role: string) {
      const guild = guildOfRole(client, p.space, role);
      try {
        await client.rest.delete(Routes.guildMemberRole(guild, p.id, role), { reason: 'tierdesk: no longer on call for the tier' });
      } catch (err) {
        if (isUnknownMember(err)) return; // they left the guild, and the role with them
        throw deliveryError(err);
      }
    },
  };
}

/** Discord's 10007 Unknown Member: the person is not (or no longer) in the guild. */
function isUnknownMember(err: unknown): boolean {
  return err instanceof DiscordAPIError && err.code === 10007;
}

/** The guild a role belongs to: the one given, else the guild tierdesk is in that has the role. */
function guildOfRole(client: Client, space: string, role: string): string {
  if (space !== '') return space;
  const guild = client.guilds.cache.find((g) => g.roles.cache.has(role));
  if (!guild) throw new PermanentDeliveryError(`discord: no guild tierdesk is in has the role ${role}`);
  return guild.id;
}
