/** `tierdesk sla due|between`: SLA arithmetic from the command line. */
import { CliError, InputError, instantArg, isoArg, one, type Args } from './args.js';
import { addBusinessMinutes, businessMinutesBetween, type Pause } from '../domain/business-time.js';
import type { Config } from '../config/config.js';

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
      // Number('') is 0: only digits (and a decimal part) are a number of minutes.
      const minutes = minutesText !== undefined && /^\d+(\.\d+)?$/.test(minutesText.trim()) ? Number(minutesText) : NaN;
      if (!Number.isFinite(minutes))
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
      if (from > to) throw new InputError(`--from (${isoArg(from)}) is after --to (${isoArg(to)}): give the earlier instant as --from`);
      const minutes = businessMinutesBetween(calendar, from, to, pauses(args));
      say(args.flags.has('json') ? JSON.stringify({ calendar: calendar.name, from: isoArg(from), to: isoArg(to), minutes }) : String(minutes));
      return 0;
    }
    throw new CliError(`tierdesk sla needs "due" or "between"${sub ? `, not "${sub}"` : ''}`);
  } catch (err) {
    if (err instanceof CliError) return (complain(`tierdesk sla: ${err.message}`), 2);
    // The arithmetic refuses what it cannot compute (more than a century of open time): input, not a crash.
    if (err instanceof InputError || err instanceof RangeError) return (complain(`tierdesk sla: ${err.message}`), 1);
    throw err;
  }
}
