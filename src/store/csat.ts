import type { Db } from './connect.js';

/** One survey of one resolution, as the store keeps it. */
export interface CsatRating {
  ticket: number;
  resolvedAt: number;
  tier: string;
  priority: string;
  assignee?: string;
  askedAt: number;
  score?: number;
  comment?: string;
  ratedAt?: number;
}

/** Record that the requester was asked about this resolution (once: asking again changes nothing). */
export async function recordSurvey(
  db: Db,
  r: Pick<CsatRating, 'ticket' | 'resolvedAt' | 'tier' | 'priority' | 'assignee' | 'askedAt'>,
): Promise<void> {
  await db
    .insertInto('csat_ratings')
    .values({ ticket: r.ticket, resolved_at: r.resolvedAt, tier: r.tier, priority: r.priority, assignee: r.assignee ?? null, asked_at: r.askedAt })
    .onConflict((oc) => oc.columns(['ticket', 'resolved_at']).doNothing())
    .execute();
}

export async function findSurvey(db: Db, ticket: number, resolvedAt: number): Promise<CsatRating | undefined> {
  const row = await db.selectFrom('csat_ratings').selectAll().where('ticket', '=', ticket).where('resolved_at', '=', resolvedAt).executeTakeFirst();
  if (!row) return undefined;
  return {
    ticket: Number(row.ticket),
    resolvedAt: Number(row.resolved_at),
    tier: row.tier,
    priority: row.priority,
    askedAt: Number(row.asked_at),
    ...(row.assignee !== null ? { assignee: row.assignee } : {}),
    ...(row.score !== null ? { score: Number(row.score) } : {}),
    ...(row.comment !== null ? { comment: row.comment } : {}),
    ...(row.rated_at !== null ? { ratedAt: Number(row.rated_at) } : {}),
  };
}

/** The requester's rating (a later one replaces it: a rating may change until the ticket closes). */
export async function saveRating(db: Db, ticket: number, resolvedAt: number, score: number, comment: string | undefined, at: number): Promise<void> {
  await db
    .updateTable('csat_ratings')
    .set({ score, comment: comment ?? null, rated_at: at })
    .where('ticket', '=', ticket)
    .where('resolved_at', '=', resolvedAt)
    .execute();
}

export type CsatGrouping = 'tier' | 'priority' | 'agent';

/** The counts of one group of surveys. */
export interface CsatFigures {
  group: string;
  asked: number;
  rated: number;
  /** How many ratings of 1, 2, 3, 4 and 5. */
  distribution: [number, number, number, number, number];
}

/** What a survey can be grouped by: its tier, priority, assignee (a person key) and when it was asked. */
export interface SurveyKeys {
  tier: string;
  priority: string;
  assignee: string | null;
  askedAt: number;
}

/**
 * Surveys asked in [from, to) (of one tier's tickets, when given), grouped `by` a field or by what
 * `by` makes of each survey, in group order: how many, how many answered, the average and the distribution.
 */
export async function csatFigures(
  db: Db,
  from: number,
  to: number,
  by: CsatGrouping | ((s: SurveyKeys) => string),
  tier?: string,
): Promise<CsatFigures[]> {
  const groupOf =
    typeof by === 'function' ? by : (s: SurveyKeys) => (by === 'tier' ? s.tier : by === 'priority' ? s.priority : (s.assignee ?? 'unassigned'));
  let query = db
    .selectFrom('csat_ratings')
    .select(['tier', 'priority', 'assignee', 'asked_at', 'score'])
    .where('asked_at', '>=', from)
    .where('asked_at', '<', to);
  if (tier !== undefined) query = query.where('tier', '=', tier);
  const rows = await query.execute();
  const groups = new Map<string, CsatFigures>();
  for (const r of rows) {
    const key = groupOf({ tier: r.tier, priority: r.priority, assignee: r.assignee, askedAt: Number(r.asked_at) });
    const g = groups.get(key) ?? { group: key, asked: 0, rated: 0, distribution: [0, 0, 0, 0, 0] };
    g.asked++;
    if (r.score !== null) {
      g.rated++;
      g.distribution[Number(r.score) - 1]!++;
    }
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => a.group.localeCompare(b.group));
}
