/**
 * Peer-support forums: a forum post (a thread) is a question, tierdesk keeps its Open/Solved tag,
 * and closing a question archives and locks the post. Discord's limits are kept: a forum holds at
 * most 20 tags and a post carries at most 5; when the forum is full tierdesk does not tag (and says
 * so in the log) rather than fail the delivery or remove a tag someone else made.
 */
import {
  ChannelType,
  DiscordAPIError,
  type AnyThreadChannel,
  type Channel,
  type ForumChannel,
  type GuildForumTag,
  type MediaChannel,
} from 'discord.js';
import type { Logger, Place, ThreadLabel } from '../../src/ports.js';

export const MAX_FORUM_TAGS = 20;
export const MAX_POST_TAGS = 5;

export type Forum = ForumChannel | MediaChannel;

export interface PeerTags {
  open: string;
  solved: string;
}

export const DEFAULT_PEER_TAGS: PeerTags = { open: 'Open', solved: 'Solved' };

export function isForum(ch: Channel | null | undefined): ch is Forum {
  return ch?.type === ChannelType.GuildForum || ch?.type === ChannelType.GuildMedia;
}

/**
 * Where something written in `channel` happened, as the core sees places: a post in a peer forum
 * is `{ channel: <forum>, thread: <post> }`; anything else is the channel (or thread) itself.
 */
export function placeIn(channel: Channel | null | undefined, channelId: string, guildId: string, peerForums: ReadonlySet<string>): Place {
  const parent = channel?.isThread() ? channel.parentId : null;
  if (parent && peerForums.has(parent)) return { platform: 'discord', space: guildId, channel: parent, thread: channelId };
  return { platform: 'discord', space: guildId, channel: channelId };
}

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The id of the forum's tag `name`, created when missing if the forum has room (`moderated`: only
 * moderators and tierdesk may apply it, so a Solved tag means a marked solution). Undefined (and a
 * warning) when the forum already holds Discord's 20 tags.
 */
export async function ensureTag(forum: Forum, name: string, logger: Logger, moderated = false): Promise<string | undefined> {
  const found = forum.availableTags.find((t) => sameName(t.name, name));
  if (found) return found.id;
  if (forum.availableTags.length >= MAX_FORUM_TAGS) {
    logger.warn('discord forum has no room for a tag: not tagging', {
      forum: forum.id,
      tag: name,
      tags: forum.availableTags.length,
      max: MAX_FORUM_TAGS,
    });
    return undefined;
  }
  const keep = forum.availableTags.map((t: GuildForumTag) => ({ id: t.id, name: t.name, moderated: t.moderated, emoji: t.emoji }));
  try {
    const updated = await forum.setAvailableTags([...keep, { name: name.slice(0, 20), moderated }], 'tierdesk: peer-support question tags');
    return updated.availableTags.find((t) => sameName(t.name, name))?.id;
  } catch (err) {
    // Without Manage Channels the question still works, untagged: say what to fix.
    if (err instanceof DiscordAPIError && err.status === 403) {
      logger.warn('discord forum tag could not be created (the bot needs Manage Channels on the forum): not tagging', {
        forum: forum.id,
        tag: name,
        error: err.message,
      });
      return undefined;
    }
    throw err;
  }
}

/** The tags a post gets: ours for `label` in place of the other one, the rest kept, at most 5. */
export function nextTags(current: readonly string[], mine: string | undefined, other: string | undefined): { tags: string[]; full: boolean } {
  const tags = current.filter((t) => t !== other);
  if (mine === undefined || tags.includes(mine)) return { tags, full: false };
  if (tags.length >= MAX_POST_TAGS) return { tags, full: true };
  return { tags: [...tags, mine], full: false };
}

/**
 * Label a question's post: `open` / `solved` swap the forum's Open and Solved tags (an archived or
 * locked post is reopened first, in the same request); `closed` archives and locks it. Tags are
 * only touched when they change; nothing is sent when nothing would change.
 */
export async function labelPost(
  thread: AnyThreadChannel,
  parent: Channel | null,
  label: ThreadLabel,
  names: PeerTags,
  logger: Logger,
): Promise<void> {
  if (label === 'closed') {
    if (thread.archived && thread.locked) return;
    // Discord changes an archived thread only in a request that unarchives it: lock it open, then archive.
    if (thread.archived) await thread.edit({ archived: false, locked: true, reason: 'tierdesk: question closed' });
    await thread.edit({ locked: true, archived: true, reason: 'tierdesk: question closed' });
    return;
  }
  const patch: { archived?: false; locked?: false; appliedTags?: string[] } = {};
  if (thread.archived) patch.archived = false;
  if (thread.locked) patch.locked = false;
  if (isForum(parent)) {
    const mine = await ensureTag(parent, label === 'solved' ? names.solved : names.open, logger, label === 'solved');
    const otherName = label === 'solved' ? names.open : names.solved;
    const other = parent.availableTags.find((t) => sameName(t.name, otherName))?.id;
    const { tags, full } = nextTags(thread.appliedTags, mine, other);
    if (full) logger.warn('discord forum post already carries 5 tags: not adding one', { thread: thread.id, label, max: MAX_POST_TAGS });
    if (tags.length !== thread.appliedTags.length || tags.some((t, i) => t !== thread.appliedTags[i])) patch.appliedTags = tags;
  }
  if (Object.keys(patch).length === 0) return;
  await thread.edit({ ...patch, reason: `tierdesk: question ${label}` });
}
