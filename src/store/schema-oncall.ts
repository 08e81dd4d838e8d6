/** Table types of on-call handles (tiers[].oncall_handle). */
import type { Generated } from 'kysely';

/** What tierdesk last asked an on-call handle's members to be (migrations/2026-12-08-41-oncall-handles.ts). */
export interface OncallHandlesTable {
  platform: string;
  /** The Slack user group id or the Discord role id. */
  grp: string;
  /** JSON: the platform user ids, sorted. */
  members: string;
  updated_at: number;
}

/** A Discord member tierdesk gave a handle's role to (and so may take it back from). */
export interface OncallHandleGrantsTable {
  platform: string;
  grp: string;
  user_id: string;
  granted_at: number;
  /** 1 from just before the role is given until the platform confirmed it (migrations/2026-12-08-91-handle-grant-pending.ts). */
  pending: Generated<number>;
}
