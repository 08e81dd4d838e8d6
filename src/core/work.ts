import { showsAlready } from '../store/messages.js';
import { cardFingerprint } from './render.js';
import type { HookName, HookPayloads } from './capability.js';
import type { Catalogue } from './catalogue.js';
import type { Config } from '../config/config.js';
import type { Card, Clock, Logger, OutboundEvent, OutboundFile, Person, Platform, ThreadLabel } from '../ports.js';
import type { Db } from '../store/connect.js';
import type { SearchIndex } from '../store/search.js';
import { insertEvent, type EventActor } from '../store/events.js';
import { dropPendingEdits, type NewOutboxItem, type OutboxBody, type Target } from '../store/outbox.js';
import { writeQueuedRows } from '../store/queued-rows.js';
import { cancelTimer, type NewTimer } from '../store/timers.js';
import type { Actor, Directory } from './directory.js';

/** Where an outbox message goes: a place, a person's DM, or the thread under a message we posted. */
export type { Target } from '../store/outbox.js';

/** The side of a ticket a thread belongs to: the agents' card thread or the requester's conversation. */
export type Side = 'agents' | 'requester';

/** What every use case needs; built once by createDesk. */
export interface Core {
  db: Db;
  config: Config;
  clock: Clock;
  logger: Logger;
  directory: Directory;
  newId: () => string;
  /** Hint the dispatcher (new outbox rows) and the scheduler (new or moved timers) after a commit. */
  wake: (what: { outbox: boolean; timers: boolean }) => void;
  /** Full-text search over published articles and solved questions. */
  search: SearchIndex;
  /** Every capability's declarations: commands, buttons, timers, and the lifecycle hooks they listen to. */
  catalogue: Catalogue;
  /** Told after each commit that wrote ticket events, with those tickets (live dashboards listen). */
  committed?: (tickets: readonly number[]) => void;
}

/** The ticket events that raise a lifecycle hook. */
const HOOK_OF_EVENT: Readonly<Record<string, HookName>> = {
  opened: 'ticket.opened',
  claimed: 'ticket.claimed',
  resolved: 'ticket.resolved',
  closed: 'ticket.closed',
  reopened: 'ticket.reopened',
  sla_warning: 'sla.warning',
  sla_breached: 'sla.breached',
  page_started: 'page.started',
  page_acknowledged: 'page.acknowledged',
};

/**
 * One unit of work: a transaction plus the helpers that write an event, an outbox row or a timer
 * inside it. Nothing here talks to a platform; the dispatcher sends after commit.
 */
export class Work {
  /** Outbox rows written in one statement at the end of the unit (they are many, and small); ids are given then, in send order. */
  private readonly outbox: Array<Omit<NewOutboxItem, 'id'>> = [];
  /** Timers set in this unit, by id, written in one statement at the end (the last setting wins). */
  private readonly timers = new Map<string, NewTimer>();
  /** Lifecycle hooks raised in this unit, run at its end: they see the state the use case left. */
  private readonly raised: Array<() => Promise<void>> = [];

  /**
   * @param held timers this transaction holds to fire after this unit (the scheduler's group): a
   * timer this unit sets or cancels is taken out, so it does not fire now but as set, or never.
   */
  constructor(
    readonly db: Db,
    readonly core: Core,
    readonly now: number,
    private readonly held?: Set<string>,
  ) {}

  /** The tickets this unit wrote events for: told to `core.committed` after commit. */
  readonly touched = new Set<number>();

  /** Append to a ticket's audit log. */
  async event(ticket: number, actor: Actor | 'system', kind: string, data: Record<string, unknown> = {}): Promise<void> {
    this.touched.add(ticket);
    const who: EventActor =
      actor === 'system'
        ? { kind: 'system' }
        : {
            kind: 'person',
            platform: actor.person.platform,
            space: actor.person.space,
            id: actor.person.id,
            name: actor.name,
            ...(actor.personId ? { personId: actor.personId } : {}),
          };
    // The running totals /metrics reports are counted with the event, and commit with it.
    await insertEvent(this.db, { id: this.core.newId(), ticket, at: this.now, actor: who, kind, data });
    const hook = HOOK_OF_EVENT[kind];
    if (hook) {
      const clock = typeof data.clock === 'string' ? { clock: data.clock } : {};
      const dueAt = typeof data.dueAt === 'number' ? { dueAt: data.dueAt } : {};
      this.raise(hook, { ticket, ...clock, ...dueAt } as HookPayloads[typeof hook]);
    }
  }

  /**
   * Raise a lifecycle hook: every capability listening to it runs at the end of this unit of work,
   * in its transaction (a hook that fails rolls the whole change back, so nothing is half-done).
   * Ticket events raise theirs by themselves (`opened` → `ticket.opened`).
   */
  raise<K extends HookName>(name: K, payload: HookPayloads[K]): void {
    for (const hook of this.core.catalogue.hooks(name)) this.raised.push(() => hook(this.core, this, payload));
  }

  /** Queue one outbox row: what `body` asks (a card to post, an op's data) on `target`. */
  private queue(target: Target, body: OutboxBody, fields: { key?: string; ticket?: number; side?: Side; at?: number } = {}): void {
    this.outbox.push({
      created_at: this.now,
      target,
      message_key: fields.key ?? null,
      ticket: fields.ticket ?? null,
      side: fields.side ?? null,
      body,
      next_attempt_at: fields.at ?? this.now,
    });
  }

  /** Queue a message. With `key`, the posted message is remembered so it can be edited or threaded under. */
  async post(target: Target, card: Card, opts: { key?: string; ticket?: number; side?: Side } = {}): Promise<void> {
    this.queue(target, { op: 'post', card }, opts);
  }

  /** Queue an in-place edit of the message posted under `key`; supersedes older pending edits. */
  async edit(key: string, card: Card, ticket?: number): Promise<void> {
    const waitUntil = await dropPendingEdits(this.db, key);
    const superseded = this.outbox.findIndex((r) => r.body.op === 'edit' && r.message_key === key);
    if (superseded >= 0) this.outbox.splice(superseded, 1);
    // No platform call that changes nothing: the message already shows exactly this card.
    if (await showsAlready(this.db, key, cardFingerprint(card))) return;
    this.queue(
      { kind: 'thread', of: key },
      { op: 'edit', card },
      {
        key,
        ...(ticket !== undefined ? { ticket } : {}),
        at: Math.max(this.now, waitUntil ?? 0),
      },
    );
  }

  /** What this unit wrote, so only the loops with new work are woken. */
  readonly wrote = { outbox: false, timers: false };

  /** Let people into the private conversation under `key` (where the platform has membership). */
  async addMembers(key: string, people: Person[], ticket?: number): Promise<void> {
    if (people.length === 0) return;
    this.queue({ kind: 'thread', of: key }, { op: 'members', people }, { key, ...(ticket !== undefined ? { ticket } : {}) });
  }

  /** Label the peer question whose root message is registered under `key` (src/app/peer-*.ts). */
  async label(key: string, label: ThreadLabel): Promise<void> {
    this.queue({ kind: 'thread', of: key }, { op: 'label', label }, { key });
  }

  /**
   * Close (archive and lock) or open again the private thread whose root message is registered under
   * `key` (a ticket's requester conversation): opening in order with the messages of that conversation, closing
   * after every other row of the unit (see sendOrder). Platforms without such threads ignore it.
   */
  async sealThread(key: string, closed: boolean, ticket: number): Promise<void> {
    this.queue({ kind: 'thread', of: key }, { op: 'seal', closed }, { key, ticket });
  }

  /**
   * Queue a file upload with `card` as its message. A platform without uploads gets `fallback`
   * instead (a card saying where to find it), or nothing when there is none.
   */
  async upload(target: Target, file: OutboundFile, card: Card, opts: { ticket?: number; fallback?: Card } = {}): Promise<void> {
    const body: OutboxBody = { op: 'upload', file, card, ...(opts.fallback ? { fallback: opts.fallback } : {}) };
    this.queue(target, body, opts.ticket !== undefined ? { ticket: opts.ticket } : {});
  }

  /**
   * Queue a lifecycle event for the outbound webhook `name` (the `webhook` lane): delivered, retried
   * and kept in order per ticket by the dispatcher like any message.
   */
  async webhook(name: string, event: OutboundEvent, ticket?: number): Promise<void> {
    const target: Target = { kind: 'place', place: { platform: 'webhook', space: 'webhook', channel: name } };
    this.queue(target, { op: 'webhook', event }, ticket !== undefined ? { ticket } : {});
  }

  /** Add a person to a platform group (the helper role), where the platform has groups. */
  async grant(person: Person, group: string): Promise<void> {
    this.queue({ kind: 'direct', person }, { op: 'grant', group });
  }

  /**
   * Make an on-call handle's members `people` (a Slack user group replaced whole; a Discord role given
   * to them and taken back only from those tierdesk gave it to). The target's channel is the group.
   */
  async setHandle(platform: Platform, space: string, group: string, people: Person[]): Promise<void> {
    this.queue({ kind: 'place', place: { platform, space, channel: group } }, { op: 'handle', group, space, people });
  }

  /** Write the queued outbox rows and timers; called once, just before commit. */
  async flush(): Promise<void> {
    // Hooks may write events that raise more hooks: run until none is left (a cycle is a bug).
    for (let round = 0; this.raised.length > 0; round++) {
      if (round > 20) throw new Error('lifecycle hooks keep raising each other');
      for (const run of this.raised.splice(0)) await run();
    }
    this.wrote.outbox ||= this.outbox.length > 0;
    this.wrote.timers ||= this.timers.size > 0;
    const rows = sendOrder(this.outbox.splice(0)).map((row) => ({ id: this.core.newId(), ...row }));
    const timers = [...this.timers.values()];
    for (const id of this.timers.keys()) this.held?.delete(id);
    this.timers.clear();
    await writeQueuedRows(this.db, rows, timers, this.now);
  }

  /** Create or move the timer `kind` for `subject`; written at commit. */
  async setTimer(kind: string, subject: string, dueAt: number, data?: unknown): Promise<void> {
    this.timers.set(`${kind}:${subject}`, { kind, subject, dueAt, ...(data !== undefined ? { data } : {}) });
  }

  async cancelTimer(kind: string, subject: string): Promise<void> {
    this.timers.delete(`${kind}:${subject}`);
    this.held?.delete(`${kind}:${subject}`);
    await cancelTimer(this.db, kind, subject);
  }
}

/**
 * The order a unit's rows are sent in (the dispatcher sends by id): as queued, except that closing a thread goes
 * after everything else the unit wrote, whichever hook queued it first (a survey asked on close must not land in
 * a locked thread). Opening one again stays where it was queued, before the notices posted into it.
 */
function sendOrder<R extends { body: OutboxBody }>(rows: R[]): R[] {
  const closing = (r: R) => r.body.op === 'seal' && r.body.closed;
  return [...rows.filter((r) => !closing(r)), ...rows.filter(closing)];
}

/** Run `fn` in one transaction; after commit, wake the dispatcher and scheduler. */
export async function inTransaction<T>(core: Core, fn: (work: Work) => Promise<T>): Promise<T> {
  let wrote = { outbox: false, timers: false };
  let touched: ReadonlySet<number> = new Set();
  const result = await core.db.transaction().execute(async (trx) => {
    const work = new Work(trx, core, core.clock.now());
    const value = await fn(work);
    await work.flush();
    wrote = work.wrote;
    touched = work.touched;
    return value;
  });
  if (wrote.outbox || wrote.timers) core.wake(wrote);
  if (touched.size > 0) core.committed?.([...touched]);
  return result;
}
