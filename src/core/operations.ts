import { sql } from 'kysely';
import type { ChatAdapter, Inbound, Reply } from '../ports.js';
import type { Intake } from '../intake-port.js';
import type { Core } from './work.js';

/**
 * What `/healthz` says: the database answers, every platform adapter is connected, and the process
 * is not shutting down (a load balancer stops sending it work as soon as it is asked to stop).
 */
export interface Health {
  ok: boolean;
  database: boolean;
  adapters: Record<string, boolean>;
  /** Present (true) once the process has begun a graceful shutdown. */
  stopping?: boolean;
}

export async function healthReport(core: Core, adapters: readonly ChatAdapter[], options: { stopping?: boolean } = {}): Promise<Health> {
  let database = false;
  try {
    await sql`select 1`.execute(core.db);
    database = true;
  } catch {
    database = false;
  }
  const states: Record<string, boolean> = {};
  for (const a of adapters) states[a.platform] = a.connected?.() ?? true;
  const stopping = options.stopping === true;
  return { ok: !stopping && database && Object.values(states).every(Boolean), database, adapters: states, ...(stopping ? { stopping } : {}) };
}

/** What a person writing to a process that is shutting down is told (another replica, or the restarted one, will take it). */
export const STOPPING_REPLY = 'tierdesk is restarting; nothing was changed. Please try again in a moment.';

/**
 * Graceful shutdown, inbound side: counts the inbound events being handled (each one a transaction
 * in the core), and once closed refuses new ones with a retryable answer while the ones under way
 * finish. Wrap each adapter before handing it to the desk; `close()` when asked to stop, before the
 * desk stops the adapters, so that every event under way gets its answer through a live connection.
 */
export class InboundGate {
  #closed = false;
  readonly #inflight = new Set<Promise<unknown>>();

  /** How many inbound events are being handled right now. */
  get inflight(): number {
    return this.#inflight.size;
  }

  /**
   * The adapter, delivering through the gate. Every other property and method is the adapter's own,
   * run on the adapter itself (so getters, `this` and private fields behave as without the gate).
   */
  wrap<A extends ChatAdapter>(adapter: A): A {
    const start = (deliver: (event: Inbound) => Promise<Reply | void>, intake?: Intake) =>
      adapter.start((event) => this.#admit(event, deliver), intake);
    return new Proxy(adapter, {
      get(target, prop) {
        if (prop === 'start') return start;
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  #admit(event: Inbound, deliver: (event: Inbound) => Promise<Reply | void>): Promise<Reply | void> {
    if (this.#closed) return Promise.resolve({ text: STOPPING_REPLY });
    const handling = deliver(event);
    this.#inflight.add(handling);
    const done = () => void this.#inflight.delete(handling);
    handling.then(done, done);
    return handling;
  }

  /**
   * Refuse new events from now on, and resolve once every event under way is handled, or after
   * `timeoutMs` (then `false`: the stragglers are left to fail, and their platforms to retry).
   */
  async close(timeoutMs: number): Promise<boolean> {
    this.#closed = true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    try {
      for (;;) {
        if (this.#inflight.size === 0) return true;
        const settled = await Promise.race([Promise.allSettled([...this.#inflight]).then(() => true as const), timeout]);
        if (!settled) return false;
      }
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Counts kept by this process (the rest is read from the database, so every replica agrees). */
export const processCounters = { rateLimited: 0, schedulerLagMs: 0, slackRejected: 0 };
