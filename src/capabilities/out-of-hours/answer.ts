/**
 * The honest answer to a ticket that arrives while its tier is closed: when the desk next opens
 * (holidays included), the SLA due times that follow, and whether on-call was paged, in the
 * requester's own time zone where tierdesk knows it (people[].zone, else the zone their platform gave),
 * else the tier calendar's zone.
 */
import { DateTime, IANAZone } from 'luxon';
import { card } from '../../core/render.js';
import { requesterThread } from '../tickets/access.js';
import type { Core, Work } from '../../core/work.js';
import { isOpenAt, nextOpening } from '../../domain/business-time.js';
import { fillTemplate } from '../../domain/template.js';
import { findActivePage as activePage } from '../../store/pages.js';
import { slaSnapshot } from '../sla/clocks.js';
import { loadTicket, type Ticket } from '../tickets/ticket-model.js';

/** An instant as a person reads it in their zone: `Mon 10 Jun 2024, 03:00 (America/New_York)`. */
export function localTime(ms: number, zone: string): string {
  return `${DateTime.fromMillis(ms, { zone }).setLocale('en-GB').toFormat('ccc d LLL yyyy, HH:mm')} (${zone})`;
}

/**
 * The requester's zone: the one configured for them (people[].zone, the deployment's word), else the
 * one their platform gave when the ticket opened (Slack's profile `tz`), if luxon knows it.
 */
function requesterZone(core: Core, t: Ticket): string | undefined {
  const id = core.directory.actor(t.requester).personId;
  const configured = id !== undefined ? core.directory.person(id)?.zone : undefined;
  if (configured !== undefined) return configured;
  const told = t.requester.zone;
  return told !== undefined && IANAZone.isValidZone(told) ? told : undefined;
}

/** The `ticket.opened` hook: answer when the ticket's tier is closed at the moment it opened. */
export async function answerOutOfHours(core: Core, work: Work, number: number): Promise<void> {
  if (!core.config.outOfHours.enabled) return;
  // The hook runs in the unit of work that opened the ticket, so `work.now` is when it opened: while
  // every tier's desk is open, nothing is to be answered and the ticket need not be read.
  const openNow = (hours: string | undefined) => {
    const calendar = hours !== undefined ? core.config.calendars.get(hours) : undefined;
    return !calendar || isOpenAt(calendar, work.now);
  };
  if (core.config.tiers.every((tier) => openNow(tier.hours))) return;
  const t = await loadTicket(work.db, number);
  const tier = core.directory.tier(t.tier);
  const calendar = tier?.hours !== undefined ? core.config.calendars.get(tier.hours) : undefined;
  if (!tier || !calendar || isOpenAt(calendar, t.createdAt)) return;
  const zone = requesterZone(core, t) ?? calendar.zone;
  const sla = await slaSnapshot(core, work.db, t, t.createdAt);
  const firstDue = sla?.clocks.first_response.dueAt;
  const resolutionDue = sla?.clocks.resolution.dueAt;
  const paged = (await activePage(work.db, number)) !== undefined;
  const due = (at: number | undefined) => (at !== undefined ? localTime(at, zone) : 'no target');
  const dueSentence = [
    firstDue !== undefined ? `a first answer is due by ${localTime(firstDue, zone)}` : '',
    resolutionDue !== undefined ? `a resolution by ${localTime(resolutionDue, zone)}` : '',
  ].filter(Boolean);
  const text = fillTemplate(core.config.outOfHours.message, {
    ticket: String(t.number),
    title: t.title,
    tier: tier.name,
    opens: localTime(nextOpening(calendar, t.createdAt), zone),
    first_response_due: due(firstDue),
    resolution_due: due(resolutionDue),
    due: dueSentence.length > 0 ? ` Under our service levels ${dueSentence.join(' and ')}.` : '',
    paged: paged
      ? `It is urgent enough that the ${tier.name} on-call engineer has been paged now.`
      : 'Nobody on call is paged for it: it waits for the desk to open.',
    zone,
  });
  await work.post(requesterThread(t), card({ title: `🌙 #${t.number}: ${tier.name} is closed now`, text, tone: 'info' }), { ticket: number });
  await work.event(number, 'system', 'out_of_hours_answered', { opens: nextOpening(calendar, t.createdAt), paged });
}
