import { UserError } from '../domain/errors.js';
import { nextChange, nextOnCall, shifts, whoIsOnCall, type Schedule } from '../domain/oncall-schedule.js';
import { cleanLine } from '../domain/text.js';
import type { Reply } from '../ports.js';
import type { Actor } from './directory.js';
import { formatInstant } from './render.js';
import { activePage, changePage } from './paging.js';
import { change, refreshCards, type Request } from './request.js';
import { loadTicket } from './ticket-model.js';
import type { Core } from './work.js';

const DAY = 86_400_000;

/** The schedule a tier shows: its `oncall_schedule`, else the first schedule its policy notifies. */
function scheduleOf(core: Core, tierId: string): { name: string; schedule: Schedule } | undefined {
  const tier = core.directory.tier(tierId);
  let name = tier?.oncallSchedule;
  if (!name && tier?.escalationPolicy) {
    const step = core.config.oncall.policies.get(tier.escalationPolicy)?.steps.find((s) => s.kind === 'notify' && s.target.kind === 'schedule');
    if (step?.kind === 'notify' && step.target.kind === 'schedule') name = step.target.schedule;
  }
  const schedule = name ? core.config.oncall.schedules.get(name) : undefined;
  return name && schedule ? { name, schedule } : undefined;
}

const names = (core: Core, ids: readonly string[]) => (ids.length === 0 ? 'nobody' : ids.map((id) => core.directory.nameOf(id)).join(' + '));

/** `/oncall`: who is on call now for each tier, until when, and who is next. */
function whoNow(core: Core, now: number): string {
  const lines: string[] = [];
  for (const tier of core.directory.tiers) {
    const s = scheduleOf(core, tier.id);
    if (!s) continue;
    const until = nextChange(s.schedule, now);
    const next = until !== undefined ? nextOnCall(s.schedule, until) : undefined;
    lines.push(`${tier.id} ${tier.name} (${s.name}): ${names(core, whoIsOnCall(s.schedule, now))}${until !== undefined ? ` until ${formatInstant(until)}` : ''}${next ? `; next ${names(core, next.users)}` : ''}`);
  }
  return lines.length > 0 ? lines.join('\n') : 'No tier has an on-call schedule (tiers[].oncall_schedule or an escalation policy with a schedule step).';
}

/** `/oncall schedule NAME`: the shifts of the next 7 days. */
function nextWeek(core: Core, name: string, now: number): string {
  const schedule = core.config.oncall.schedules.get(name);
  if (!schedule) throw new UserError('no_such_schedule', `There is no schedule "${cleanLine(name).slice(0, 40)}". Schedules: ${[...core.config.oncall.schedules.keys()].join(', ') || 'none'}.`);
  const list = shifts(schedule, now, now + 7 * DAY);
  if (list.length === 0) return `Nobody is on call in ${name} in the next 7 days.`;
  return [`${name}, the next 7 days:`, ...list.map((s) => `${formatInstant(s.from)} → ${formatInstant(s.to)}  ${names(core, s.users)}`)].join('\n');
}

/** `/oncall [schedule NAME | ack]`. */
export async function oncallCommand(core: Core, req: Request, text: string): Promise<Reply> {
  const [sub = '', ...rest] = text.trim().split(/\s+/);
  const now = core.clock.now();
  if (sub === '') return { text: whoNow(core, now) };
  if (sub === 'schedule') return { text: nextWeek(core, rest.join(' '), now) };
  if (sub === 'ack') return ackLatest(core, req, req.actor);
  return { text: 'Usage: /oncall | /oncall schedule NAME | /oncall ack' };
}

/** `/oncall ack`: acknowledge the newest page of a tier the person works in. */
async function ackLatest(core: Core, req: Request, actor: Actor): Promise<Reply> {
  const tiers = core.directory.tiersOf(actor).map((t) => t.id);
  if (tiers.length === 0) throw new UserError('not_agent', 'Only agents can acknowledge pages.');
  const row = await core.db.selectFrom('pages').select(['ticket']).where('status', '=', 'paging').where('tier', 'in', tiers).orderBy('started_at', 'desc').executeTakeFirst();
  if (!row) return { text: 'No page is waiting for your tiers.' };
  const number = Number(row.ticket);
  return change(core, req, async (work) => {
    if (!(await activePage(work.db, number))) return { text: 'No page is waiting for your tiers.' };
    await changePage(core, work, number, 'ack', actor);
    await refreshCards(core, work, await loadTicket(work.db, number));
    return { text: `You have acknowledged the page for #${number}.` };
  });
}
