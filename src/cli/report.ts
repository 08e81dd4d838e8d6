/** `tierdesk report`: SLA attainment, knowledge deflection and satisfaction over a period, from the database. */
import { CliError, InputError, one, type Args } from './args.js';
import type { Config } from '../config/config.js';
import { createDesk } from '../core/desk.js';
import { formatReport, slaReport } from '../capabilities/sla/report.js';
import { GROUPINGS, isGrouping, type ReportGrouping } from '../capabilities/sla/grouping.js';
import type { Logger } from '../ports.js';
import { systemClock } from '../ports.js';
import { openDatabase } from '../store/connect.js';
import { migrateToLatest } from '../store/migrate.js';

type Say = (text: string) => void;

const DAY = 86_400_000;

function day(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`)))
    throw new CliError(`--${flag} ${JSON.stringify(text)} is not a date YYYY-MM-DD`);
  return Date.parse(`${text}T00:00:00Z`);
}

export async function reportCommand(args: Args, config: Config, logger: Logger, say: Say, complain: Say): Promise<number> {
  let opts: { from: number; to: number; by: ReportGrouping; format: 'table' | 'json' | 'csv' };
  try {
    const by = one(args, 'by') ?? 'tier';
    if (!isGrouping(by)) throw new CliError(`--by must be ${GROUPINGS.join(', ')}, not "${by}"`);
    const format = one(args, 'format') ?? 'table';
    if (!['table', 'json', 'csv'].includes(format)) throw new CliError(`--format must be table, json or csv, not "${format}"`);
    const toDay = day(one(args, 'to'), 'to'); // inclusive: the whole day counts
    const to = toDay !== undefined ? toDay + DAY : systemClock.now();
    const from = day(one(args, 'from'), 'from') ?? to - 30 * DAY;
    if (from >= to) throw new InputError('--from must be on or before --to');
    opts = { from, to, by, format: format as 'table' | 'json' | 'csv' };
  } catch (err) {
    if (err instanceof CliError) return (complain(`tierdesk report: ${err.message}`), 2);
    if (err instanceof InputError) return (complain(`tierdesk report: ${err.message}`), 1);
    throw err;
  }
  const db = openDatabase(config.database.url);
  try {
    await migrateToLatest(db);
    const desk = createDesk({ db, config, clock: systemClock, logger, adapters: [] });
    say(formatReport(await slaReport(desk.core, opts), opts.format));
    return 0;
  } finally {
    await db.destroy();
  }
}
