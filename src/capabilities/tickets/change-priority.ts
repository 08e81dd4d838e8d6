import { UserError } from '../../domain/errors.js';
import { LEVELS, isLevel, isPriority, priorityOf, type Level, type Priority } from '../../domain/priority.js';
import { nextStatus } from '../../domain/ticket.js';
import type { Reply } from '../../ports.js';
import { change, type Request } from '../../core/request.js';
import { ticketForAgent } from './access.js';
import { refreshCards } from './refresh-cards.js';
import { saveTicket, type Ticket } from './ticket-model.js';
import { levelsOf, policyFor, slaSnapshot } from '../sla/clocks.js';
import type { ClockName } from '../../domain/sla.js';
import type { Core } from '../../core/work.js';

/**
 * Agents may correct impact and urgency (the priority follows the matrix) or set the priority
 * outright. The change is an event in the ticket's history.
 */
export async function changePriority(
  core: Core,
  req: Request,
  number: number,
  input: { impact?: string; urgency?: string; priority?: string },
): Promise<Reply> {
  const pick = (v: string | undefined, flag: string): Level | undefined => {
    if (v === undefined) return undefined;
    const l = v.trim().toLowerCase();
    if (!isLevel(l)) throw new UserError('bad_level', `--${flag} must be ${LEVELS.join(', ')}.`);
    return l;
  };
  const impact = pick(input.impact, 'impact');
  const urgency = pick(input.urgency, 'urgency');
  const explicit = input.priority?.trim().toUpperCase();
  if (explicit !== undefined && !isPriority(explicit)) throw new UserError('bad_priority', '--priority must be P1, P2, P3, P4 or P5.');
  if (impact === undefined && urgency === undefined && explicit === undefined) {
    throw new UserError(
      'nothing_to_change',
      `Say what to change: /ticket priority ${number} [--impact high|medium|low] [--urgency high|medium|low] [--priority P1..P5]`,
    );
  }
  return change(core, req, async (work) => {
    const t = await ticketForAgent(core, work, req, number, 'change the priority of');
    nextStatus(t.status, 'change_priority', t.assignee !== undefined);
    const next = { impact: impact ?? t.impact, urgency: urgency ?? t.urgency };
    const priority: Priority = (explicit as Priority | undefined) ?? priorityOf(core.config.priority.matrix, next.impact, next.urgency);
    if (priority === t.priority && next.impact === t.impact && next.urgency === t.urgency)
      return { text: `#${number} already has that priority (${priority}).` };
    // The SLA follows the new priority: due times are recomputed from creation with the new targets,
    // and warnings not yet reached under them may be given again.
    const changed: Ticket = { ...t, ...next, priority, updatedAt: work.now };
    const policy = policyFor(core, changed);
    if (policy) changed.slaPolicy = policy.name;
    else delete changed.slaPolicy;
    const sla = await slaSnapshot(core, work.db, changed, work.now);
    if (sla) {
      // Keep only the warnings the clock has really reached under the new target (time used so far,
      // pauses included, against the level), so lower levels can be given again.
      changed.slaMarks = t.slaMarks.filter((mark) => {
        const [clock, key] = mark.split(':') as [ClockName, string];
        const level = levelsOf(sla.policy).find((l) => l.key === key);
        return level !== undefined && sla.clocks[clock].usedSeconds >= level.fraction * sla.inputs[clock].targetMinutes * 60;
      });
    }
    await saveTicket(work, t, { ...next, priority, sla_policy: changed.slaPolicy ?? null, sla_marks: changed.slaMarks });
    const due = (clock: ClockName) => sla?.clocks[clock].dueAt;
    await work.event(number, req.actor, 'priority_changed', {
      from: { priority: t.priority, impact: t.impact, urgency: t.urgency },
      to: { priority, ...next },
      ...(explicit ? { overridden: true } : {}),
      ...(sla ? { sla: { policy: sla.policy.name, firstResponseDue: due('first_response') ?? null, resolutionDue: due('resolution') ?? null } } : {}),
    });
    await refreshCards(core, work, { ...changed, revision: t.revision + 1 });
    return { text: `#${number} is now ${priority} (impact ${next.impact}, urgency ${next.urgency}; was ${t.priority}).` };
  });
}
