import type { Core } from './work.js';

/** How long a background loop sleeps at most when it knows of nothing due; a cheap safety net. */
const IDLE_MS = 30_000;

/**
 * A background loop for the dispatcher and the scheduler: run a pass, then sleep until the next
 * row is due. The setTimeout is only a wake-up hint (the database is the truth), and `nudge()`
 * after a commit runs a pass at once. Passes never overlap.
 */
export class Pump {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private started = false;
  /** Passes that failed in a row; the retry waits longer after each. */
  private failures = 0;

  constructor(
    private readonly core: Core,
    private readonly name: string,
    private readonly pass: () => Promise<unknown>,
    private readonly nextDue: () => Promise<number | undefined>,
  ) {}

  start(): void {
    this.started = true;
    this.nudge();
  }

  nudge(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async loop(): Promise<void> {
    for (;;) {
      do {
        this.again = false;
        try {
          await this.pass();
          this.failures = 0;
        } catch (err) {
          this.failures++;
          this.core.logger.error(`${this.name} pass failed`, { error: err instanceof Error ? err.message : String(err), failures: this.failures });
        }
      } while (this.again && this.started && this.failures === 0);
      if (!this.started) return;
      if (this.failures > 0) {
        // The database is unreachable, or something else is wrong with every pass: try again soon,
        // then less and less often (1 s, 2 s, 4 s … at most the idle wait), rather than spin or sleep long.
        this.timer = setTimeout(() => this.nudge(), Math.min(IDLE_MS, 1000 * 2 ** (this.failures - 1)));
        return;
      }
      let wait = IDLE_MS;
      try {
        const due = await this.nextDue();
        if (due !== undefined) wait = Math.min(IDLE_MS, Math.max(0, due - this.core.clock.now()));
      } catch {
        // keep the idle wait; the next pass will log what is wrong
      }
      // A nudge or a stop may have come while we read: act on it rather than sleep past it.
      if (!this.started) return;
      if (this.again) continue;
      // A tiny floor so a row that keeps failing immediately cannot spin the CPU.
      this.timer = setTimeout(() => this.nudge(), Math.max(wait, 10));
      return;
    }
  }
}
