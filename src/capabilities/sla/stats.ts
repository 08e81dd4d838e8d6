import { UserError } from '../../domain/errors.js';
import type { Reply } from '../../ports.js';
import { formatReport, slaReport } from './report.js';
import { GROUPINGS, isGrouping } from './grouping.js';
import type { Request } from '../../core/request.js';
import type { Core } from '../../core/work.js';

const DAY = 86_400_000;

/** Agents and the tiers' leads see the help desk statistics (in chat and on the dashboard's /reports). */
export async function assertMaySeeStats(core: Core, req: Request): Promise<void> {
  const dir = core.directory;
  if (!dir.isAgent(req.actor) && !dir.tiers.some((t) => dir.isLead(req.actor, t.id)))
    throw new UserError('not_agent', 'Only agents and leads can see the help desk statistics.');
}

/** `/ticket stats`: the SLA report over the last N days (30 by default), for agents and leads. */
export async function ticketStats(core: Core, req: Request, by = 'tier', days = '30'): Promise<Reply> {
  await assertMaySeeStats(core, req);
  if (!isGrouping(by)) throw new UserError('bad_grouping', `--by must be ${GROUPINGS.join(', ')}.`);
  const n = Number(days);
  if (!Number.isInteger(n) || n < 1 || n > 3660) throw new UserError('bad_days', '--days must be a whole number of days from 1 to 3660.');
  const to = core.clock.now();
  const range = { from: to - n * DAY, to: to + 1 };
  const report = await slaReport(core, { ...range, by });
  // Other capabilities' figures for the same period (satisfaction is part of the report itself).
  const more: string[] = [];
  for (const capability of core.catalogue.capabilities) if (capability.report) more.push(...(await capability.report(core, { ...range, by })));
  return { text: [formatReport(report, 'table'), ...more].join('\n') };
}
