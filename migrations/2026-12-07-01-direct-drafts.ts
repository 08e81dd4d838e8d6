import type { Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

/**
 * A message someone wrote to tierdesk in their DM, outside any ticket's thread, kept while they
 * choose what it is for (one of their open tickets, or a new one): nothing is lost meanwhile.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('direct_drafts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** `platform:space:id` of the person who wrote it: only they may use it. */
    .addColumn('person_key', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('direct_drafts_created').on('direct_drafts').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('direct_drafts').execute();
}
