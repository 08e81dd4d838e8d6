import { sql, type QueryCreator } from 'kysely';
import { runCompiled } from './compiled.js';
import type { Db } from './connect.js';
import type { Database } from './schema.js';

/** The event kinds counted for /metrics. */
export const COUNTED_EVENTS = ['opened', 'resolved', 'sla_warning', 'sla_breached', 'page_started'] as const;
const counted = new Set<string>(COUNTED_EVENTS);
const SHARDS = 8;

/** Whether events of `kind` are counted for /metrics. */
export function isCounted(kind: string): boolean {
  return counted.has(kind);
}

/** The values `countQuery` reads, in its slots from `at` on: the kind, a shard, the ticket. */
export function countValues(ticket: number, kind: string): unknown[] {
  return [kind, Math.floor(Math.random() * SHARDS), ticket];
}

/**
 * The statement adding one to the running total of a kind for the ticket's tier, priority and
 * platform (read by the insert itself: an event always has its ticket), its values in slots from `at`.
 */
export function countQuery(q: QueryCreator<Database>, db: Db, slot: (index: number) => never, at: number) {
  return q
    .insertInto('metric_counts')
    .columns(['metric', 'tier', 'priority', 'platform', 'shard', 'value'])
    .expression(
      db
        .selectFrom('tickets')
        .select([
          sql<string>`cast(${slot(at)} as text)`.as('metric'),
          'tier',
          'priority',
          'requester_platform',
          sql<number>`cast(${slot(at + 1)} as integer)`.as('shard'),
          sql<number>`1`.as('value'),
        ])
        .where('number', '=', slot(at + 2)),
    )
    .onConflict((oc) => oc.columns(['metric', 'tier', 'priority', 'platform', 'shard']).doUpdateSet({ value: sql`metric_counts.value + 1` }));
}

/**
 * Add one to the running total of `kind` for the ticket's tier, priority and platform, in the
 * caller's transaction (so the total and the event commit together). Kinds not counted cost nothing.
 */
export async function countEvent(db: Db, ticket: number, kind: string): Promise<void> {
  if (!isCounted(kind)) return;
  await runCompiled(db, 'metric_counts.count', countValues(ticket, kind), (slot) => countQuery(db, db, slot, 0));
}

export interface MetricCount {
  metric: string;
  tier: string;
  priority: string;
  platform: string;
  value: number;
}

/** Every running total, shards summed. */
export async function metricCounts(db: Db): Promise<MetricCount[]> {
  const rows = await db
    .selectFrom('metric_counts')
    .select(['metric', 'tier', 'priority', 'platform', (eb) => eb.fn.sum<number>('value').as('value')])
    .groupBy(['metric', 'tier', 'priority', 'platform'])
    .execute();
  return rows.map((r) => ({ ...r, value: Number(r.value) }));
}

/** Open tickets (not resolved or closed) by tier and priority, and how many of them have had an SLA warning but no breach yet. */
export async function openTicketsByTier(db: Db): Promise<Array<{ tier: string; priority: string; open: number; atRisk: number }>> {
  const rows = await db
    .selectFrom('tickets')
    .select([
      'tier',
      'priority',
      (eb) => eb.fn.countAll<number>().as('open'),
      sql<number>`sum(case when sla_marks is not null and sla_marks <> '[]' and sla_marks not like '%:breach%' then 1 else 0 end)`.as('at_risk'),
    ])
    .where('status', 'in', ['open', 'claimed', 'waiting_on_requester'])
    .groupBy(['tier', 'priority'])
    .execute();
  return rows.map((r) => ({ tier: r.tier, priority: r.priority, open: Number(r.open), atRisk: Number(r.at_risk) }));
}
