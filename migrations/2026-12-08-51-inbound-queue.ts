import type { Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

/**
 * Requests taken while tierdesk was too busy to run them at once: acknowledged to the person ("your
 * request is queued"), kept here until they run, then answered where the platform lets a late answer
 * go (a Slack response_url, a Discord interaction webhook). One row per inbound key: a platform's
 * retry of the same request is not queued twice.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('inbound_queue')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('answer_to', 'text', (c) => c.notNull())
    .addColumn('queued_at', 'bigint', (c) => c.notNull())
    .addColumn('next_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('inbound_queue_next_at').on('inbound_queue').column('next_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('inbound_queue').execute();
}
