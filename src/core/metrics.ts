/**
 * `/metrics` with prom-client. Two kinds of figures:
 * - read from the database at each scrape, so every replica reports the same values (aggregate them
 *   with `max`): running totals kept by the units of work (src/store/metric-counts.ts), open tickets
 *   and those at SLA risk by tier, the outbox backlog. Each is a few indexed rows, however many events.
 * - kept by this process (aggregate with `sum`): intake acknowledgement and delivery latency
 *   histograms, platform 429s, scheduler lag, and Node's default process metrics.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { countPending } from '../store/outbox.js';
import { metricCounts, openTicketsByTier } from '../store/metric-counts.js';
import { processCounters } from './operations.js';
import type { Core } from './work.js';

const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry, prefix: 'tierdesk_' });

const intakeAck = new Histogram({
  name: 'tierdesk_intake_ack_seconds',
  help: 'From an inbound event to its acknowledgement to the platform (Slack and Discord want it within 3 s).',
  labelNames: ['platform'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5],
  registers: [processRegistry],
});

const deliveryLatency = new Histogram({
  name: 'tierdesk_delivery_latency_seconds',
  help: 'From the commit that queued a message to its delivery, by platform.',
  labelNames: ['platform'],
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  registers: [processRegistry],
});

/** Adapters call this once they have acknowledged an inbound event. */
export function observeIntakeAck(platform: string, seconds: number): void {
  intakeAck.observe({ platform }, Math.max(0, seconds));
}

/** The dispatcher calls this when a queued message has been delivered. */
export function observeDelivery(platform: string, seconds: number): void {
  if (forwarding) {
    forwarding.deliveries.push([platform, seconds]);
    forwarding.schedule();
  } else deliveryLatency.observe({ platform }, Math.max(0, seconds));
}

/**
 * What a delivery worker measured since its last report (src/delivery-worker.ts). `/metrics` is
 * served by the intake thread, so the worker's figures travel there: its delivery latencies, the
 * 429s it met and its scheduler's lag.
 */
export interface WorkerFigures {
  deliveries: Array<[platform: string, seconds: number]>;
  rateLimited: number;
  schedulerLagMs: number;
}

let forwarding: { deliveries: WorkerFigures['deliveries']; schedule: () => void } | undefined;

/**
 * In a delivery worker: keep this thread's figures and hand them to `report` in batches (at most
 * every `everyMs`), instead of a registry nobody scrapes. Returns a flush for the worker's last word.
 */
export function forwardFigures(report: (figures: WorkerFigures) => void, everyMs = 100): () => void {
  let timer: NodeJS.Timeout | undefined;
  let reportedLag = processCounters.schedulerLagMs;
  const flush = () => {
    timer = undefined;
    const deliveries = forwarding!.deliveries.splice(0);
    const rateLimited = processCounters.rateLimited;
    if (deliveries.length === 0 && rateLimited === 0 && processCounters.schedulerLagMs === reportedLag) return;
    processCounters.rateLimited = 0;
    reportedLag = processCounters.schedulerLagMs;
    report({ deliveries, rateLimited, schedulerLagMs: reportedLag });
  };
  forwarding = { deliveries: [], schedule: () => (timer ??= setTimeout(flush, everyMs).unref()) };
  // 429s and the scheduler's lag are counted where they happen; a slow beat carries them.
  setInterval(flush, 1000).unref();
  return flush;
}

/** On the intake thread: count what the delivery worker measured as this process's own. */
export function addWorkerFigures(figures: WorkerFigures): void {
  for (const [platform, seconds] of figures.deliveries) deliveryLatency.observe({ platform }, Math.max(0, seconds));
  processCounters.rateLimited += figures.rateLimited;
  processCounters.schedulerLagMs = figures.schedulerLagMs;
}

const TOTALS: Record<string, { name: string; help: string }> = {
  opened: { name: 'tierdesk_tickets_opened_total', help: 'Tickets opened.' },
  resolved: { name: 'tierdesk_tickets_resolved_total', help: 'Ticket resolutions.' },
  sla_warning: { name: 'tierdesk_sla_warnings_total', help: 'SLA warnings given.' },
  sla_breached: { name: 'tierdesk_sla_breaches_total', help: 'SLA breaches.' },
  page_started: { name: 'tierdesk_pages_total', help: 'On-call pages started.' },
};
const LABELS = ['tier', 'priority', 'platform'] as const;

/** The figures read from the database, as a registry of their own built for one scrape. */
async function databaseRegistry(core: Core): Promise<Registry> {
  const registry = new Registry();
  const totals = new Map(Object.entries(TOTALS).map(([kind, t]) => [kind, new Counter({ ...t, labelNames: LABELS, registers: [registry] })]));
  for (const c of await metricCounts(core.db)) totals.get(c.metric)?.inc({ tier: c.tier, priority: c.priority, platform: c.platform }, c.value);
  const open = new Gauge({
    name: 'tierdesk_tickets_open',
    help: 'Open tickets (not resolved or closed).',
    labelNames: ['tier', 'priority'],
    registers: [registry],
  });
  const atRisk = new Gauge({
    name: 'tierdesk_sla_at_risk',
    help: 'Open tickets past an SLA warning threshold and not yet breached.',
    labelNames: ['tier', 'priority'],
    registers: [registry],
  });
  for (const r of await openTicketsByTier(core.db)) {
    open.set({ tier: r.tier, priority: r.priority }, r.open);
    atRisk.set({ tier: r.tier, priority: r.priority }, r.atRisk);
  }
  new Gauge({ name: 'tierdesk_outbox_backlog', help: 'Messages waiting to be delivered.', registers: [registry] }).set(await countPending(core.db));
  new Gauge({ name: 'tierdesk_scheduler_lag_seconds', help: 'How late the last timer this process fired was.', registers: [registry] }).set(
    processCounters.schedulerLagMs / 1000,
  );
  new Counter({
    name: 'tierdesk_platform_rate_limited_total',
    help: 'Times a platform asked us to slow down (429), in this process.',
    registers: [registry],
  }).inc(processCounters.rateLimited);
  new Counter({
    name: 'tierdesk_slack_requests_rejected_total',
    help: 'Slack requests refused: bad or missing signature, stale or future timestamp, in this process.',
    registers: [registry],
  }).inc(processCounters.slackRejected);
  return registry;
}

/** `/metrics` in the Prometheus text format. */
export async function metricsText(core: Core): Promise<string> {
  return Registry.merge([await databaseRegistry(core), processRegistry]).metrics();
}

/** The content type of metricsText. */
export const METRICS_CONTENT_TYPE = processRegistry.contentType;
