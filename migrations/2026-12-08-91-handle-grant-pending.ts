import type { Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

/**
 * A Discord handle grant is recorded as pending (1) before tierdesk gives the role and confirmed (0) once
 * the platform said so: after a crash between the two, a retry that finds the role present knows it was
 * tierdesk's own grant (and so takes it back at the next handoff) rather than a moderator's.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('oncall_handle_grants')
    .addColumn('pending', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('oncall_handle_grants').dropColumn('pending').execute();
}
