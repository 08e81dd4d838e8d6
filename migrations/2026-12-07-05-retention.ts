import type { Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

/**
 * Retention: `redacted_at` marks a closed ticket whose conversation text was deleted (by the
 * retention timer), so the daily run finds only the tickets it has not done yet, through the index.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('redacted_at', 'bigint').execute();
  await db.schema.createIndex('tickets_redaction').on('tickets').columns(['redacted_at', 'closed_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tickets_redaction').execute();
  await db.schema.alterTable('tickets').dropColumn('redacted_at').execute();
}
