import { completeTimer, leaseDueTimers, nextTimerDue, retryTimer, type LeasedTimer } from '../store/timers.js';
import { Pump } from './pump.js';
import { processCounters } from './operations.js';
import { inTransaction, type Core, type Work } from './work.js';

/** What a due timer runs, inside the transaction that also removes it. */
export type TimerHandler = (work: Work, timer: { kind: string; subject: string; dueAt: number; data: unknown; late: boolean }) => Promise<void>;

export interface SchedulerOptions {
  /** How long a claimed timer is ours before another process may take it. */
  leaseMs?: number;
  /** A timer that fires more than this after its due time is marked late. */
  lateAfterMs?: number;
  batch?: number;
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
  private readonly pump: Pump;

  constructor(
    private readonly core: Core,
    options: SchedulerOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.lateAfterMs = options.lateAfterMs ?? 60_000;
    this.batch = options.batch ?? 100;
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
      for (const timer of due) if (await this.fire(timer, lease)) fired++;
      if (due.length < this.batch) return fired;
    }
  }

  private async fire(timer: LeasedTimer, lease: number): Promise<boolean> {
    const handler = this.handlers.get(timer.kind);
    const dueAt = Number(timer.due_at);
    try {
      return await inTransaction(this.core, async (work) => {
        if (!(await completeTimer(work.db, timer.id, lease))) return false; // moved or taken meanwhile
        if (!handler) {
          this.core.logger.warn('no handler for timer kind; dropped', { kind: timer.kind, subject: timer.subject });
          return false;
        }
        processCounters.schedulerLagMs = Math.max(0, work.now - dueAt);
        await handler(work, {
          kind: timer.kind,
          subject: timer.subject,
          dueAt,
          data: timer.data,
          late: work.now - dueAt > this.lateAfterMs,
        });
        return true;
      });
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
