/** `tierdesk sla due|between` and `tierdesk report`: SLA arithmetic and reports from the command line. */
import { CliError, instantArg, isoArg, one, type Args } from './cli-args.js';
import { addBusinessMinutes, businessMinutesBetween, type Pause } from './domain/business-time.js';
import type { Config } from './config/config.js';
import { createDesk } from './core/desk.js';
import { formatReport, slaReport, type ReportGrouping } from './capabilities/sla/report.js';
import type { Logger } from './ports.js';
import { systemClock } from './ports.js';
import { openDatabase } from './store/connect.js';
import { migrateToLatest } from './store/migrate.js';

type Say = (text: string) => void;

function pauses(args: Args): Pause[] {
  return (args.flags.get('pause') ?? []).map((p) => {
    const [a, b, extra] = p.split('/');
    if (a === undefined || b === undefined || extra !== undefined)
      throw new CliError(`--pause ${JSON.stringify(p)} must be START/END, two ISO instants`);
    const start = instantArg(a, 'pause start');
    const end = instantArg(b, 'pause end');
    if (end < start) throw new CliError(`--pause ${p} ends before it starts`);
    return { start, end };
  });
}

function calendarOf(args: Args, config: Config) {
  const name = one(args, 'calendar');
  if (name === undefined) throw new CliError(`--calendar is required (known: ${[...config.calendars.keys()].join(', ')})`);
  const calendar = config.calendars.get(name);
  if (!calendar) throw new CliError(`unknown calendar "${name}" (known: ${[...config.calendars.keys()].join(', ')})`);
  return calendar;
}

export function slaCommand(args: Args, config: Config, say: Say, complain: Say): number {
  try {
    const sub = args.rest[0];
    const calendar = calendarOf(args, config);
    if (sub === 'due') {
      const start = instantArg(one(args, 'start'), 'start');
      const minutesText = one(args, 'minutes');
      const minutes = Number(minutesText);
      if (minutesText === undefined || !Number.isFinite(minutes) || minutes < 0)
        throw new CliError(
          `--minutes must be a number of business minutes, 0 or more${minutesText === undefined ? '' : `, not ${JSON.stringify(minutesText)}`}`,
        );
      const due = addBusinessMinutes(calendar, start, minutes, pauses(args));
      say(args.flags.has('json') ? JSON.stringify({ calendar: calendar.name, start: isoArg(start), minutes, due: isoArg(due) }) : isoArg(due));
      return 0;
    }
    if (sub === 'between') {
      const from = instantArg(one(args, 'from'), 'from');
      const to = instantArg(one(args, 'to'), 'to');
      const minutes = businessMinutesBetween(calendar, from, to, pauses(args));
      say(args.flags.has('json') ? JSON.stringify({ calendar: calendar.name, from: isoArg(from), to: isoArg(to), minutes }) : String(minutes));
      return 0;
    }
    throw new CliError(`tierdesk sla needs "due" or "between"${sub ? `, not "${sub}"` : ''}`);
  } catch (err) {
    if (err instanceof CliError || err instanceof RangeError) return (complain(`tierdesk sla: ${err.message}`), 2);
    throw err;
  }
}

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
    if (!['tier', 'priority', 'agent'].includes(by)) throw new CliError(`--by must be tier, priority or agent, not "${by}"`);
    const format = one(args, 'format') ?? 'table';
    if (!['table', 'json', 'csv'].includes(format)) throw new CliError(`--format must be table, json or csv, not "${format}"`);
    const toDay = day(one(args, 'to'), 'to'); // inclusive: the whole day counts
    const to = toDay !== undefined ? toDay + DAY : systemClock.now();
    const from = day(one(args, 'from'), 'from') ?? to - 30 * DAY;
    if (from >= to) throw new CliError('--from must be on or before --to');
    opts = { from, to, by: by as ReportGrouping, format: format as 'table' | 'json' | 'csv' };
  } catch (err) {
    if (err instanceof CliError) return (complain(`tierdesk report: ${err.message}`), 2);
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
