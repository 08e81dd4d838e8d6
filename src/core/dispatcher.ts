import { PermanentDeliveryError, RateLimitedError, type ChatAdapter, type Platform } from '../ports.js';
import { observeDelivery } from './metrics.js';
import {
  leaseOutbox,
  markDead,
  markRetry,
  nextOutboxDue,
  pendingOutbox,
  postGivenUp,
  releaseLeases,
  renewLease,
  type OutboxItem,
} from '../store/outbox.js';
import { Pump } from './pump.js';
import { NotYet, platformOf, sendRow } from './send-row.js';
import { conversationOf } from './outbox-routing.js';
import { processCounters } from './operations.js';
import type { Core } from './work.js';
import type { DispatcherOptions, PassResult } from './dispatcher-options.js';

export type { DispatcherOptions, PassResult } from './dispatcher-options.js';

/**
 * Delivers outbox rows after commit: in order per conversation, with retry and exponential backoff,
 * honouring Retry-After on 429. Stores the platform message id so later edits and thread replies
 * find the message. Rows survive restarts: whatever was not delivered goes out on the next start.
 */
export class Dispatcher {
  private readonly batch: number;
  private readonly maxAttempts: number;
  private readonly random: () => number;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly missingAdapterLogged = new Set<string>();
  /** Platforms that asked us to stop everything for a while (a global rate limit), until when. */
  private readonly pausedUntil = new Map<Platform, number>();
  private readonly pump: Pump;

  constructor(
    private readonly core: Core,
    private readonly adapters: ReadonlyMap<Platform, ChatAdapter>,
    options: DispatcherOptions = {},
  ) {
    this.batch = options.batch ?? 200;
    this.maxAttempts = options.maxAttempts ?? 12;
    this.random = options.random ?? Math.random;
    this.concurrency = options.concurrency ?? 8;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pump = new Pump(
      core,
      'dispatcher',
      () => this.deliverDue(),
      async () => {
        const now = core.clock.now();
        let due = await nextOutboxDue(core.db, now);
        // While a platform is paused, waking before the pause ends would only find the same rows waiting.
        const pauses = [...this.pausedUntil.values()].filter((until) => until > now);
        if (due !== undefined && pauses.length > 0) due = Math.max(due, Math.min(...pauses));
        // A row can be due while its conversation waits on an earlier one (in backoff, or leased
        // elsewhere): after a pass that sent nothing, look again in a second rather than spin on it.
        // New work still wakes the loop at once (nudge).
        if (due !== undefined && this.lastPassSent === 0 && due < now + 1000) due = now + 1000;
        return due;
      },
    );
  }

  /**
   * One pass over pending rows: deliver every row that is due and whose conversation is not
   * blocked. Passes in this process never overlap (the background loop and a drain may both ask).
   */
  deliverDue(): Promise<PassResult> {
    const pass = this.passing.then(() => this.pass());
    this.passing = pass.catch(() => undefined);
    return pass;
  }

  private passing: Promise<unknown> = Promise.resolve();
  /** How many rows the last pass sent (none: the loop waits a little before looking again). */
  private lastPassSent = -1;

  private async pass(): Promise<PassResult> {
    const now = this.core.clock.now();
    // Every platform paused by a global rate limit: nothing can go out, so read nothing.
    if (this.adapters.size > 0 && [...this.adapters.keys()].every((p) => (this.pausedUntil.get(p) ?? 0) > now))
      return { sent: 0, failed: 0, waiting: 0 };
    const rows = await this.readPending(now);
    const result: PassResult = { sent: 0, failed: 0, waiting: 0 };
    // Rows of one conversation go out in order, one after another; conversations go out side by
    // side, so one slow or failing ticket does not hold up the others.
    const queues = new Map<string, OutboxItem[]>();
    for (const row of rows) {
      const key = conversationOf(row);
      const queue = queues.get(key);
      if (queue) queue.push(row);
      else queues.set(key, [row]);
    }
    const work = [...queues.values()];
    const lane = async () => {
      for (let queue = work.shift(); queue; queue = work.shift()) {
        // Another process holds this conversation (its head is leased): leave it to them.
        if (Number(queue[0]!.lease_until ?? 0) > now) {
          result.waiting += queue.length;
          continue;
        }
        const { claimed, held } = await this.claim(queue, now);
        if (claimed < queue.length) result.waiting += queue.length - claimed;
        for (const [i, row] of queue.slice(0, claimed).entries()) {
          if (Number(row.next_attempt_at) > now) {
            result.waiting += queue.length - i; // keep order: nothing later overtakes it
            break;
          }
          // The head was leased a moment ago; before each later row, make sure the lease is still
          // ours (a long pass may outlive it, and another replica may have taken the rest).
          let mine = held;
          if (i > 0) {
            const renewed = this.core.clock.now() + this.leaseMs;
            if (!(await renewLease(this.core.db, row.id, held, renewed))) {
              result.waiting += claimed - i;
              await releaseLeases(
                this.core.db,
                queue.slice(i + 1, claimed).map((r) => r.id),
                held,
              );
              break;
            }
            mine = renewed;
          }
          const outcome = await this.deliver(row, now);
          if (outcome === 'sent') {
            result.sent++;
            continue;
          }
          if (outcome === 'failed') result.failed++;
          result.waiting += claimed - i - (outcome === 'failed' ? 1 : 0);
          // Give back what this pass will not deliver, this row included when it was left as it was
          // (a platform paused by a global rate limit); a rescheduled row has no lease any more.
          if (mine === held)
            await releaseLeases(
              this.core.db,
              queue.slice(i, claimed).map((r) => r.id),
              held,
            );
          else {
            await releaseLeases(this.core.db, [row.id], mine);
            await releaseLeases(
              this.core.db,
              queue.slice(i + 1, claimed).map((r) => r.id),
              held,
            );
          }
          break;
        }
      }
    };
    // Every lane finishes before the pass ends, even when one fails (passes never overlap).
    const lanes = await Promise.allSettled(Array.from({ length: Math.min(this.concurrency, work.length) }, lane));
    this.lastPassSent = result.sent;
    const failure = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
    if (failure) throw failure.reason;
    return result;
  }

  /**
   * Lease the due rows at the head of a conversation, so that another process running a
   * dispatcher on the same database leaves them alone (several replicas on one PostgreSQL). A lease
   * ends when the row is sent or rescheduled, or after a minute if this process dies. Returns how
   * many rows from the head were claimed, in order.
   */
  private async claim(queue: OutboxItem[], now: number): Promise<{ claimed: number; held: number }> {
    let due = 0;
    while (due < queue.length && Number(queue[due]!.next_attempt_at) <= now) due++;
    const held = this.core.clock.now() + this.leaseMs;
    if (due === 0) return { claimed: 0, held };
    const ids = queue.slice(0, due).map((r) => r.id);
    const won = new Set(await leaseOutbox(this.core.db, ids, now, held));
    let claimed = 0;
    while (claimed < due && won.has(queue[claimed]!.id)) claimed++;
    if (claimed < won.size)
      await releaseLeases(
        this.core.db,
        ids.slice(claimed).filter((id) => won.has(id)),
        held,
      );
    return { claimed, held };
  }

  /**
   * The oldest pending rows, in id order, reading past rows that cannot go now (in backoff, or
   * behind one that is) so that undeliverable rows never hide deliverable ones: up to `batch`
   * deliverable-looking rows, scanning at most ten pages.
   */
  private async readPending(now: number): Promise<OutboxItem[]> {
    const rows: OutboxItem[] = [];
    const blocked = new Set<string>();
    let after: string | undefined;
    let due = 0;
    for (let page = 0; page < 10 && due < this.batch; page++) {
      const batch = await pendingOutbox(this.core.db, this.batch, after);
      for (const row of batch) {
        rows.push(row);
        const conversation = conversationOf(row);
        if (blocked.has(conversation)) continue;
        if (Number(row.next_attempt_at) > now || Number(row.lease_until ?? 0) > now) blocked.add(conversation);
        else due++;
      }
      if (batch.length < this.batch) break;
      after = batch[batch.length - 1]!.id;
    }
    return rows;
  }

  /** Deliver until nothing due is left (console end of input, tests). Rows waiting for a later retry stay. */
  async drain(maxPasses = 1000): Promise<void> {
    for (let i = 0; i < maxPasses; i++) {
      const r = await this.deliverDue();
      if (r.sent === 0) return;
    }
  }

  start(): void {
    this.pump.start();
  }

  nudge(): void {
    this.pump.nudge();
  }

  async stop(): Promise<void> {
    await this.pump.stop();
  }

  private async deliver(row: OutboxItem, now: number): Promise<'sent' | 'failed' | 'waiting'> {
    const target = row.target;
    const platform = await platformOf(this.core.db, target);
    if (!platform) {
      // The message this one belongs under was never posted: if it was given up, so is this one;
      // otherwise wait for it, counting attempts like any failure.
      const parentKey = target.kind === 'thread' ? target.of : (row.message_key ?? '');
      if (await postGivenUp(this.core.db, parentKey)) {
        await markDead(this.core.db, row.id, Number(row.attempts), `the message it belongs to (${parentKey}) could not be delivered`);
        this.core.logger.error('gave up delivering a message', { outbox: row.id, ticket: row.ticket, error: 'its parent message was given up' });
        return 'failed';
      }
      return this.failed(row, new NotYet(`message ${parentKey} is not posted yet`));
    }
    if ((this.pausedUntil.get(platform) ?? 0) > now) return 'waiting';
    const adapter = this.adapters.get(platform);
    if (!adapter) {
      if (!this.missingAdapterLogged.has(platform)) {
        this.missingAdapterLogged.add(platform);
        this.core.logger.warn('messages are waiting for a platform that is not running', { platform });
      }
      // Look again in a minute (the platform may come up), rather than on every pass.
      await markRetry(this.core.db, row.id, Number(row.attempts), this.core.clock.now() + 60_000, `the ${platform} adapter is not running`);
      return 'waiting';
    }
    try {
      await sendRow(this.core, adapter, row);
      // An edit is not a delivery (its latency would be the time since the card first changed).
      if (row.op !== 'edit') observeDelivery(platform, (this.core.clock.now() - Number(row.created_at)) / 1000);
      return 'sent';
    } catch (err) {
      if (err instanceof RateLimitedError && err.global && platform) {
        processCounters.rateLimited++;
        // Everything to this platform waits; nothing is counted against the row.
        this.pausedUntil.set(platform, now + err.retryAfterMs);
        this.core.logger.debug('platform rate limit: delivery paused', { platform, ms: err.retryAfterMs });
        return 'waiting';
      }
      return this.failed(row, err);
    }
  }

  private async failed(row: OutboxItem, err: unknown): Promise<'failed' | 'waiting'> {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof RateLimitedError) {
      processCounters.rateLimited++;
      // The platform said exactly when to come back: wait that long, counted from when it said so.
      // Being asked to slow down is not a failure and never makes a message give up.
      const at = this.core.clock.now() + err.retryAfterMs;
      await markRetry(this.core.db, row.id, Number(row.attempts), at, message);
      this.core.logger.info('rate limited; will retry', { outbox: row.id, retryInMs: err.retryAfterMs });
      return 'waiting';
    }
    const attempts = Number(row.attempts) + 1;
    if (err instanceof PermanentDeliveryError || attempts >= this.maxAttempts) {
      await markDead(this.core.db, row.id, attempts, message);
      this.core.logger.error('gave up delivering a message', { outbox: row.id, ticket: row.ticket, attempts, error: message });
      return 'failed';
    }
    const backoff = Math.min(1000 * 2 ** (attempts - 1), 300_000) * (0.5 + this.random() / 2);
    const wait = err instanceof NotYet ? 1000 : backoff;
    await markRetry(this.core.db, row.id, attempts, this.core.clock.now() + Math.round(wait), message);
    if (err instanceof NotYet) return 'waiting';
    this.core.logger.warn('message delivery failed; will retry', { outbox: row.id, attempts, retryInMs: Math.round(wait), error: message });
    return 'failed';
  }
}
