import type { Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

/**
 * Satisfaction surveys: one row per ticket per resolution (`resolved_at` names the resolution: a
 * reopened and resolved-again ticket is asked again). `score` is null until the requester rates;
 * asked and rated rows give the response rate. Tier, priority and assignee are copied at asking
 * time, so reports group by what the ticket was when it was resolved.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('csat_ratings')
    .addColumn('ticket', 'integer', (c) => c.notNull())
    .addColumn('resolved_at', 'bigint', (c) => c.notNull())
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('assignee', 'text')
    .addColumn('asked_at', 'bigint', (c) => c.notNull())
    .addColumn('score', 'integer')
    .addColumn('comment', 'text')
    .addColumn('rated_at', 'bigint')
    .addPrimaryKeyConstraint('csat_ratings_pk', ['ticket', 'resolved_at'])
    .execute();
  await db.schema.createIndex('csat_ratings_asked').on('csat_ratings').column('asked_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('csat_ratings').execute();
}
