import { sql } from 'kysely';
import type { ChatAdapter } from '../ports.js';
import { countPending } from '../store/outbox.js';
import type { Core } from './work.js';

/** What `/healthz` says: the database answers, and every platform adapter is connected. */
export interface Health {
  ok: boolean;
  database: boolean;
  adapters: Record<string, boolean>;
}

export async function healthReport(core: Core, adapters: readonly ChatAdapter[]): Promise<Health> {
  let database = false;
  try {
    await sql`select 1`.execute(core.db);
    database = true;
  } catch {
    database = false;
  }
  const states: Record<string, boolean> = {};
  for (const a of adapters) states[a.platform] = a.connected?.() ?? true;
  return { ok: database && Object.values(states).every(Boolean), database, adapters: states };
}

/** Counts kept by this process (the rest is read from the database, so every replica agrees). */
export const processCounters = { rateLimited: 0, schedulerLagMs: 0 };

const countEvents = async (core: Core, kinds: string[]): Promise<number> => {
  const row = await core.db.selectFrom('ticket_events').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', 'in', kinds).executeTakeFirstOrThrow();
  return Number(row.n);
};

/**
 * `/metrics` in Prometheus text format: tickets opened and resolved, SLA warnings and breaches,
 * pages, outbox backlog and delivery latency, scheduler lag, platform rate limits.
 */
export async function metricsText(core: Core): Promise<string> {
  const opened = Number((await core.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const pages = Number((await core.db.selectFrom('pages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const recent = await core.db.selectFrom('outbox').select(['created_at', 'sent_at']).where('status', '=', 'sent').orderBy('id', 'desc').limit(1000).execute();
  const latencies = recent.map((r) => (Number(r.sent_at) - Number(r.created_at)) / 1000).sort((a, b) => a - b);
  const q = (p: number) => (latencies.length > 0 ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]! : 0);
  const metric = (name: string, type: string, help: string, lines: string[]) => [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...lines];
  return [
    ...metric('tierdesk_tickets_opened_total', 'counter', 'Tickets opened.', [`tierdesk_tickets_opened_total ${opened}`]),
    ...metric('tierdesk_tickets_resolved_total', 'counter', 'Ticket resolutions.', [`tierdesk_tickets_resolved_total ${await countEvents(core, ['resolved'])}`]),
    ...metric('tierdesk_sla_warnings_total', 'counter', 'SLA warnings given.', [`tierdesk_sla_warnings_total ${await countEvents(core, ['sla_warning'])}`]),
    ...metric('tierdesk_sla_breaches_total', 'counter', 'SLA breaches.', [`tierdesk_sla_breaches_total ${await countEvents(core, ['sla_breached'])}`]),
    ...metric('tierdesk_pages_total', 'counter', 'On-call pages started.', [`tierdesk_pages_total ${pages}`]),
    ...metric('tierdesk_outbox_backlog', 'gauge', 'Messages waiting to be delivered.', [`tierdesk_outbox_backlog ${await countPending(core.db)}`]),
    ...metric('tierdesk_delivery_latency_seconds', 'summary', 'Commit to delivery, over the last 1000 messages.', [
      `tierdesk_delivery_latency_seconds{quantile="0.5"} ${q(0.5)}`,
      `tierdesk_delivery_latency_seconds{quantile="0.99"} ${q(0.99)}`,
      `tierdesk_delivery_latency_seconds_count ${latencies.length}`,
    ]),
    ...metric('tierdesk_scheduler_lag_seconds', 'gauge', 'How late the last fired timer was.', [`tierdesk_scheduler_lag_seconds ${processCounters.schedulerLagMs / 1000}`]),
    ...metric('tierdesk_platform_rate_limited_total', 'counter', 'Times a platform asked us to slow down (429), in this process.', [`tierdesk_platform_rate_limited_total ${processCounters.rateLimited}`]),
    '',
  ].join('\n');
}
