import { UserError } from '../../domain/errors.js';
import { nextChange, shifts, whoIsOnCall, type Schedule } from '../../domain/oncall-schedule.js';
import { cleanLine } from '../../domain/text.js';
import type { Reply } from '../../ports.js';
import type { Actor } from '../../core/directory.js';
import { formatInstant } from '../../core/render.js';
import { changePage } from './paging.js';
import { findActivePage, newestPagingTicket } from '../../store/pages.js';
import { insertOverride } from '../../store/oncall-overrides.js';
import { currentSchedules } from './schedules.js';
import { armHandoffs } from './handoffs.js';
import { syncHandles } from './handles.js';
import { change, type Request } from '../../core/request.js';
import { refreshCards } from '../tickets/refresh-cards.js';
import { loadTicket } from '../tickets/ticket-model.js';
import type { Core } from '../../core/work.js';

const DAY = 86_400_000;

/** The schedule a tier shows: its `oncall_schedule`, else the first schedule its policy notifies (also the API's). */
export function scheduleOf(core: Core, tierId: string, schedules: ReadonlyMap<string, Schedule>): { name: string; schedule: Schedule } | undefined {
  const tier = core.directory.tier(tierId);
  let name = tier?.oncallSchedule;
  if (!name && tier?.escalationPolicy) {
    const step = core.config.oncall.policies.get(tier.escalationPolicy)?.steps.find((s) => s.kind === 'notify' && s.target.kind === 'schedule');
    if (step?.kind === 'notify' && step.target.kind === 'schedule') name = step.target.schedule;
  }
  const schedule = name ? schedules.get(name) : undefined;
  return name && schedule ? { name, schedule } : undefined;
}

/** Who is on call, by name: `Ann + Bob`, or `nobody` (chat and the dashboard's /oncall say it the same way). */
export const onCallNames = (core: Core, ids: readonly string[]): string =>
  ids.length === 0 ? 'nobody' : ids.map((id) => core.directory.nameOf(id)).join(' + ');

/** Who is on call for one tier: now, until when, and who comes next (from when, if not at once). */
export interface TierOnCall {
  tier: string;
  tierName: string;
  schedule: string;
  users: readonly string[];
  until?: number;
  next?: { users: readonly string[]; from: number };
}

/** Who is on call now for each tier with a schedule (what `/oncall` says and the dashboard's /oncall shows). */
export function onCallByTier(core: Core, now: number, schedules: ReadonlyMap<string, Schedule>): TierOnCall[] {
  const out: TierOnCall[] = [];
  for (const tier of core.directory.tiers) {
    const s = scheduleOf(core, tier.id, schedules);
    if (!s) continue;
    const until = nextChange(s.schedule, now);
    // Who comes next: at the change, or (when nobody is then) whoever comes on call after it.
    const upcoming = until !== undefined ? shifts(s.schedule, until, until + 14 * DAY)[0] : undefined;
    out.push({
      tier: tier.id,
      tierName: tier.name,
      schedule: s.name,
      users: whoIsOnCall(s.schedule, now),
      ...(until !== undefined ? { until } : {}),
      ...(upcoming ? { next: { users: upcoming.users, from: upcoming.from } } : {}),
    });
  }
  return out;
}

/** The schedules of the tiers this person leads: the ones their overrides may change. */
export function schedulesLedBy(core: Core, actor: Actor, schedules: ReadonlyMap<string, Schedule>): string[] {
  const led = core.directory.tiers.filter((t) => core.directory.isLead(actor, t.id));
  return [...new Set(led.map((t) => scheduleOf(core, t.id, schedules)?.name).filter((n): n is string => n !== undefined))];
}

/** `/oncall`: who is on call now for each tier, until when, and who is next. */
function whoNow(core: Core, now: number, schedules: ReadonlyMap<string, Schedule>): string {
  const lines = onCallByTier(core, now, schedules).map((t) => {
    const next = t.next ? `; next ${onCallNames(core, t.next.users)}${t.next.from > t.until! ? ` from ${formatInstant(t.next.from)}` : ''}` : '';
    return `${t.tier} ${t.tierName} (${t.schedule}): ${onCallNames(core, t.users)}${t.until !== undefined ? ` until ${formatInstant(t.until)}` : ''}${next}`;
  });
  return lines.length > 0
    ? lines.join('\n')
    : 'No tier has an on-call schedule (tiers[].oncall_schedule or an escalation policy with a schedule step).';
}

/** `/oncall schedule NAME`: the shifts of the next 7 days. */
function nextWeek(core: Core, name: string, now: number, schedules: ReadonlyMap<string, Schedule>): string {
  const schedule = schedules.get(name);
  if (!schedule)
    throw new UserError(
      'no_such_schedule',
      `There is no schedule "${cleanLine(name).slice(0, 40)}". Schedules: ${[...core.config.oncall.schedules.keys()].join(', ') || 'none'}.`,
    );
  const list = shifts(schedule, now, now + 7 * DAY);
  if (list.length === 0) return `Nobody is on call in ${name} in the next 7 days.`;
  return [`${name}, the next 7 days:`, ...list.map((s) => `${formatInstant(s.from)} → ${formatInstant(s.to)}  ${onCallNames(core, s.users)}`)].join(
    '\n',
  );
}

/** `/oncall`: who is on call now for each tier. */
export async function oncallNow(core: Core): Promise<Reply> {
  const now = core.clock.now();
  return { text: whoNow(core, now, await currentSchedules(core, core.db)) };
}

/** `/oncall schedule NAME`: the next 7 days of a schedule. */
export async function oncallWeek(core: Core, name: string): Promise<Reply> {
  const now = core.clock.now();
  return { text: nextWeek(core, name, now, await currentSchedules(core, core.db)) };
}

/** The override's refusal for someone who leads no tier: before anything else is looked at. */
export async function assertLeadsATier(core: Core, req: Request): Promise<void> {
  if (!core.directory.isLeadOfAny(req.actor))
    throw new UserError('not_lead', "Only a tier's leads (tiers[].leads) can override its on-call schedule.");
}

export interface OverrideInput {
  user?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  schedule?: string | undefined;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * `/oncall override USER --from ISO --to ISO [--schedule NAME]`: put someone on call in place of the
 * rotation for a while. Only the leads of a tier that uses the schedule may.
 */
export async function overrideSchedule(core: Core, req: Request, input: OverrideInput): Promise<Reply> {
  const schedules = await currentSchedules(core, core.db);
  const usage = 'Usage: /oncall override USER --from 2024-11-05T06:00Z --to 2024-11-05T18:00Z [--schedule NAME]';
  const raw = (input.user ?? '')
    .trim()
    .replace(/^<@!?|>$/g, '')
    .replace(/^@/, '');
  if (!raw) throw new UserError('no_user', `Whom? ${usage}`);
  const person = core.directory.people.find((p) => p.id === raw || p.console === raw || p.slack === raw || p.discord === raw);
  if (!person) throw new UserError('unknown_user', `"${cleanLine(raw).slice(0, 40)}" is not a person tierdesk knows (people in tierdesk.yaml).`);
  const from = input.from !== undefined && ISO.test(input.from.trim()) ? Date.parse(input.from.trim()) : NaN;
  const to = input.to !== undefined && ISO.test(input.to.trim()) ? Date.parse(input.to.trim()) : NaN;
  if (Number.isNaN(from) || Number.isNaN(to))
    throw new UserError('bad_instant', `--from and --to must be ISO instants with a zone (Z or an offset). ${usage}`);
  if (to <= from) throw new UserError('bad_range', '--to must be after --from.');
  if (!core.directory.isLeadOfAny(req.actor))
    throw new UserError('not_lead', "Only a tier's leads (tiers[].leads) can override its on-call schedule.");
  const options = schedulesLedBy(core, req.actor, schedules);
  const name = input.schedule !== undefined && input.schedule.trim() !== '' ? input.schedule.trim() : options.length === 1 ? options[0] : undefined;
  if (!name) throw new UserError('which_schedule', `Say which schedule: --schedule ${options.join(' or ') || 'NAME'}.`);
  if (!options.includes(name)) throw new UserError('not_lead', `You do not lead a tier that uses the schedule "${cleanLine(name).slice(0, 40)}".`);
  await change(core, req, async (work) => {
    await insertOverride(work.db, {
      id: core.newId(),
      schedule: name,
      user: person.id,
      from_at: from,
      to_at: to,
      created_by: core.directory.agentId(req.actor),
      created_at: work.now,
    });
    await armHandoffs(core, work, name); // the override may bring the next handoff forward
    await syncHandles(core, work, name); // an override starting now moves the handles at once
  });
  return { text: `${person.name} is on call in ${name} from ${formatInstant(from)} to ${formatInstant(to)}.` };
}

/** `/oncall ack`: acknowledge the newest page of a tier the person works in. */
export async function ackLatest(core: Core, req: Request, actor: Actor): Promise<Reply> {
  const tiers = core.directory.tiersOf(actor).map((t) => t.id);
  if (tiers.length === 0) throw new UserError('not_agent', 'Only agents can acknowledge pages.');
  const number = await newestPagingTicket(core.db, tiers);
  if (number === undefined) return { text: 'No page is waiting for your tiers.' };
  return change(core, req, async (work) => {
    if (!(await findActivePage(work.db, number))) return { text: 'No page is waiting for your tiers.' };
    await changePage(core, work, number, 'ack', actor);
    await refreshCards(core, work, await loadTicket(work.db, number));
    return { text: `You have acknowledged the page for #${number}.` };
  });
}
