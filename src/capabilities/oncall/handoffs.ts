import { nextChange, whoIsOnCall } from '../../domain/oncall-schedule.js';
import { card, formatInstant } from '../../core/render.js';
import { syncHandles } from './handles.js';
import { currentSchedules } from './schedules.js';
import { isTimerArmed } from '../../store/timers.js';
import { inTransaction, type Core, type Work } from '../../core/work.js';

/** The durable timer of a schedule's next handoff; subject = schedule name. */
export const HANDOFF_TIMER = 'handoff';

/** Schedules tiers use (for `/oncall` or in their escalation policy), with the tiers using them. */
function schedulesInUse(core: Core): Map<string, string[]> {
  const used = new Map<string, string[]>();
  for (const tier of core.directory.tiers) {
    const names = new Set<string>();
    if (tier.oncallSchedule) names.add(tier.oncallSchedule);
    const policy = tier.escalationPolicy ? core.config.oncall.policies.get(tier.escalationPolicy) : undefined;
    for (const step of policy?.steps ?? []) if (step.kind === 'notify' && step.target.kind === 'schedule') names.add(step.target.schedule);
    for (const n of names) used.set(n, [...(used.get(n) ?? []), tier.id]);
  }
  return used;
}

/**
 * Arm each used schedule's next handoff: at start only where none is armed (one that came due while
 * tierdesk was down still fires, late), and after an override (`only`), which may move it.
 */
export async function armHandoffs(core: Core, work?: Work, only?: string): Promise<void> {
  const run = async (w: Work) => {
    const schedules = await currentSchedules(core, w.db);
    for (const name of schedulesInUse(core).keys()) {
      if (only !== undefined && name !== only) continue;
      if (only === undefined && (await isTimerArmed(w.db, HANDOFF_TIMER, name))) continue;
      const schedule = schedules.get(name);
      const next = schedule ? nextChange(schedule, w.now) : undefined;
      if (next !== undefined) await w.setTimer(HANDOFF_TIMER, name, next);
      else await w.cancelTimer(HANDOFF_TIMER, name);
    }
  };
  if (work) await run(work);
  else await inTransaction(core, run);
}

/**
 * A turn started: move the tiers' on-call handles, tell the incoming people by DM ("you are on call
 * for L2 until ..."), and the tier channel when `paging.handoff_to_channel` says so; then arm the
 * next handoff.
 */
export async function handoffFired(core: Core, work: Work, name: string): Promise<void> {
  const schedule = (await currentSchedules(core, work.db)).get(name);
  const tiers = schedulesInUse(core).get(name) ?? [];
  if (!schedule || tiers.length === 0) return;
  const who = whoIsOnCall(schedule, work.now);
  await syncHandles(core, work, name);
  const until = nextChange(schedule, work.now);
  const tierNames = tiers.map((id) => core.directory.tier(id)?.name ?? id).join(' and ');
  const untilText = until !== undefined ? ` until ${formatInstant(until)}` : '';
  for (const id of who) {
    for (const platform of ['slack', 'discord', 'console'] as const) {
      const person = core.directory.personOn(id, platform, platform === 'console' ? 'local' : '');
      if (!person) continue;
      await work.post(
        { kind: 'direct', person },
        card({
          title: `📟 You are on call for ${tierNames}${untilText}`,
          text: `Schedule ${name}. Pages for these tiers will reach you; /oncall shows who is next.`,
          tone: 'info',
        }),
      );
      break;
    }
  }
  if (core.config.oncall.handoffToChannel) {
    for (const tierId of tiers) {
      const tier = core.directory.tier(tierId);
      if (!tier) continue;
      const names = who.length > 0 ? who.map((id) => core.directory.nameOf(id)).join(' + ') : 'nobody';
      // No ticket says which platform: the tier's first configured channel (agentChannel's own fallback).
      await work.post(
        { kind: 'place', place: core.directory.agentChannel(tier, 'slack', '') },
        card({ title: `📟 On call for ${tier.name}: ${names}${untilText}`, tone: 'info' }),
      );
    }
  }
  if (until !== undefined) await work.setTimer(HANDOFF_TIMER, name, until);
}
