import { UserError } from '../../domain/errors.js';
import type { Reply } from '../../ports.js';
import { formatReport, slaReport } from './report.js';
import { GROUPINGS, isGrouping } from './grouping.js';
import type { Request } from '../../core/request.js';
import type { Core } from '../../core/work.js';

const DAY = 86_400_000;

/**
 * `/ticket stats`: the SLA report over the last N days (30 by default), for agents and leads (its declaration's
 * `who: 'staff'`, checked in the core; the dashboard's /reports asks the same declaration).
 */
export async function ticketStats(core: Core, _req: Request, by = 'tier', days = '30'): Promise<Reply> {
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
