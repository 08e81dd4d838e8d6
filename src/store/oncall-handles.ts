import type { Db } from './connect.js';

/** The members tierdesk last asked a handle (a Slack user group, a Discord role) to have; undefined: never. */
export async function handleMembers(db: Db, platform: string, group: string): Promise<string[] | undefined> {
  const row = await db.selectFrom('oncall_handles').select('members').where('platform', '=', platform).where('grp', '=', group).executeTakeFirst();
  return row ? (JSON.parse(row.members) as string[]) : undefined;
}

/** Record the members asked for now (sorted user ids). */
export async function saveHandleMembers(db: Db, platform: string, group: string, members: readonly string[], at: number): Promise<void> {
  const values = { platform, grp: group, members: JSON.stringify(members), updated_at: at };
  await db
    .insertInto('oncall_handles')
    .values(values)
    .onConflict((oc) => oc.columns(['platform', 'grp']).doUpdateSet({ members: values.members, updated_at: at }))
    .execute();
}

/** The people tierdesk itself gave the handle's role to. */
export async function handleGrants(db: Db, platform: string, group: string): Promise<string[]> {
  const rows = await db.selectFrom('oncall_handle_grants').select('user_id').where('platform', '=', platform).where('grp', '=', group).execute();
  return rows.map((r) => r.user_id);
}

/** Remember that tierdesk gave `user` the role (it had not got it before). */
export async function recordHandleGrant(db: Db, platform: string, group: string, user: string, at: number): Promise<void> {
  await db
    .insertInto('oncall_handle_grants')
    .values({ platform, grp: group, user_id: user, granted_at: at })
    .onConflict((oc) => oc.columns(['platform', 'grp', 'user_id']).doNothing())
    .execute();
}

/** Forget a grant: tierdesk took the role back. */
export async function forgetHandleGrant(db: Db, platform: string, group: string, user: string): Promise<void> {
  await db.deleteFrom('oncall_handle_grants').where('platform', '=', platform).where('grp', '=', group).where('user_id', '=', user).execute();
}
