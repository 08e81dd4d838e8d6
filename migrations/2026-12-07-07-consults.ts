import type { Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

/**
 * Consults: an agent asks another tier for advice on a ticket without handing it over. One row per
 * consult; its card is the message keyed `consult:ID`, answers come in that card's thread or by form.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('consults')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('ticket', 'integer', (c) => c.notNull())
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('asked_by', 'text', (c) => c.notNull())
    .addColumn('asked_at', 'bigint', (c) => c.notNull())
    .addColumn('answer', 'text')
    .addColumn('answered_by', 'text')
    .addColumn('answered_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('article', 'integer')
    .execute();
  await db.schema.createIndex('consults_asked').on('consults').column('asked_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('consults').execute();
}
