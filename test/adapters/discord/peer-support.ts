import type { APIMessage, APIUser } from 'discord.js';
import { forumChannel, messageCommand, role, type FakeChannel } from '../../fakes/discord/index.js';
import { answered, write, type Answered } from './interactions.js';
import { community, DISCORD_YAML, startDiscordDesk, type DiscordDesk, type Handled } from './support.js';

// Peer support in Discord: a help forum whose posts are questions, a helper role, and what people
// do there (post, answer, react ✅, "Mark as solution"), as Discord delivers it.

export const helpForum = forumChannel({ id: '200000000000000050', name: 'help-forum', tags: ['Printers', 'VPN'] });
export const helperRole = role({ id: '300000000000000050', name: 'Helpers' });

export const PEER_YAML = `${DISCORD_YAML}
peer:
  channels: { discord: ["${helpForum.id}"] }
  helper_group: { discord: "${helperRole.id}" }
  helper_threshold: 10
  unanswered: { ping_after: 30m, ticket_after: 4h }
  stale: { ask_after: 3d, close_after: 2d }
`;

/** tierdesk with a help forum and a helper role in the community (created after it connected, as a moderator would). */
export async function startPeerDesk(options: { forum?: FakeChannel; yaml?: string } = {}): Promise<DiscordDesk> {
  const t = await startDiscordDesk({ yaml: options.yaml ?? PEER_YAML });
  await t.discord.gateway.channelCreate(community.id, options.forum ?? helpForum);
  await t.discord.gateway.roleCreate(community.id, helperRole);
  return t;
}

/** The fake's current state of the help forum (its available tags) and of a post (its applied tags, archived, locked). */
export const forumNow = (t: DiscordDesk, id = helpForum.id) => t.discord.world.channel(id);
export const tagNames = (t: DiscordDesk, post: string): string[] => {
  const post_ = t.discord.world.channel(post);
  const tags = (forumNow(t, String(post_.parent_id)).available_tags as Array<{ id: string; name: string }>) ?? [];
  return ((post_.applied_tags as string[] | undefined) ?? []).map((id) => tags.find((x) => x.id === id)?.name ?? `?${id}`);
};
export const threadState = (t: DiscordDesk, post: string) => {
  const meta = t.discord.world.channel(post).thread_metadata as { archived: boolean; locked: boolean };
  return { archived: meta.archived, locked: meta.locked };
};

/** `who` opens a post in the help forum; resolves once the core handled its starter message and delivery drained. */
export async function postQuestion(
  t: DiscordDesk,
  who: APIUser,
  name: string,
  content: string,
  tags?: string[],
  forum = helpForum.id,
): Promise<{ thread: FakeChannel; starter: APIMessage; handled: Handled }> {
  const { thread, starter } = await t.discord.gateway.forumPost({ forumId: forum, authorId: who.id, name, content, ...(tags ? { tags } : {}) });
  const handled = await t.handled(`discord:message:${starter.id}`);
  await t.desk.dispatcher.drain();
  return { thread, starter, handled };
}

/** `who` writes in a post (an answer, a thanks). */
export async function answer(t: DiscordDesk, who: APIUser, post: string, content: string) {
  return write(t, who, post, content);
}

/** `who` reacts with `emoji` on a message in a post; resolves once the core handled the ✅ (other emoji are never delivered). */
export async function react(t: DiscordDesk, who: APIUser, post: string, message: string, emoji = '✅'): Promise<Handled | undefined> {
  await t.discord.gateway.reactionAdd({ channelId: post, messageId: message, userId: who.id, emoji });
  if (emoji !== '✅') return undefined;
  const handled = await t.handled(`discord:reaction:${message}:${who.id}:✅`);
  await t.desk.dispatcher.drain();
  return handled;
}

/** `who` uses the message command "Mark as solution" on a message in a post. */
export async function markAsSolution(t: DiscordDesk, who: APIUser, post: string, message: string): Promise<Answered> {
  const target = structuredClone(t.discord.world.message(post, message));
  const payload = messageCommand(t.discord.context({ channel: post, user: who.id }), { name: 'Mark as solution', target });
  const record = await t.discord.gateway.interactionCreate(payload);
  return answered(t, payload, record);
}

/** Lets the scheduler run what is due after `ms`, and delivers what it queued. */
export async function later(t: DiscordDesk, ms: number): Promise<void> {
  t.clock.advance(ms);
  await t.desk.scheduler.tick();
  await t.desk.dispatcher.drain();
}

/** The post tierdesk created for question `n` (its thread id is the question's root message id). */
export async function questionPost(t: DiscordDesk, n: number): Promise<string> {
  const row = await t.db.selectFrom('messages').selectAll().where('key', '=', `question:${n}`).executeTakeFirstOrThrow();
  return row.message_id;
}

export const question = (t: DiscordDesk, n: number) =>
  t.db.selectFrom('peer_questions').selectAll().where('number', '=', n).executeTakeFirstOrThrow();

export const pointsOf = async (t: DiscordDesk, userId: string): Promise<number> =>
  (await t.db.selectFrom('peer_points').select('points').where('person', 'like', `%${userId}`).execute()).reduce((n, r) => n + Number(r.points), 0);
