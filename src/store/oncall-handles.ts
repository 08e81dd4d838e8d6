import type { Db } from './connect.js';

/** The members a handle (a Slack user group, a Discord role) was last made to have; undefined: never. */
export async function handleMembers(db: Db, platform: string, group: string): Promise<string[] | undefined> {
  const row = await db.selectFrom('oncall_handles').select('members').where('platform', '=', platform).where('grp', '=', group).executeTakeFirst();
  return row ? (JSON.parse(row.members) as string[]) : undefined;
}

/** Record the members a handle was made to have (sorted user ids), once the platform did it. */
export async function saveHandleMembers(db: Db, platform: string, group: string, members: readonly string[], at: number): Promise<void> {
  const values = { platform, grp: group, members: JSON.stringify(members), updated_at: at };
  await db
    .insertInto('oncall_handles')
    .values(values)
    .onConflict((oc) => oc.columns(['platform', 'grp']).doUpdateSet({ members: values.members, updated_at: at }))
    .execute();
}

/** The people tierdesk itself gave the handle's role to, and those it was about to give it to when it last stopped (pending). */
export async function handleGrants(db: Db, platform: string, group: string): Promise<Array<{ user: string; pending: boolean }>> {
  const rows = await db
    .selectFrom('oncall_handle_grants')
    .select(['user_id', 'pending'])
    .where('platform', '=', platform)
    .where('grp', '=', group)
    .execute();
  return rows.map((r) => ({ user: r.user_id, pending: Number(r.pending) === 1 }));
}

/** Remember that tierdesk is about to give `user` the role (before the platform call, so a crash after it is not lost). */
export async function recordPendingGrant(db: Db, platform: string, group: string, user: string, at: number): Promise<void> {
  await db
    .insertInto('oncall_handle_grants')
    .values({ platform, grp: group, user_id: user, granted_at: at, pending: 1 })
    .onConflict((oc) => oc.columns(['platform', 'grp', 'user_id']).doNothing())
    .execute();
}

/** The platform confirmed that tierdesk gave `user` the role. */
export async function confirmHandleGrant(db: Db, platform: string, group: string, user: string, at: number): Promise<void> {
  await db
    .updateTable('oncall_handle_grants')
    .set({ pending: 0, granted_at: at })
    .where('platform', '=', platform)
    .where('grp', '=', group)
    .where('user_id', '=', user)
    .execute();
}

/** Forget a grant: tierdesk took the role back. */
export async function forgetHandleGrant(db: Db, platform: string, group: string, user: string): Promise<void> {
  await db.deleteFrom('oncall_handle_grants').where('platform', '=', platform).where('grp', '=', group).where('user_id', '=', user).execute();
}
