import { performance } from 'node:perf_hooks';
import { dialectOf } from '../store/dialect.js';
import {
  completeTimer,
  completeTimers,
  holdLeasedTimers,
  leaseDueTimers,
  limitLockWaits,
  nextTimerDue,
  retryTimer,
  type LeasedTimer,
} from '../store/timers.js';
import { Pump } from './pump.js';
import { processCounters } from './operations.js';
import { inTransaction, Work, type Core } from './work.js';

/** What a due timer runs, inside the transaction that also removes it. */
export type TimerHandler = (work: Work, timer: { kind: string; subject: string; dueAt: number; data: unknown; late: boolean }) => Promise<void>;

export interface SchedulerOptions {
  /** How long a claimed timer is ours before another process may take it. */
  leaseMs?: number;
  /** A timer that fires more than this after its due time is marked late. */
  lateAfterMs?: number;
  /** Timers leased at a time. */
  batch?: number;
  /**
   * Timers fired in one transaction at most (each in a unit of work of its own, committed together):
   * 32 on PostgreSQL, where every statement and commit is a round trip; 1 on SQLite, where a commit
   * is cheap and an open write transaction would keep intake's writes waiting.
   */
  group?: number;
  /** A group takes no further timer once it has run this long, so the locks it holds are held briefly. */
  groupMs?: number;
  /** How long a group waits for a row lock before it gives up and its timers fire one by one. */
  groupLockWaitMs?: number;
}

/**
 * Turns due timers into use cases. Timers live in the database; the scheduler leases the due ones,
 * runs each handler in a transaction that deletes the timer (so it fires once), and sleeps until the
 * next due time. A restart resumes every timer; one that came due while tierdesk was down fires once,
 * marked late.
 */
export class Scheduler {
  private readonly handlers = new Map<string, TimerHandler>();
  private readonly leaseMs: number;
  private readonly lateAfterMs: number;
  private readonly batch: number;
  private readonly group: number;
  private readonly groupMs: number;
  private readonly groupLockWaitMs: number;
  private readonly pump: Pump;

  constructor(
    private readonly core: Core,
    options: SchedulerOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.lateAfterMs = options.lateAfterMs ?? 60_000;
    this.batch = options.batch ?? 100;
    this.group = Math.max(1, options.group ?? (dialectOf(core.db) === 'postgres' ? 32 : 1));
    this.groupMs = options.groupMs ?? 20;
    this.groupLockWaitMs = options.groupLockWaitMs ?? 100;
    this.pump = new Pump(
      core,
      'scheduler',
      () => this.tick(),
      () => nextTimerDue(core.db),
    );
  }

  on(kind: string, handler: TimerHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Fire every timer due now. Returns how many fired. */
  async tick(): Promise<number> {
    let fired = 0;
    for (;;) {
      const now = this.core.clock.now();
      const lease = now + this.leaseMs;
      const due = await leaseDueTimers(this.core.db, now, lease, this.batch);
      for (let next = 0; next < due.length;) {
        if (this.group === 1) {
          if (await this.fire(due[next]!, lease)) fired++;
          next++;
          continue;
        }
        const done = await this.fireGroup(due.slice(next, next + this.group), lease);
        fired += done.fired;
        next += done.tried;
      }
      if (due.length < this.batch) return fired;
    }
  }

  /** Fire one timer in a transaction of its own; a handler that throws is tried again after a backoff. */
  private async fire(timer: LeasedTimer, lease: number): Promise<boolean> {
    try {
      return await inTransaction(this.core, (work) => this.run(work, timer, lease));
    } catch (err) {
      const attempts = Number(timer.attempts);
      const retryAt = this.core.clock.now() + Math.min(1000 * 2 ** attempts, 600_000);
      this.core.logger.error('timer handler failed; will retry', {
        kind: timer.kind,
        subject: timer.subject,
        attempts,
        error: err instanceof Error ? err.message : String(err),
      });
      await retryTimer(this.core.db, timer.id, lease, retryAt);
      return false;
    }
  }

  /**
   * Fire the first of `timers` in one transaction, each in a unit of work of its own, in order; stop
   * taking more once the group has run `groupMs`. One statement locks the group's timers still ours
   * (so nobody moves or takes them meanwhile) and one deletes those fired, each only if it still
   * carries our lease: a simple timer costs its handler's statements and nothing else. A timer that
   * an earlier handler of the group set or cancelled (through its Work) is not fired now, as when each
   * timer commits alone. If anything fails (a handler, a lock wait past `groupLockWaitMs`, a deadlock,
   * the commit), all of it rolls back and the timers it took fire again one per transaction, where a
   * failure is the failing timer's alone. Returns how many timers it took and how many fired.
   */
  private async fireGroup(timers: readonly LeasedTimer[], lease: number): Promise<{ tried: number; fired: number }> {
    const started = performance.now();
    let tried = 0;
    let fired = 0;
    const wrote = { outbox: false, timers: false };
    const touched = new Set<number>();
    try {
      await this.core.db.transaction().execute(async (trx) => {
        await limitLockWaits(trx, this.groupLockWaitMs);
        const held = await holdLeasedTimers(
          trx,
          timers.map((t) => t.id),
          lease,
        );
        const done: string[] = [];
        for (const timer of timers) {
          if (tried > 0 && performance.now() - started > this.groupMs) break;
          tried++;
          if (!held.delete(timer.id)) continue; // moved or taken meanwhile, or by a handler of this group
          done.push(timer.id);
          const work = new Work(trx, this.core, this.core.clock.now(), held);
          if (!(await this.handle(work, timer))) continue;
          await work.flush();
          fired++;
          wrote.outbox ||= work.wrote.outbox;
          wrote.timers ||= work.wrote.timers;
          for (const ticket of work.touched) touched.add(ticket);
        }
        await completeTimers(trx, done, lease);
      });
    } catch (err) {
      this.core.logger.debug('timer group rolled back; its timers fire one by one', {
        timers: tried,
        error: err instanceof Error ? err.message : String(err),
      });
      // At least one, so that a group failing before its first timer (its lock wait) still moves on.
      const took = Math.max(tried, 1);
      fired = 0;
      for (const timer of timers.slice(0, took)) if (await this.fire(timer, lease)) fired++;
      return { tried: took, fired };
    }
    if (wrote.outbox || wrote.timers) this.core.wake(wrote);
    if (touched.size > 0) this.core.committed?.([...touched]);
    return { tried, fired };
  }

  /** In `work`'s transaction: delete the timer if the lease is still ours, then run its handler. */
  private async run(work: Work, timer: LeasedTimer, lease: number): Promise<boolean> {
    if (!(await completeTimer(work.db, timer.id, lease))) return false; // moved or taken meanwhile
    return this.handle(work, timer);
  }

  /** Run the timer's handler in `work`; false when no handler knows its kind (the timer is dropped). */
  private async handle(work: Work, timer: LeasedTimer): Promise<boolean> {
    const handler = this.handlers.get(timer.kind);
    if (!handler) {
      this.core.logger.warn('no handler for timer kind; dropped', { kind: timer.kind, subject: timer.subject });
      return false;
    }
    const dueAt = Number(timer.due_at);
    processCounters.schedulerLagMs = Math.max(0, work.now - dueAt);
    await handler(work, { kind: timer.kind, subject: timer.subject, dueAt, data: timer.data, late: work.now - dueAt > this.lateAfterMs });
    return true;
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
}
