/** tierdesk's messages and gestures out to Slack (the dispatcher's side), failures in its vocabulary. */
import type { App } from '@slack/bolt';
import { webApi } from '@slack/bolt';
import type { Card, ChatAdapter, OutboundFile, Person, Place, Reply, ThreadLabel } from '../../src/ports.js';
import { PermanentDeliveryError, RateLimitedError } from '../../src/ports.js';
import { renderCard } from './block-kit.js';
import { ephemeral } from './replies.js';
import type { SlackPeople } from './people.js';

const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'account_inactive',
  'user_not_found',
  'message_not_found',
  'cant_update_message',
  'invalid_blocks',
  'msg_too_long',
  'no_text',
  'restricted_action',
  'cannot_dm_bot',
  'user_disabled',
  // reactions and user groups
  'invalid_name',
  'too_many_emoji',
  'too_many_reactions',
  'no_such_subteam',
  'invalid_users',
  'permission_denied',
  'missing_scope',
  // file uploads
  'file_too_large',
  'invalid_arguments',
  'file_not_found',
]);

/** How a peer question's label shows in Slack: reactions tierdesk adds to the question message. */
const LABEL_REACTIONS: Record<ThreadLabel, { add?: string; remove: string[] }> = {
  solved: { add: 'white_check_mark', remove: [] },
  closed: { add: 'lock', remove: [] },
  open: { remove: ['white_check_mark', 'lock'] },
};

/** Platform failures → the dispatcher's vocabulary: wait for Retry-After, give up, or retry. */
export function deliveryError(err: unknown): Error {
  const e = err as { code?: string; retryAfter?: number; data?: { error?: string }; message?: string };
  if (e?.code === webApi.ErrorCode.RateLimitedError) return new RateLimitedError(Math.max(1, e.retryAfter ?? 1) * 1000);
  if (e?.code === webApi.ErrorCode.PlatformError && e.data?.error && PERMANENT.has(e.data.error))
    return new PermanentDeliveryError(`slack: ${e.data.error}`);
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * The answer to a request acknowledged as queued, through the response_url it came with (valid 30
 * minutes, five answers): shown to the person alone, like every answer to a command or a button.
 */
export async function answerThroughResponseUrl(answerTo: string, reply: Reply): Promise<void> {
  const { responseUrl } = JSON.parse(answerTo) as { responseUrl: string };
  await postToResponseUrl(responseUrl, { ...ephemeral(reply), replace_original: false });
}

/** Post `message` to a command's or an action's response_url (Slack keeps it 30 minutes, 5 uses). */
export async function postToResponseUrl(responseUrl: string, message: object): Promise<void> {
  const response = await fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(message),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`slack: response_url answered ${response.status}`);
}

/** post, edit, openDirect, labelThread, grantGroup, setGroupMembers and upload of the Slack adapter. */
export function slackOutbound(
  client: App['client'],
  people: SlackPeople,
): Pick<ChatAdapter, 'post' | 'edit' | 'openDirect'> & Required<Pick<ChatAdapter, 'labelThread' | 'grantGroup' | 'setGroupMembers' | 'upload'>> {
  const directs = new Map<string, string>();
  /** The grant in progress per user group (see grantGroup). */
  const grants = new Map<string, Promise<unknown>>();
  return {
    async post(place: Place, card: Card) {
      const { text, blocks } = renderCard(card);
      try {
        const r = (await client.chat.postMessage({
          channel: place.channel,
          text,
          blocks,
          unfurl_links: false,
          unfurl_media: false,
          link_names: false,
          parse: 'none',
          ...(place.thread ? { thread_ts: place.thread } : {}),
        })) as { ts?: string; channel?: string };
        return { messageId: String(r.ts), place: { ...place, channel: r.channel ?? place.channel } };
      } catch (err) {
        throw deliveryError(err);
      }
    },
    async edit(place: Place, messageId: string, card: Card) {
      const { text, blocks } = renderCard(card);
      try {
        await client.chat.update({ channel: place.channel, ts: messageId, text, blocks, link_names: false, parse: 'none' });
      } catch (err) {
        throw deliveryError(err);
      }
    },
    async openDirect(p: Person) {
      let channel = directs.get(p.id);
      if (!channel) {
        try {
          const r = (await client.conversations.open({ users: p.id })) as { channel?: { id?: string } };
          channel = r.channel?.id;
        } catch (err) {
          throw deliveryError(err);
        }
        if (!channel) throw new Error('slack: conversations.open returned no channel');
        directs.set(p.id, channel);
      }
      return { platform: 'slack', space: p.space, channel };
    },
    async labelThread(place: Place, label: ThreadLabel) {
      // The question is the thread's root message; its reactions say how it stands.
      const timestamp = place.thread;
      if (!timestamp) return;
      const spec = LABEL_REACTIONS[label];
      const ignorable = (err: unknown, code: string) => (err as { data?: { error?: string } })?.data?.error === code;
      for (const name of spec.remove) {
        try {
          await client.reactions.remove({ channel: place.channel, timestamp, name });
        } catch (err) {
          if (!ignorable(err, 'no_reaction')) throw deliveryError(err);
        }
      }
      if (spec.add) {
        try {
          await client.reactions.add({ channel: place.channel, timestamp, name: spec.add });
        } catch (err) {
          if (!ignorable(err, 'already_reacted')) throw deliveryError(err);
        }
      }
    },
    grantGroup: (p: Person, group: string) => grantGroup(client, people, grants, p, group),
    setGroupMembers: (group: string, members: Person[]) => setGroupMembers(client, people, grants, group, members),
    upload: (place: Place, file: OutboundFile, card: Card) => upload(client, place, file, card),
  };
}

/**
 * An on-call handle: the group's members replaced with the on-call people (the group is tierdesk's).
 * Slack cannot empty a group (`usergroups.users.update` refuses an empty list), so with nobody on call the
 * group is disabled (its mention notifies no one), and enabled again before the next members are set
 * (enabling a group that is not disabled changes nothing, and tierdesk may have restarted in between).
 */
function setGroupMembers(
  client: App['client'],
  people: SlackPeople,
  grants: Map<string, Promise<unknown>>,
  group: string,
  members: Person[],
): Promise<void> {
  return oneAtATime(grants, group, async () => {
    const users = members.map((m) => m.id);
    try {
      if (users.length === 0) {
        await client.usergroups.disable({ usergroup: group });
      } else {
        await client.usergroups.enable({ usergroup: group });
        await client.usergroups.users.update({ usergroup: group, users: users.join(',') });
      }
    } catch (err) {
      throw deliveryError(err);
    }
    people.grouped(group, users);
  });
}

/** Run `work` after the change in progress to `group` (Slack only replaces a group's whole member list). */
function oneAtATime(queue: Map<string, Promise<unknown>>, group: string, work: () => Promise<void>): Promise<void> {
  const run = (queue.get(group) ?? Promise.resolve()).then(work);
  const settled = run.catch(() => undefined);
  queue.set(group, settled);
  void settled.then(() => {
    if (queue.get(group) === settled) queue.delete(group);
  });
  return run;
}

/**
 * A file shared in a channel, DM or thread with the card's text as its message, through Slack's
 * external upload (files.getUploadURLExternal, the bytes to the upload URL, files.completeUploadExternal),
 * which WebClient's filesUploadV2 runs in order. Needs the `files:write` scope.
 */
async function upload(client: App['client'], place: Place, file: OutboundFile, card: Card): Promise<void> {
  try {
    const common = { file: Buffer.from(file.content, 'utf8'), filename: file.name, title: file.name, initial_comment: renderCard(card).text };
    await client.filesUploadV2(
      place.thread ? { ...common, channel_id: place.channel, thread_ts: place.thread } : { ...common, channel_id: place.channel },
    );
  } catch (err) {
    throw deliveryError(err);
  }
}

/**
 * Slack only replaces a group's whole member list: grants to one group run one at a time, so two
 * helpers granted together do not overwrite each other.
 */
function grantGroup(client: App['client'], people: SlackPeople, grants: Map<string, Promise<unknown>>, p: Person, group: string): Promise<void> {
  return oneAtATime(grants, group, async () => {
    try {
      const current = ((await client.usergroups.users.list({ usergroup: group })) as { users?: string[] }).users ?? [];
      if (current.includes(p.id)) return;
      const users = [...current, p.id];
      await client.usergroups.users.update({ usergroup: group, users: users.join(',') });
      people.grouped(group, users);
    } catch (err) {
      throw deliveryError(err);
    }
  });
}
