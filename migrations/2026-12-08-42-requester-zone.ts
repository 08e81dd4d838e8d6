import type { Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

/**
 * The requester's time zone as their platform told it when the ticket opened (Slack's `users.info`
 * `tz`), so what tierdesk tells them later (the out-of-hours answer) reads in their own time. Null
 * where the platform does not say (Discord, the console).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('requester_zone', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tickets').dropColumn('requester_zone').execute();
}
