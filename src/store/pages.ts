import type { PageState } from '../domain/escalation-page.js';
import type { EscalationPolicy } from '../domain/escalation-policy.js';
import type { Db } from './connect.js';
import type { PagesTable } from './schema.js';

export type PageReason = 'opened_outside_hours' | 'sla_warning' | 'sla_breach' | 'escalated_into' | 'manual';

/** A page: the snapshot of its policy and the page state machine's data, decoded from its row. */
export interface Page {
  id: string;
  ticket: number;
  tier: string;
  policy: EscalationPolicy;
  state: PageState;
  reason: PageReason;
  startedAt: number;
}

function pageFromRow(row: PagesTable): Page {
  return {
    id: row.id,
    ticket: Number(row.ticket),
    tier: row.tier,
    policy: JSON.parse(row.policy) as EscalationPolicy,
    state: JSON.parse(row.state) as PageState,
    reason: row.reason as PageReason,
    startedAt: Number(row.started_at),
  };
}

/** The ticket's page that is still running (paging or acknowledged), if any. */
export async function findActivePage(db: Db, ticket: number): Promise<Page | undefined> {
  const row = await db
    .selectFrom('pages')
    .selectAll()
    .where('ticket', '=', ticket)
    .where('status', 'in', ['paging', 'acknowledged'])
    .orderBy('started_at', 'desc')
    .executeTakeFirst();
  return row ? pageFromRow(row) : undefined;
}

export async function findPage(db: Db, id: string): Promise<Page | undefined> {
  const row = await db.selectFrom('pages').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? pageFromRow(row) : undefined;
}

/** The ticket of the newest page still ringing (not acknowledged) in one of these tiers. */
export async function newestPagingTicket(db: Db, tiers: readonly string[]): Promise<number | undefined> {
  if (tiers.length === 0) return undefined;
  const row = await db
    .selectFrom('pages')
    .select(['ticket'])
    .where('status', '=', 'paging')
    .where('tier', 'in', tiers)
    .orderBy('started_at', 'desc')
    .executeTakeFirst();
  return row ? Number(row.ticket) : undefined;
}

export async function insertPage(db: Db, page: Page, at: number): Promise<void> {
  await db
    .insertInto('pages')
    .values({
      id: page.id,
      ticket: page.ticket,
      tier: page.tier,
      policy: JSON.stringify(page.policy),
      state: JSON.stringify(page.state),
      status: page.state.status,
      reason: page.reason,
      started_at: page.startedAt,
      updated_at: at,
    })
    .execute();
}

export async function savePageState(db: Db, id: string, state: PageState, at: number): Promise<void> {
  await db
    .updateTable('pages')
    .set({ state: JSON.stringify(state), status: state.status, updated_at: at })
    .where('id', '=', id)
    .execute();
}

/**
 * The newest pages first (the dashboard's page log). Pages are rare (a few a day), so ordering the
 * table by its start needs no index of its own.
 */
export async function recentPages(db: Db, limit: number): Promise<Array<Page & { status: string }>> {
  const rows = await db.selectFrom('pages').selectAll().orderBy('started_at', 'desc').orderBy('id').limit(limit).execute();
  return rows.map((row) => ({ ...pageFromRow(row), status: row.status }));
}
