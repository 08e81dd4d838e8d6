import type { Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

/** The dashboard's sign-in: one-time links, sessions, and its generated signing secret. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('web_settings')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('web_login_links')
    /** The link's random nonce: a link is used once (used_at set by one conditional update). */
    .addColumn('nonce', 'text', (c) => c.primaryKey())
    .addColumn('person', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema
    .createTable('web_sessions')
    /** SHA-256 of the cookie's token: a copy of the database signs nobody in. */
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('person', 'text', (c) => c.notNull())
    .addColumn('csrf', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('web_sessions_person').on('web_sessions').column('person').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('web_sessions').execute();
  await db.schema.dropTable('web_login_links').execute();
  await db.schema.dropTable('web_settings').execute();
}
