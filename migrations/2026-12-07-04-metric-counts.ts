import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

/**
 * Running totals for /metrics (tickets opened and resolved, SLA warnings and breaches, pages), by
 * tier, priority and the requester's platform, kept in the transaction that writes the event, so a
 * scrape reads a few dozen rows instead of counting ticket_events. Each total is spread over a few
 * `shard` rows (a scrape sums them): concurrent units of work on PostgreSQL would otherwise queue on
 * one row lock until commit. Totals start from the events already written.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('metric_counts')
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('shard', 'integer', (c) => c.notNull())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('metric_counts_pk', ['metric', 'tier', 'priority', 'platform', 'shard'])
    .execute();
  await sql`
    insert into metric_counts (metric, tier, priority, platform, shard, value)
    select e.kind, t.tier, t.priority, t.requester_platform, 0, count(*)
    from ticket_events e join tickets t on t.number = e.ticket
    where e.kind in ('opened', 'resolved', 'sla_warning', 'sla_breached', 'page_started')
    group by e.kind, t.tier, t.priority, t.requester_platform
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('metric_counts').execute();
}
