/**
 * A page climbing an escalation policy, as pure arithmetic the app layer drives with durable timers.
 *
 * Step numbering: the policy's steps are unrolled over its runs, so step index `i` is step
 * `i % steps.length` of run `floor(i / steps.length)`; -1 is "the page has just started". Only notify
 * steps are ever due; waits are the time between them.
 *
 * Waits count from when a step actually fired, not from when it was due: a step that fires late (the
 * desk was down) still gives its people the full wait to acknowledge before the next step.
 *
 * The page state machine (advancePage):
 *   paging ──due(i)──▶ paging (step i notified; next step armed, or none left: still paging, still ackable)
 *   paging ──ack──▶ acknowledged             acknowledged ──release──▶ paging, back at the same step
 *   paging | acknowledged ──resolve──▶ resolved (final)
 * Anything else leaves the state as it is, so replayed or stale events (a second ack, a timer that
 * fires after an ack or for a step no longer armed, an event after resolve) are harmless.
 * Release returns to the step whose notification was acknowledged and fires it again at once: its
 * people as of now (for a schedule, whoever is on call now) learn the page is back, and the climb goes
 * on from there with full waits. Returning rather than moving on means acknowledging and releasing
 * never skips a level; acknowledged before any step fired, the page starts over.
 */
import type { EscalationPolicy, NotifyTarget } from './escalation-policy.js';
import { whoIsOnCall, type Schedule } from './oncall-schedule.js';

/** A step that will fire: its unrolled index and the instant it is due. */
export interface DueStep {
  readonly index: number;
  readonly dueAt: number;
}

/** One notification of a page's timeline, as planned if nobody acknowledges. */
export interface PlannedNotification {
  /** Unrolled step index (see the module comment), for timers and events. */
  readonly index: number;
  /** Which run (0 = the first) and which entry of `policy.steps` this is. */
  readonly run: number;
  readonly step: number;
  /** Since the page started, and as an instant. */
  readonly offsetMs: number;
  readonly atMs: number;
  readonly target: NotifyTarget;
  /**
   * The people told: for a schedule, whoever is on call when the step fires; for a user, that user; for a
   * channel, nobody in person ([]: the tier channel is the recipient).
   */
  readonly who: readonly string[];
  /** A schedule step that found nobody on call (or a schedule no longer known): record it as skipped, tell the tier channel, go on. */
  readonly skipped: boolean;
}

/** Where a page stands; plain data, to be stored with the page. */
export type PageState =
  /** Notifying: `fired` is the last step notified (-1: none yet), `next` the armed step (absent: all fired). */
  | { readonly status: 'paging'; readonly fired: number; readonly next?: DueStep }
  /** Someone took it; `fired` is the step they answered (-1: none had fired). */
  | { readonly status: 'acknowledged'; readonly fired: number; readonly by: string; readonly at: number }
  /** The ticket was resolved: the page is over. */
  | { readonly status: 'resolved'; readonly at: number };

/** What can happen to a page. `due` is the durable timer of step `index` firing. */
export type PageEvent =
  | { readonly kind: 'due'; readonly index: number; readonly at: number }
  | { readonly kind: 'ack'; readonly by: string; readonly at: number }
  | { readonly kind: 'release'; readonly at: number }
  | { readonly kind: 'resolve'; readonly at: number };

/** Unrolled steps in a policy: its steps times its runs. */
export function stepCount(policy: EscalationPolicy): number {
  return policy.steps.length * (policy.repeat + 1);
}

/**
 * The next notify step after unrolled step `stepIndex` (-1: the page start) when that one fired at
 * `firedAt`: its index and due instant (firedAt plus the waits in between; several notify steps with no
 * wait between them are due at the same instant). undefined when no notify step is left in any run.
 */
export function nextStep(policy: EscalationPolicy, stepIndex: number, firedAt: number): DueStep | undefined {
  if (!Number.isInteger(stepIndex) || stepIndex < -1) throw new RangeError(`a step index is an integer ≥ -1, got ${stepIndex}`);
  if (!Number.isFinite(firedAt)) throw new RangeError(`firedAt must be an epoch-milliseconds instant, got ${firedAt}`);
  const { steps } = policy;
  let dueAt = firedAt;
  for (let index = stepIndex + 1; index < stepCount(policy); index++) {
    const step = steps[index % steps.length]!;
    if (step.kind === 'notify') return { index, dueAt };
    dueAt += step.ms;
  }
  return undefined;
}

/** The target of unrolled step `index` (which must be a notify step). */
function targetOf(policy: EscalationPolicy, index: number): NotifyTarget {
  const step = policy.steps[index % policy.steps.length];
  if (step?.kind !== 'notify') throw new RangeError(`step ${index} of policy ${policy.name} is not a notify step`);
  return step.target;
}

/**
 * The people a notify target reaches at `atMs`: a schedule resolves who is on call then. `schedules`
 * maps names to prepared schedules; a name missing from it (config changed under a running page) reaches nobody.
 */
export function resolveTarget(target: NotifyTarget, schedules: ReadonlyMap<string, Schedule>, atMs: number): readonly string[] {
  if (target.kind === 'user') return [target.user];
  if (target.kind === 'channel') return [];
  const schedule = schedules.get(target.schedule);
  return schedule ? whoIsOnCall(schedule, atMs) : [];
}

/**
 * The notifications a page started at `startMs` under `policy` goes through if nobody acknowledges, in
 * order: `tierdesk oncall plan`. Built on nextStep, so it is the very timeline the timers follow when
 * every step fires on time. Example: schedule, 5m, user lead1, 15m, repeat 2 → lead1 at +5m, +25m, +45m.
 */
export function planPage(policy: EscalationPolicy, schedules: ReadonlyMap<string, Schedule>, startMs: number): PlannedNotification[] {
  const plan: PlannedNotification[] = [];
  for (let due = nextStep(policy, -1, startMs); due; due = nextStep(policy, due.index, due.dueAt)) {
    const target = targetOf(policy, due.index);
    const who = resolveTarget(target, schedules, due.dueAt);
    plan.push({
      index: due.index,
      run: Math.floor(due.index / policy.steps.length),
      step: due.index % policy.steps.length,
      offsetMs: due.dueAt - startMs,
      atMs: due.dueAt,
      target,
      who,
      skipped: target.kind === 'schedule' && who.length === 0,
    });
  }
  return plan;
}

/** The state of a page started at `startMs`: paging, with its first notify step armed. */
export function startPage(policy: EscalationPolicy, startMs: number): PageState {
  const next = nextStep(policy, -1, startMs);
  return next ? { status: 'paging', fired: -1, next } : { status: 'paging', fired: -1 };
}

/**
 * Applies one event to a page (see the state machine in the module comment). `notify` is the unrolled
 * step index whose targets must be notified now (resolve them with resolveTarget at `event.at`), when
 * the event fired one. A `due` event counts only for the armed step and not before its due time.
 */
export function advancePage(policy: EscalationPolicy, state: PageState, event: PageEvent): { state: PageState; notify?: number } {
  switch (event.kind) {
    case 'due': {
      if (state.status !== 'paging' || state.next?.index !== event.index || event.at < state.next.dueAt) return { state };
      const next = nextStep(policy, event.index, event.at);
      return { state: next ? { status: 'paging', fired: event.index, next } : { status: 'paging', fired: event.index }, notify: event.index };
    }
    case 'ack':
      return state.status === 'paging' ? { state: { status: 'acknowledged', fired: state.fired, by: event.by, at: event.at } } : { state };
    case 'release': {
      if (state.status !== 'acknowledged') return { state };
      if (state.fired < 0) return { state: startPage(policy, event.at) };
      return { state: { status: 'paging', fired: state.fired, next: { index: state.fired, dueAt: event.at } } };
    }
    case 'resolve':
      return state.status === 'resolved' ? { state } : { state: { status: 'resolved', at: event.at } };
  }
}
