import type { Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

/**
 * On-call handles (tiers[].oncall_handle): `oncall_handles` holds, per platform group, the members
 * tierdesk last asked for, so a start or a handoff that changes nothing sends nothing;
 * `oncall_handle_grants` the people tierdesk itself gave a Discord role to, the only ones it ever
 * takes the role back from (someone given it by a moderator keeps it).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('oncall_handles')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('grp', 'text', (c) => c.notNull())
    .addColumn('members', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('oncall_handles_pk', ['platform', 'grp'])
    .execute();
  await db.schema
    .createTable('oncall_handle_grants')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('grp', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('granted_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('oncall_handle_grants_pk', ['platform', 'grp', 'user_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('oncall_handle_grants').execute();
  await db.schema.dropTable('oncall_handles').execute();
}
