import type { Calendar } from '../domain/calendar.js';
import { parseEscalationPolicies, type EscalationPolicy } from '../domain/escalation-policy.js';
import { parseSchedules, type Schedule } from '../domain/oncall-schedule.js';
import { PRIORITIES, isPriority, type Priority } from '../domain/priority.js';
import type { TierConfig } from './config.js';
import { type Bad } from './fields.js';

/** When a tier's escalation policy is paged, by ticket priority. */
export interface PagingRules {
  openedOutsideHours: Priority[];
  slaWarning: Priority[];
  slaBreach: Priority[];
  escalatedInto: Priority[];
}

export interface OncallConfig {
  schedules: Map<string, Schedule>;
  policies: Map<string, EscalationPolicy>;
  paging: PagingRules;
  /** Also tell the tier channel who comes on call at each handoff (the person is always told). */
  handoffToChannel: boolean;
}

const RULES: Array<[keyof PagingRules, string]> = [
  ['openedOutsideHours', 'opened_outside_hours'],
  ['slaWarning', 'sla_warning'],
  ['slaBreach', 'sla_breach'],
  ['escalatedInto', 'escalated_into'],
];

/**
 * Read `schedules`, `escalation_policies` and `paging`, and check the tiers' references to them
 * (`escalation_policy`, `oncall_schedule`, `hours`). Every problem is reported with its key path.
 */
export function readOncall(
  root: Record<string, unknown>,
  known: { people: Set<string>; tiers: TierConfig[]; calendars: Map<string, Calendar> },
  bad: Bad,
): OncallConfig {
  const report = (problems: string[]) => {
    for (const p of problems) {
      const at = p.indexOf(': ');
      bad(at > 0 ? p.slice(0, at) : 'schedules', at > 0 ? p.slice(at + 2) : p);
    }
  };
  const s = parseSchedules(root.schedules, known.people);
  report(s.problems);
  // A schedule or policy that is defined but broken has its own problems; naming it is not one more.
  const scheduleNames = namesIn(root.schedules, s.schedules);
  const p = parseEscalationPolicies(root.escalation_policies, {
    schedules: scheduleNames,
    users: known.people,
    tiers: new Set(known.tiers.map((t) => t.id)),
  });
  report(p.problems);
  const paging: PagingRules = { openedOutsideHours: [], slaWarning: [], slaBreach: [], escalatedInto: [] };
  let handoffToChannel = false;
  const raw = root.paging;
  if (raw !== undefined && raw !== null) {
    if (typeof raw !== 'object' || Array.isArray(raw)) bad('paging', 'must be a mapping like { sla_breach: [P1, P2] }');
    else {
      const rules = raw as Record<string, unknown>;
      if (rules.handoff_to_channel !== undefined) {
        if (typeof rules.handoff_to_channel !== 'boolean') bad('paging.handoff_to_channel', 'must be true or false');
        else handoffToChannel = rules.handoff_to_channel;
      }
      for (const [field, key] of RULES) {
        const v = rules[key];
        if (v === undefined) continue;
        if (v === 'all') paging[field] = [...PRIORITIES];
        else if (!Array.isArray(v)) bad(`paging.${key}`, 'must be a list of priorities like [P1, P2], or all');
        else v.forEach((x, i) => (isPriority(x) ? paging[field].push(x) : bad(`paging.${key}[${i}]`, `must be one of ${PRIORITIES.join(', ')}`)));
      }
    }
  }
  known.tiers.forEach((t, i) => {
    if (t.escalationPolicy !== undefined && !namesIn(root.escalation_policies, p.policies).has(t.escalationPolicy))
      bad(`tiers[${i}].escalation_policy`, `"${t.escalationPolicy}" is not under escalation_policies`);
    if (t.oncallSchedule !== undefined && !scheduleNames.has(t.oncallSchedule))
      bad(`tiers[${i}].oncall_schedule`, `"${t.oncallSchedule}" is not under schedules`);
    if (t.hours !== undefined && !known.calendars.has(t.hours))
      bad(`tiers[${i}].hours`, `"${t.hours}" is not a calendar (known: ${[...known.calendars.keys()].join(', ')})`);
  });
  checkOncallHandles(known.tiers, bad);
  return { schedules: s.schedules, policies: p.policies, paging, handoffToChannel };
}

/** The names defined in a section, usable or not. */
function namesIn(raw: unknown, usable: Map<string, unknown>): Set<string> {
  const defined = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? Object.keys(raw) : [];
  return new Set([...usable.keys(), ...defined]);
}

/** A handle follows its tier's schedule, and one tier only: two tiers would keep rewriting its members. */
function checkOncallHandles(tiers: readonly TierConfig[], bad: Bad): void {
  const owner = new Map<string, string>();
  tiers.forEach((t, i) => {
    if (!t.oncallHandle) return;
    if (t.oncallSchedule === undefined) bad(`tiers[${i}].oncall_handle`, 'needs oncall_schedule: the handle follows who is on call on it');
    for (const [platform, group] of Object.entries(t.oncallHandle)) {
      const other = owner.get(`${platform}:${group}`);
      if (other !== undefined) bad(`tiers[${i}].oncall_handle.${platform}`, `${group} is already the on-call handle of tier ${other}`);
      else owner.set(`${platform}:${group}`, t.id);
    }
  });
}
