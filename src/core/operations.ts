import { sql } from 'kysely';
import type { ChatAdapter, Inbound, Reply } from '../ports.js';
import { countPending } from '../store/outbox.js';
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
    const start = (deliver: (event: Inbound) => Promise<Reply | void>) => adapter.start((event) => this.#admit(event, deliver));
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

const countEvents = async (core: Core, kinds: string[]): Promise<number> => {
  const row = await core.db
    .selectFrom('ticket_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', 'in', kinds)
    .executeTakeFirstOrThrow();
  return Number(row.n);
};

/**
 * `/metrics` in Prometheus text format: tickets opened and resolved, SLA warnings and breaches,
 * pages, outbox backlog and delivery latency, scheduler lag, platform rate limits.
 */
export async function metricsText(core: Core): Promise<string> {
  const opened = Number(
    (
      await core.db
        .selectFrom('tickets')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const pages = Number(
    (
      await core.db
        .selectFrom('pages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const recent = await core.db
    .selectFrom('outbox')
    .select(['created_at', 'sent_at'])
    .where('status', '=', 'sent')
    .orderBy('id', 'desc')
    .limit(1000)
    .execute();
  const latencies = recent.map((r) => (Number(r.sent_at) - Number(r.created_at)) / 1000).sort((a, b) => a - b);
  const q = (p: number) => (latencies.length > 0 ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]! : 0);
  const metric = (name: string, type: string, help: string, lines: string[]) => [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...lines];
  return [
    ...metric('tierdesk_tickets_opened_total', 'counter', 'Tickets opened.', [`tierdesk_tickets_opened_total ${opened}`]),
    ...metric('tierdesk_tickets_resolved_total', 'counter', 'Ticket resolutions.', [
      `tierdesk_tickets_resolved_total ${await countEvents(core, ['resolved'])}`,
    ]),
    ...metric('tierdesk_sla_warnings_total', 'counter', 'SLA warnings given.', [
      `tierdesk_sla_warnings_total ${await countEvents(core, ['sla_warning'])}`,
    ]),
    ...metric('tierdesk_sla_breaches_total', 'counter', 'SLA breaches.', [
      `tierdesk_sla_breaches_total ${await countEvents(core, ['sla_breached'])}`,
    ]),
    ...metric('tierdesk_pages_total', 'counter', 'On-call pages started.', [`tierdesk_pages_total ${pages}`]),
    ...metric('tierdesk_outbox_backlog', 'gauge', 'Messages waiting to be delivered.', [`tierdesk_outbox_backlog ${await countPending(core.db)}`]),
    ...metric('tierdesk_delivery_latency_seconds', 'summary', 'Commit to delivery, over the last 1000 messages.', [
      `tierdesk_delivery_latency_seconds{quantile="0.5"} ${q(0.5)}`,
      `tierdesk_delivery_latency_seconds{quantile="0.99"} ${q(0.99)}`,
      `tierdesk_delivery_latency_seconds_count ${latencies.length}`,
    ]),
    ...metric('tierdesk_scheduler_lag_seconds', 'gauge', 'How late the last fired timer was.', [
      `tierdesk_scheduler_lag_seconds ${processCounters.schedulerLagMs / 1000}`,
    ]),
    ...metric('tierdesk_platform_rate_limited_total', 'counter', 'Times a platform asked us to slow down (429), in this process.', [
      `tierdesk_platform_rate_limited_total ${processCounters.rateLimited}`,
    ]),
    ...metric(
      'tierdesk_slack_requests_rejected_total',
      'counter',
      'Slack requests refused: bad or missing signature, stale or future timestamp, in this process.',
      [`tierdesk_slack_requests_rejected_total ${processCounters.slackRejected}`],
    ),
    '',
  ].join('\n');
}
