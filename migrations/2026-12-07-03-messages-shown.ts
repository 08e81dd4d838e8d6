import type { Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

/**
 * What each message tierdesk posted shows now: a fingerprint of the card last delivered to it, so an
 * edit that would show the same card again is not sent (it costs a platform call and a place in the
 * channel's rate limit for nothing).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('shown', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('shown').execute();
}
