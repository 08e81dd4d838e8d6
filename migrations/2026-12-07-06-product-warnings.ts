import type { Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

/**
 * End-of-support warnings already sent: one row per product version and threshold (days before the
 * end), so the daily check warns the owner tier once for each, across restarts and replicas.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('product_warnings')
    .addColumn('product', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('threshold', 'integer', (c) => c.notNull())
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('product_warnings_pk', ['product', 'version', 'threshold'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('product_warnings').execute();
}
