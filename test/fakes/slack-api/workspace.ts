import type { FakeFile, FakeFileShare } from './files.js';
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';

/** The fake workspace's own ids, as Slack would report them in `auth.test` and payloads. */
export interface TeamIdentity {
  teamId: string;
  teamDomain: string;
  teamName: string;
  botUserId: string;
  botId: string;
  appId: string;
  /** The deprecated `token` field Slack still puts in payloads; Bolt ignores it. */
  verificationToken: string;
}

/** A user to seed; `tz` is an IANA zone (default `UTC`), the offset is derived at the fake's `now`. */
export interface FakeUserSeed {
  id: string;
  name?: string;
  real_name?: string;
  tz?: string;
  is_bot?: boolean;
  email?: string;
}

export interface FakeUser {
  id: string;
  team_id: string;
  name: string;
  real_name: string;
  deleted: false;
  is_bot: boolean;
  tz: string;
  tz_label: string;
  tz_offset: number;
  profile: { real_name: string; display_name: string; email?: string };
}

/** A message as stored by the fake (bot posts and seeded/user messages alike). */
export interface FakeMessage {
  type: 'message';
  channel: string;
  ts: string;
  user: string;
  text: string;
  /** Set on what is not a plain user message; here only `tombstone` (a deleted thread root). */
  subtype?: string;
  hidden?: boolean;
  bot_id?: string;
  app_id?: string;
  team: string;
  thread_ts?: string;
  blocks?: unknown;
  attachments?: unknown;
  metadata?: unknown;
  edited?: { user: string; ts: string };
  /** Who wrote the thread's root, on replies. */
  parent_user_id?: string;
  reply_count?: number;
  reply_users?: string[];
  latest_reply?: string;
  reactions?: { name: string; users: string[]; count: number }[];
  /** Files shared with the message (files.completeUploadExternal); the bytes are in `Workspace.files`. */
  files?: FakeFileShare[];
  upload?: boolean;
}

export interface FakeView extends Record<string, unknown> {
  id: string;
  hash: string;
  type: string;
}

/** A Slack Web API error: answered as HTTP 200 `{ ok: false, error: code }`, as Slack does. */
export class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(code);
  }
}

/** Slack refuses `views.open` with a trigger older than about 3 s. */
export const TRIGGER_LIFETIME_MS = 3_000;

export interface WorkspaceOptions {
  users?: FakeUserSeed[];
  /** Usergroup id (S...) → member user ids. */
  usergroups?: Record<string, string[]>;
  team?: Partial<TeamIdentity>;
  /** The fake's clock (epoch ms) for ts values, trigger expiry and recorded call times. */
  now?: () => number;
}

/** The state behind the fake Web API: users, channels' messages, views, DMs, triggers. */
export class Workspace {
  readonly team: TeamIdentity;
  readonly now: () => number;
  readonly users = new Map<string, FakeUser>();
  readonly usergroups = new Map<string, string[]>();
  /** User groups disabled (`usergroups.disable`) and not enabled again: they keep their members, but none is notified. */
  readonly disabledUsergroups = new Set<string>();
  readonly views = new Map<string, FakeView>();
  /** User id → id of the Home tab view last published for them. */
  readonly homeTabs = new Map<string, string>();
  /** Files uploaded through the external upload, by id, with their bytes. */
  readonly files = new Map<string, FakeFile>();
  readonly #messages = new Map<string, FakeMessage[]>();
  readonly #dms = new Map<string, string>();
  /** Channels the bot is not a member of (see `isBotIn`). */
  readonly #withoutBot = new Set<string>();
  readonly #triggers = new Map<string, number>();
  #lastTsMicros = 0;
  #seq = 0;

  constructor(options: WorkspaceOptions = {}) {
    this.now = options.now ?? (() => Date.now());
    this.team = {
      teamId: 'T0FAKE001',
      teamDomain: 'tierdesk-fake',
      teamName: 'Tierdesk Fake',
      botUserId: 'U0BOT0001',
      botId: 'B0BOT0001',
      appId: 'A0FAKEAPP',
      verificationToken: 'fake-verification-token',
      ...options.team,
    };
    this.addUser({ id: this.team.botUserId, name: 'tierdesk', real_name: 'tierdesk', is_bot: true });
    for (const seed of options.users ?? []) this.addUser(seed);
    for (const [id, members] of Object.entries(options.usergroups ?? {})) this.usergroups.set(id, [...members]);
  }

  addUser(seed: FakeUserSeed): FakeUser {
    const tz = seed.tz ?? 'UTC';
    const at = DateTime.fromMillis(this.now(), { zone: tz });
    if (!at.isValid) throw new Error(`fake Slack: user ${seed.id} has an unknown time zone ${tz}`);
    const name = seed.name ?? seed.id.toLowerCase();
    const realName = seed.real_name ?? name;
    const user: FakeUser = {
      id: seed.id,
      team_id: this.team.teamId,
      name,
      real_name: realName,
      deleted: false,
      is_bot: seed.is_bot ?? false,
      tz,
      tz_label: at.offsetNameLong ?? tz,
      tz_offset: at.offset * 60,
      profile: { real_name: realName, display_name: name, ...(seed.email ? { email: seed.email } : {}) },
    };
    this.users.set(user.id, user);
    return user;
  }

  user(id: unknown): FakeUser {
    const user = typeof id === 'string' ? this.users.get(id) : undefined;
    if (!user) throw new SlackApiError('user_not_found');
    return user;
  }

  /**
   * A message ts: epoch seconds with six decimals, unique and strictly increasing even when the
   * fake clock stands still or goes back (Slack guarantees uniqueness per channel; we do globally).
   */
  nextTs(): string {
    const micros = Math.max(this.now() * 1000, this.#lastTsMicros + 100);
    this.#lastTsMicros = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  /** An id in Slack's shape: prefix letter + uppercase alphanumerics, e.g. `V0FAKE0003`. */
  mintId(prefix: string): string {
    this.#seq += 1;
    return `${prefix}0FAKE${String(this.#seq).padStart(4, '0')}`;
  }

  nextEventId(): string {
    this.#seq += 1;
    return `Ev0FAKE${String(this.#seq).padStart(6, '0')}`;
  }

  /** A trigger id in Slack's shape, remembered with its issue time so `views.open` can expire it. */
  issueTrigger(): string {
    const id = `${Math.floor(this.now() / 1000)}.${this.#seq++}.${randomBytes(16).toString('hex')}`;
    this.#triggers.set(id, this.now());
    return id;
  }

  /** Unknown (hand-made) trigger ids are accepted; ones issued here expire after 3 s of fake time. */
  useTrigger(id: unknown): void {
    if (typeof id !== 'string' || id === '') throw new SlackApiError('invalid_arguments');
    const issuedAt = this.#triggers.get(id);
    if (issuedAt !== undefined && this.now() - issuedAt > TRIGGER_LIFETIME_MS) {
      throw new SlackApiError('expired_trigger_id');
    }
  }

  /** The app's DM channel with a user, stable per user (what `conversations.open` returns). */
  dmWith(userId: string): string {
    return this.conversationWith([userId]);
  }

  /** A DM (one user) or group DM (several), stable per set of users. */
  conversationWith(userIds: readonly string[]): string {
    for (const id of userIds) this.user(id);
    const key = [...userIds].sort().join(',');
    let id = this.#dms.get(key);
    if (!id) {
      id = this.mintId(userIds.length === 1 ? 'D' : 'G');
      this.#dms.set(key, id);
    }
    return id;
  }

  /** Any well-formed channel id exists; a user id means the app's DM with that user, as in Slack. */
  resolveChannel(id: unknown): string {
    if (typeof id !== 'string') throw new SlackApiError('channel_not_found');
    if (/^[UW][A-Z0-9]+$/.test(id)) return this.dmWith(id);
    if (!/^[CGD][A-Z0-9]+$/.test(id)) throw new SlackApiError('channel_not_found');
    return id;
  }

  /**
   * Whether the bot is a member of a channel, which `chat.postEphemeral` needs. Channels (C…, G…)
   * have it unless `removeBot` took it out (the test workspaces invited it everywhere); a direct
   * message (D…) only when it is the app's own, one `conversations.open` gave out, never a DM
   * between two people.
   */
  isBotIn(channel: string): boolean {
    if (channel.startsWith('D')) return [...this.#dms.values()].includes(channel);
    return !this.#withoutBot.has(channel);
  }

  /** The bot is not in `channel` (never invited, or removed): `chat.postEphemeral` there fails. */
  removeBot(channel: string): void {
    this.#withoutBot.add(channel);
  }

  /** The bot is invited to `channel`. */
  inviteBot(channel: string): void {
    this.#withoutBot.delete(channel);
  }

  /** Every message in a channel, thread replies included, in ts order. */
  messagesIn(channel: string): readonly FakeMessage[] {
    return this.#messages.get(channel) ?? [];
  }

  findMessage(channel: string, ts: unknown): FakeMessage {
    const found = this.messagesIn(channel).find((m) => m.ts === ts);
    if (!found) throw new SlackApiError('message_not_found');
    return found;
  }

  /** Stores a message and keeps the thread root's reply bookkeeping, as Slack shows it. */
  addMessage(message: Omit<FakeMessage, 'type' | 'ts' | 'team'> & { ts?: string }): FakeMessage {
    const stored: FakeMessage = { type: 'message', team: this.team.teamId, ...message, ts: message.ts ?? this.nextTs() };
    const list = this.#messages.get(stored.channel) ?? [];
    list.push(stored);
    list.sort((a, b) => Number(a.ts) - Number(b.ts));
    this.#messages.set(stored.channel, list);
    const root = stored.thread_ts ? list.find((m) => m.ts === stored.thread_ts) : undefined;
    if (root && root !== stored) {
      stored.parent_user_id ??= root.user;
      root.thread_ts = root.ts;
      root.reply_count = (root.reply_count ?? 0) + 1;
      root.reply_users = [...new Set([...(root.reply_users ?? []), stored.user])];
      root.latest_reply = stored.ts;
    }
    return stored;
  }

  /**
   * Edits a stored message as Slack does, and returns it as it was and as it is now (copies). New
   * text marks it `edited` by `by` (default its author) at a fresh ts; attachments alone (an unfurl)
   * do not.
   */
  editMessage(
    channel: string,
    ts: string,
    change: { text?: string; attachments?: unknown; by?: string },
  ): { previous: FakeMessage; message: FakeMessage } {
    const message = this.findMessage(channel, ts);
    if (message.subtype === 'tombstone') throw new SlackApiError('cant_update_message');
    const previous = structuredClone(message);
    if (change.attachments !== undefined) message.attachments = change.attachments;
    if (change.text !== undefined && change.text !== message.text) {
      message.text = change.text;
      delete message.blocks; // Slack rebuilds a user message's rich_text blocks from the new text
      message.edited = { user: change.by ?? message.user, ts: this.nextTs() };
    }
    return { previous, message: structuredClone(message) };
  }

  /**
   * Deletes a stored message as Slack does. A thread root with replies stays, as a tombstone
   * ("This message was deleted.", by USLACKBOT) that keeps the thread together: `tombstone` is it.
   * Anything else is gone. `previous` is the message as it was.
   */
  deleteMessage(channel: string, ts: string): { previous: FakeMessage; tombstone?: FakeMessage } {
    const message = this.findMessage(channel, ts);
    const previous = structuredClone(message);
    const list = this.#messages.get(channel) ?? [];
    const hasReplies = list.some((m) => m !== message && m.thread_ts === message.ts);
    if (hasReplies) {
      for (const key of ['blocks', 'attachments', 'metadata', 'edited', 'bot_id', 'app_id', 'reactions'] as const) delete message[key];
      Object.assign(message, {
        subtype: 'tombstone',
        hidden: true,
        user: SLACKBOT,
        parent_user_id: SLACKBOT,
        text: 'This message was deleted.',
        thread_ts: message.ts,
      });
      return { previous, tombstone: structuredClone(message) };
    }
    list.splice(list.indexOf(message), 1);
    const root = message.thread_ts && message.thread_ts !== message.ts ? list.find((m) => m.ts === message.thread_ts) : undefined;
    if (root) {
      const replies = list.filter((m) => m !== root && m.thread_ts === root.ts);
      root.reply_count = replies.length;
      root.reply_users = [...new Set(replies.map((m) => m.user))];
      root.latest_reply = replies.at(-1)?.ts ?? root.ts;
    }
    return { previous };
  }
}

/** Slack's own user: the author of tombstones and system notices. */
export const SLACKBOT = 'USLACKBOT';
