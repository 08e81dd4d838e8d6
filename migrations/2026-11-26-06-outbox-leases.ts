import type { Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

/**
 * The dispatcher asks, after each pass, when the first lease held on a pending row ends (its holder
 * may be gone). Without an index that reads every pending row, and a backlog of 20,000 (a platform
 * rate limiting us) made every pass pay for it. Only leased rows are in this index: a few hundred.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('outbox_leased').on('outbox').column('lease_until').where('lease_until', 'is not', null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('outbox_leased').execute();
}
