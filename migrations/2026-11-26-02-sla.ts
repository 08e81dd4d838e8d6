import type { Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

export async function up(db: Kysely<any>): Promise<void> {
  // The SLA policy chosen at creation (re-chosen on a priority change) and the requester's customer group.
  await db.schema.alterTable('tickets').addColumn('sla_policy', 'text').execute();
  await db.schema.alterTable('tickets').addColumn('sla_group', 'text').execute();
  // JSON list of the warnings and breaches already announced, e.g. ["first_response:75", "resolution:breach"].
  await db.schema.alterTable('tickets').addColumn('sla_marks', 'text').execute();

  // Stretches during which SLA clocks stand still: `waiting` (on the requester) stops both clocks,
  // `resolved` (until a reopen) only matters to the resolution clock.
  await db.schema
    .createTable('sla_pauses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket', 'integer', (c) => c.notNull().references('tickets.number'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('start_at', 'bigint', (c) => c.notNull())
    .addColumn('end_at', 'bigint')
    .execute();
  await db.schema.createIndex('sla_pauses_ticket').on('sla_pauses').columns(['ticket', 'start_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sla_pauses').execute();
  await db.schema.alterTable('tickets').dropColumn('sla_marks').execute();
  await db.schema.alterTable('tickets').dropColumn('sla_group').execute();
  await db.schema.alterTable('tickets').dropColumn('sla_policy').execute();
}
