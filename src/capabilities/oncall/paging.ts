import { isOpenAt } from '../../domain/business-time.js';
import { UserError } from '../../domain/errors.js';
import { advancePage, resolveTarget, startPage, type PageState } from '../../domain/escalation-page.js';
import type { CardField, Person } from '../../ports.js';
import type { Db } from '../../store/connect.js';
import { findActivePage, findPage, insertPage, savePageState, type Page, type PageReason } from '../../store/pages.js';
import { findTicket } from '../../store/tickets.js';
import { card, formatInstant } from '../../core/render.js';
import type { Ticket } from '../tickets/ticket-model.js';
import type { Core, Work } from '../../core/work.js';
import type { Actor } from '../../core/directory.js';
import { currentSchedules } from './schedules.js';

/** The durable timer of a page's next step; subject = page id, data = { index }. */
export const PAGE_TIMER = 'page';

export const REASON_TEXT: Record<PageReason, string> = {
  opened_outside_hours: 'opened outside staffed hours',
  sla_warning: 'an SLA clock is about to run out',
  sla_breach: 'an SLA clock ran out',
  escalated_into: 'escalated into the tier',
  manual: 'paged by hand',
};

export type { Page, PageReason };

async function savePage(work: Work, page: Page, state: PageState): Promise<void> {
  await savePageState(work.db, page.id, state, work.now);
  if (state.status === 'paging' && state.next) await work.setTimer(PAGE_TIMER, page.id, state.next.dueAt, { index: state.next.index });
  else await work.cancelTimer(PAGE_TIMER, page.id);
}

/**
 * Page the ticket's tier if a paging rule says so (by reason and priority), or by hand. A tier
 * without an escalation policy is not paged; a ticket already paging is not paged twice.
 */
export async function maybePage(core: Core, work: Work, t: Ticket, reason: PageReason): Promise<Page | undefined> {
  const tier = core.directory.tier(t.tier);
  const rules = core.config.oncall.paging;
  if (reason !== 'manual') {
    const wanted = {
      opened_outside_hours: rules.openedOutsideHours,
      sla_warning: rules.slaWarning,
      sla_breach: rules.slaBreach,
      escalated_into: rules.escalatedInto,
    }[reason];
    if (!wanted.includes(t.priority)) return undefined;
  }
  const policy = tier?.escalationPolicy ? core.config.oncall.policies.get(tier.escalationPolicy) : undefined;
  if (!tier || !policy) {
    if (reason === 'manual')
      throw new UserError('no_policy', `${tier ? tier.name : t.tier} has no escalation policy to page (tiers[].escalation_policy).`);
    return undefined;
  }
  if (await findActivePage(work.db, t.number)) {
    if (reason === 'manual') throw new UserError('already_paging', `#${t.number} is already paging; /ticket ack ${t.number} to take it.`);
    return undefined;
  }
  const page: Page = { id: core.newId(), ticket: t.number, tier: tier.id, policy, state: startPage(policy, work.now), reason, startedAt: work.now };
  await insertPage(work.db, page, work.now);
  await work.event(t.number, 'system', 'page_started', { tier: tier.id, policy: policy.name, reason });
  const state = await ringIfDue(core, work, page, page.state);
  await savePage(work, page, state);
  return { ...page, state };
}

/** A step due now rings in this transaction rather than on the next scheduler tick. */
async function ringIfDue(core: Core, work: Work, page: Page, state: PageState): Promise<PageState> {
  if (state.status !== 'paging' || !state.next || state.next.dueAt > work.now) return state;
  const fired = advancePage(page.policy, state, { kind: 'due', index: state.next.index, at: work.now });
  if (fired.notify !== undefined) await notifyStep(core, work, page, fired.notify, false);
  return fired.state;
}

/** Whether a ticket arriving now in its tier falls outside the tier's staffed hours. */
export function outsideHours(core: Core, t: Ticket, at: number): boolean {
  const tier = core.directory.tier(t.tier);
  const calendar = tier?.hours ? core.config.calendars.get(tier.hours) : undefined;
  return calendar !== undefined && !isOpenAt(calendar, at);
}

/** The page's step timer fired: notify that step's people (as on call now), arm the next step. */
export async function pageTimerFired(core: Core, work: Work, pageId: string, data: unknown, late: boolean): Promise<void> {
  const page = await findPage(work.db, pageId);
  if (!page) return;
  const index = (data as { index?: number } | undefined)?.index ?? -2;
  const { state, notify } = advancePage(page.policy, page.state, { kind: 'due', index, at: work.now });
  if (notify !== undefined) await notifyStep(core, work, page, notify, late);
  await savePage(work, page, state);
}

async function notifyStep(core: Core, work: Work, page: Page, index: number, late: boolean): Promise<void> {
  const step = page.policy.steps[index % page.policy.steps.length];
  if (!step || step.kind !== 'notify') return;
  const t = (await findTicket(work.db, page.ticket))!;
  const dir = core.directory;
  const tier = dir.tier(page.tier);
  const who = resolveTarget(step.target, await currentSchedules(core, work.db), work.now);
  const summary = `#${t.number} "${t.title}" (${t.priority}, ${tier?.name ?? page.tier}): ${REASON_TEXT[page.reason]}.`;
  const pageCard = card({
    title: `📟 Page: #${t.number} ${t.title}`,
    text: `${summary}${late ? ' [late]' : ''}`,
    fields: [
      { label: 'Priority', value: t.priority },
      { label: 'Requester', value: t.requester_name },
      { label: 'Step', value: `${index + 1} of ${page.policy.steps.length * (page.policy.repeat + 1)}` },
    ] as CardField[],
    buttons: [
      { action: 'ack', label: 'Acknowledge', value: String(t.number), style: 'primary' },
      { action: 'pass', label: 'Escalate', value: String(t.number) },
    ],
    tone: 'warning',
  });
  const tierPlace = (tierId: string) => {
    const x = dir.tier(tierId);
    return x ? dir.agentChannel(x, t.requester_platform as Person['platform'], t.requester_space) : undefined;
  };
  if (step.target.kind === 'channel') {
    const place = tierPlace(step.target.tier);
    if (place) await work.post({ kind: 'place', place }, pageCard, { ticket: t.number });
    await work.event(t.number, 'system', 'page_notified', { step: index, channel: step.target.tier, ...(late ? { late: true } : {}) });
    return;
  }
  if (who.length === 0) {
    await work.event(t.number, 'system', 'page_step_skipped', {
      step: index,
      schedule: step.target.kind === 'schedule' ? step.target.schedule : undefined,
    });
    const place = tierPlace(page.tier);
    if (place)
      await work.post(
        { kind: 'place', place },
        card({
          title: `📟 Nobody on call for #${t.number}`,
          text: `Step ${index + 1} of the page found nobody on call${step.target.kind === 'schedule' ? ` in ${step.target.schedule}` : ''}; the page goes on.`,
          tone: 'warning',
        }),
        { ticket: t.number },
      );
    return;
  }
  for (const person of who) {
    const target = reachable(core, person, t.requester_platform as Person['platform'], t.requester_space);
    if (target) await work.post({ kind: 'direct', person: target }, pageCard, { ticket: t.number });
  }
  await work.event(t.number, 'system', 'page_notified', { step: index, who, ...(late ? { late: true } : {}) });
}

/** A person on the platform they are known on: the ticket's platform first. */
function reachable(core: Core, personId: string, platform: Person['platform'], space: string): Person | undefined {
  const here = core.directory.personOn(personId, platform, space);
  if (here) return here;
  for (const p of ['slack', 'discord', 'console'] as const) {
    const there = core.directory.personOn(personId, p, p === platform ? space : p === 'console' ? 'local' : '');
    if (there) return there;
  }
  return undefined;
}

/** Acknowledge, release, pass on, or stop (on resolve) a ticket's page. Returns what happened, for the reply. */
export async function changePage(
  core: Core,
  work: Work,
  ticket: number,
  kind: 'ack' | 'release' | 'pass' | 'resolve',
  by?: Actor,
): Promise<Page | undefined> {
  const page = await findActivePage(work.db, ticket);
  if (!page) {
    if (kind === 'resolve') return undefined;
    throw new UserError('no_page', `#${ticket} is not paging.`);
  }
  let state: PageState;
  if (kind === 'pass') {
    if (page.state.status !== 'paging' || !page.state.next) throw new UserError('nothing_next', `#${ticket}'s page has no further step to pass to.`);
    state = { ...page.state, next: { index: page.state.next.index, dueAt: work.now } };
  } else {
    const event =
      kind === 'ack'
        ? { kind: 'ack' as const, by: by?.name ?? 'someone', at: work.now }
        : kind === 'release'
          ? { kind: 'release' as const, at: work.now }
          : { kind: 'resolve' as const, at: work.now };
    state = advancePage(page.policy, page.state, event).state;
    if (state === page.state || state.status === page.state.status) {
      if (kind === 'ack') throw new UserError('not_paging', `#${ticket}'s page is already acknowledged.`);
      if (kind === 'release') throw new UserError('not_acknowledged', `#${ticket}'s page is not acknowledged, so there is nothing to release.`);
    }
  }
  await work.event(
    ticket,
    by ?? 'system',
    `page_${kind === 'ack' ? 'acknowledged' : kind === 'pass' ? 'passed' : kind === 'release' ? 'released' : 'stopped'}`,
    {},
  );
  state = await ringIfDue(core, work, page, state);
  await savePage(work, page, state);
  return { ...page, state };
}

/** The page line of a ticket card. */
export async function pageField(db: Db, ticket: number): Promise<CardField[]> {
  const page = await findActivePage(db, ticket);
  if (!page) return [];
  const s = page.state;
  const value =
    s.status === 'acknowledged'
      ? `acknowledged by ${s.by} at ${formatInstant(s.at)}`
      : s.status === 'paging'
        ? `paging${s.fired >= 0 ? ` (step ${s.fired + 1} notified)` : ''}${s.next ? `, next step ${formatInstant(s.next.dueAt)}` : ', last step reached'}`
        : 'stopped';
  return [{ label: 'Page', value }];
}
