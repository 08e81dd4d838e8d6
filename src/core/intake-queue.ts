import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { FORM_TOO_LATE, type Admission, type Intake } from '../intake-port.js';
import type { Inbound, Platform, Reply } from '../ports.js';
import { countQueuedInbound, dueInbound, forgetInbound, leaseInbound, nextInboundDue, queueInbound } from '../store/inbound-queue.js';
import { Pump } from './pump.js';
import { TurnBudget } from './turn-budget.js';
import type { Core } from './work.js';

/** How admission decides; without `turnBudgetMs`, `maxDelayMs` and `maxInflight` every request runs (unless forced). */
export interface AdmissionOptions {
  /** Requests run side by side before new ones are queued. */
  maxInflight?: number;
  /** Event-loop delay (p99 over the last sample) at which new requests are queued rather than run. */
  maxDelayMs?: number;
  /**
   * How long requests may run in one turn of the event loop (ms, from the first started): past it,
   * new ones are queued and the queue waits for the next turn, so requests waiting to be read (the
   * acknowledgements) are read in between. The first request of a turn always may run.
   */
  turnBudgetMs?: number;
  /** Requests waiting in the queue at which new ones are refused. */
  maxQueued?: number;
  /**
   * How long a queued request whose acknowledgement is not known to be out (another replica's, one
   * from before a restart, one whose ack failed) waits before it runs: its ack must land first.
   */
  holdMs?: number;
  /** How long a queued request waits to be completed by its adapter (restoreWith) before it runs as stored (none: no limit). */
  restoreMs?: number;
}

/** How often the event-loop delay is sampled. */
const SAMPLE_MS = 100;
/** How soon a pass held back by load looks again. */
const HELD_BACK_MS = 20;
/** Rows a drain pass takes at once. */
const BATCH = 50;
/** Answers to queued requests on their way at once, at most (each a round trip to the platform: I/O, not CPU). */
const ANSWERING = 256;
/** How long a run of a queued request is ours before another replica may take it. */
const LEASE_MS = 60_000;

/**
 * Admission control and the queue behind it. Before each request the adapters ask `admit()`: run it
 * now, keep it durably (one insert) and say it is queued, or refuse it. A request is queued once
 * requests have run for the turn's budget, too many run at once, or others wait queued here, so the
 * acknowledgement (the cheap part) keeps within the platform's 3 s whatever the burst; the queue is
 * drained, oldest first within this process, once the load allows, and
 * each answer goes the way its adapter said (`answerLaterWith`). A queued request runs once: its inbound key
 * is recorded with its state change like any other (src/core/request.ts).
 */
export class IntakeQueue implements Intake {
  private forced: Admission | undefined;
  private running = 0;
  /** Requests in the queue, as far as this process knows (read at start, then counted). */
  private queued = 0;
  private countedAt = -Infinity;
  private delayMs = 0;
  private histogram: IntervalHistogram | undefined;
  private sampler: NodeJS.Timeout | undefined;
  /** How long requests may still run in this turn of the event loop (see turnBudgetMs). */
  private readonly turn: TurnBudget;
  /**
   * Requests this process queued and has not run yet, oldest first. One whose acknowledgement is
   * out (`acknowledged`) may run at once; the others wait for their row's time, as other replicas do.
   */
  private readonly here = new Map<string, { platform: Platform; event: string; answerTo: string; nextAt: number; acked: boolean }>();
  /** The last pass stopped because of load: look again soon rather than at the next due row. */
  private heldBack = false;
  private readonly pump: Pump;
  /** How each platform's adapter answers a queued request late (see Intake.answerLaterWith). */
  private readonly answerers = new Map<Platform, (answerTo: string, reply: Reply) => Promise<void>>();
  /** Answers to queued requests on their way (see runQueued). */
  private readonly answering = new Set<Promise<void>>();
  /** How each platform's adapter completes a queued event before it runs (see Intake.restoreWith). */
  private readonly restorers = new Map<Platform, (event: Inbound) => Promise<Inbound>>();

  constructor(
    private readonly core: Core,
    private readonly run: (event: Inbound) => Promise<Reply | void>,
    private readonly options: AdmissionOptions = {},
  ) {
    this.turn = new TurnBudget(options.turnBudgetMs);
    this.pump = new Pump(
      core,
      'intake queue',
      () => this.drain(),
      async () => (this.heldBack ? core.clock.now() + HELD_BACK_MS : nextInboundDue(core.db)),
    );
  }

  /** What to do with the next request (see Intake). */
  admit(): Admission {
    if (this.forced) return this.forced;
    if (this.queued >= (this.options.maxQueued ?? 50_000)) return 'refuse';
    // Those queued here go first: a newcomer does not overtake them.
    return this.here.size > 0 || this.overloaded() ? 'queue' : 'run';
  }

  /**
   * Too many requests run side by side or the loop lags (`saturated`), or this turn of the event loop
   * has run requests for long enough: run nothing more now. Asked just before a request would start.
   */
  private overloaded(): boolean {
    return this.saturated() || !this.turn.allows();
  }

  private saturated(): boolean {
    if (this.options.maxInflight !== undefined && this.running >= this.options.maxInflight) return true;
    return this.options.maxDelayMs !== undefined && this.delayMs >= this.options.maxDelayMs;
  }

  /**
   * May a drain pass run the next queued request? Load alone decides (a full queue is what it
   * empties). When only this turn's budget is spent, it waits for the next turn (the requests
   * waiting to be read are read first) rather than giving up.
   */
  private async mayDrain(): Promise<boolean> {
    if (this.forced !== undefined) return this.forced === 'run';
    for (;;) {
      if (this.saturated()) return false;
      if (this.turn.allows()) return true;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Tests and operators: hold admission in one state (undefined: measure again). */
  force = (state: Admission | undefined): void => void (this.forced = state);

  /** Run a request, counted as in flight while it runs. */
  async track<T>(work: Promise<T>): Promise<T> {
    this.running++;
    try {
      return await work;
    } finally {
      this.running--;
    }
  }

  answerLaterWith(platform: Platform, answer: (answerTo: string, reply: Reply) => Promise<void>): void {
    this.answerers.set(platform, answer);
  }

  restoreWith(platform: Platform, restore: (event: Inbound) => Promise<Inbound>): void {
    this.restorers.set(platform, restore);
  }

  async enqueue(event: Inbound, answerTo: string): Promise<void> {
    // The raw payload stays out: it may carry platform tokens, and the queue needs only the event.
    const { raw: _raw, ...kept } = event;
    const now = this.core.clock.now();
    const added = await queueInbound(this.core.db, {
      key: event.key,
      platform: event.from.platform,
      event: JSON.stringify(kept),
      answerTo,
      at: now,
      notBefore: now + (this.options.holdMs ?? 3_000),
    });
    if (added) {
      this.queued++;
      this.here.set(event.key, {
        platform: event.from.platform,
        event: JSON.stringify(kept),
        answerTo,
        nextAt: now + (this.options.holdMs ?? 3_000),
        acked: false,
      });
      // The pump may be asleep on an empty queue: it looks again now (the row says when it is due).
      this.pump.nudge();
    }
  }

  /** The acknowledgement of the queued request `key` is out: it may run now, not only once its row is due. */
  acknowledged(key: string): void {
    const entry = this.here.get(key);
    if (!entry) return;
    entry.acked = true;
    this.pump.nudge();
  }

  /**
   * One pass over the queue: run the due requests, oldest first, while admission says run (a
   * request forced or measured as overload stops the pass). Returns how many ran.
   */
  async drain(): Promise<number> {
    this.heldBack = false;
    // The queue is shared (other replicas run its rows too): its length is read, not only counted
    // here, at most once a second (a count reads every row).
    const now = this.core.clock.now();
    if (now - this.countedAt >= 1_000) {
      this.queued = await countQueuedInbound(this.core.db);
      this.countedAt = now;
    }
    let ran = await this.drainHere();
    if (this.heldBack) return ran;
    for (;;) {
      // Only rows this process can answer (its platforms); another replica takes the others.
      const rows = (await dueInbound(this.core.db, this.core.clock.now(), BATCH)).filter((r) => this.answerers.has(r.platform as Platform));
      if (rows.length === 0) return ran;
      const before = ran;
      for (const row of rows) {
        if (!(await this.mayDrain())) {
          this.heldBack = true;
          return ran;
        }
        const now = this.core.clock.now();
        if (!(await leaseInbound(this.core.db, row.key, Number(row.next_at), now + LEASE_MS))) continue;
        await this.runQueued(row.platform as Platform, row.key, row.event, row.answer_to);
        ran++;
      }
      // Every row of the batch was taken by another process: look again at the next wake-up.
      if (ran === before) return ran;
    }
  }

  /**
   * Run the requests queued here whose acknowledgement is out, oldest first, while the load allows
   * (no need to read the queue for them: this process wrote their rows). Returns how many ran.
   */
  private async drainHere(): Promise<number> {
    let ran = 0;
    for (const [key, entry] of this.here) {
      // Oldest first: one whose acknowledgement is not out yet holds those behind it until its row is
      // due (3 s: its ack failed, or never came), and then runs like the others.
      if (!entry.acked && entry.nextAt > this.core.clock.now()) break;
      if (!(await this.mayDrain())) {
        this.heldBack = true;
        return ran;
      }
      this.here.delete(key);
      if (!(await leaseInbound(this.core.db, key, entry.nextAt, this.core.clock.now() + LEASE_MS))) continue;
      await this.runQueued(entry.platform, key, entry.event, entry.answerTo);
      ran++;
    }
    return ran;
  }

  private async runQueued(platform: Platform, key: string, event: string, answerTo: string): Promise<void> {
    this.here.delete(key);
    const stored = JSON.parse(event) as Inbound;
    const reply = await this.track(this.run(await this.restored(platform, stored)));
    // Forgotten first: the work is done (its key recorded), so a failed answer is never run again.
    await forgetInbound(this.core.db, key);
    this.queued = Math.max(0, this.queued - 1);
    // No reply: the request had run before (a repeat of its key); it was answered then.
    if (!reply) return;
    const answer = reply.form ? { text: FORM_TOO_LATE } : reply;
    // The answer goes out while the next request runs (a round trip to the platform each): the
    // drain waits only when ANSWERING answers are already on their way.
    const sent: Promise<void> = Promise.resolve(this.answerers.get(platform)?.(answerTo, answer))
      .catch((err: unknown) => {
        this.core.logger.warn('cannot answer a queued request', { platform, key, error: err instanceof Error ? err.message : String(err) });
      })
      .finally(() => this.answering.delete(sent));
    this.answering.add(sent);
    if (this.answering.size >= ANSWERING) await Promise.race(this.answering);
  }

  /**
   * `event` completed by its adapter (who the person is, asked of the platform), or as it was stored
   * when that takes longer than `restoreMs`: the drain is not paced by a platform's round trips.
   */
  private async restored(platform: Platform, event: Inbound): Promise<Inbound> {
    const restore = this.restorers.get(platform);
    if (!restore) return event;
    const completed = this.track(restore(event)).catch(() => event);
    if (this.options.restoreMs === undefined) return completed;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Inbound>((resolve) => (timer = setTimeout(() => resolve(event), this.options.restoreMs)));
    try {
      return await Promise.race([completed, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Measure the event loop and drain the queue in the background. */
  async start(): Promise<void> {
    this.queued = await countQueuedInbound(this.core.db);
    if (this.options.maxDelayMs !== undefined) {
      const histogram = (this.histogram = monitorEventLoopDelay({ resolution: 10 }));
      histogram.enable();
      this.sampler = setInterval(() => {
        this.delayMs = histogram.percentile(99) / 1e6;
        histogram.reset();
      }, SAMPLE_MS).unref();
    }
    this.pump.start();
  }

  /** Stop draining (a request under way finishes) and measuring. */
  async stop(): Promise<void> {
    await this.pump.stop();
    await Promise.all(this.answering);
    if (this.sampler) clearInterval(this.sampler);
    this.histogram?.disable();
  }
}
