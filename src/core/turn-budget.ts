import { performance } from 'node:perf_hooks';

/**
 * How long work may run in one turn of the event loop: the first piece of work of a turn always may
 * start; the next ones only while less than `ms` has passed since it did. The turn ends when the
 * immediates queued during it run, after that turn's I/O: the requests waiting to be read are read
 * between two turns' work. Without `ms`, work always may start.
 */
export class TurnBudget {
  private startedAt: number | undefined;

  constructor(private readonly ms: number | undefined) {}

  /** May one more piece of work start in this turn? */
  allows(): boolean {
    if (this.ms === undefined) return true;
    const now = performance.now();
    if (this.startedAt === undefined) {
      this.startedAt = now;
      setImmediate(() => (this.startedAt = undefined));
      return true;
    }
    return now - this.startedAt < this.ms;
  }
}
