import type { Calendar } from '../domain/calendar.js';
import { longestBudgetMinutes } from '../domain/business-time.js';
import { parseDuration } from '../domain/duration.js';
import { PRIORITIES, isPriority, type Priority } from '../domain/priority.js';
import { isRecord, type Bad } from './fields.js';

/** A customer group: requesters matched by people id, platform id, Slack user group or Discord role. */
export interface CustomerGroup {
  id: string;
  /** People ids from `people`. */
  people: string[];
  /** `platform:id` entries, e.g. `slack:U0123`, `discord:1000…`, `console:bob`. */
  ids: string[];
  slackUsergroups: string[];
  discordRoles: string[];
}

/** Targets for one priority (and optionally one customer group). */
export interface SlaPolicy {
  /** A name for reports: `P1`, or `P1/vip`. */
  name: string;
  priorities: Priority[];
  group?: string;
  firstResponseMinutes: number;
  resolutionMinutes: number;
  calendar: Calendar;
  /** Fractions of the target at which to warn, ascending, e.g. [0.75, 0.9]. */
  warnings: number[];
}

export interface SlaConfig {
  groups: CustomerGroup[];
  policies: SlaPolicy[];
}

function stringList(v: unknown, path: string, bad: Bad): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return (bad(path, 'must be a list'), []);
  return v.flatMap((x, i) => {
    if ((typeof x === 'string' && x.trim() !== '') || (typeof x === 'number' && Number.isSafeInteger(x))) return [String(x).trim()];
    bad(`${path}[${i}]`, 'must be a non-empty string (quote long numeric ids)');
    return [];
  });
}

function readWarnings(v: unknown, path: string, bad: Bad): number[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) return (bad(path, 'must be a list of percentages like [75%, 90%]'), undefined);
  const out: number[] = [];
  v.forEach((w, i) => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(String(w));
    const pct = m ? Number(m[1]) : NaN;
    if (!(pct > 0 && pct < 100)) bad(`${path}[${i}]`, `${JSON.stringify(w)} is not a percentage between 0% and 100% (e.g. 75%)`);
    else out.push(pct / 100);
  });
  const sorted = [...new Set(out)].sort((a, b) => a - b);
  if (sorted.length !== out.length || sorted.some((x, i) => x !== out[i])) bad(path, 'list each percentage once, in ascending order');
  return sorted;
}

function minutes(v: unknown, path: string, bad: Bad): number | undefined {
  if (v === undefined) return (bad(path, 'is required (a business-time duration such as "30 minutes" or "8 hours")'), undefined);
  const ms = parseDuration(v);
  if (ms === undefined) return (bad(path, `must be a positive duration such as "30 minutes" or "8 hours", not ${JSON.stringify(v)}`), undefined);
  if (ms % 1000 !== 0) return (bad(path, 'must be a whole number of seconds'), undefined);
  return ms / 60_000;
}

/**
 * Read the `sla` section: customer groups and policies per priority (optionally per group), each
 * naming a calendar. Every problem is reported with its key path; nothing is clamped.
 */
export function readSla(raw: unknown, calendars: Map<string, Calendar>, personIds: Set<string>, bad: Bad): SlaConfig | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) return (bad('sla', 'must be a mapping with policies (and optional groups, warnings)'), undefined);
  const defaultWarnings = readWarnings(raw.warnings, 'sla.warnings', bad) ?? [0.75, 0.9];
  const groups = readGroups(raw.groups, personIds, bad);
  const policies: SlaPolicy[] = [];
  if (!Array.isArray(raw.policies) || raw.policies.length === 0) {
    bad('sla.policies', 'must list at least one policy, e.g. - { priority: P1, first_response: 30 minutes, resolution: 4 hours, calendar: 24x7 }');
    return { groups, policies };
  }
  const seen = new Set<string>();
  raw.policies.forEach((p: unknown, i: number) => {
    const policy = readPolicy(p, `sla.policies[${i}]`, { calendars, groups, defaultWarnings, seen }, bad);
    if (policy) policies.push(policy);
  });
  return { groups, policies };
}

/** `sla.groups`: group name → the people, platform ids, Slack user groups and Discord roles in it. */
function readGroups(raw: unknown, personIds: Set<string>, bad: Bad): CustomerGroup[] {
  const groups: CustomerGroup[] = [];
  if (raw !== undefined && !isRecord(raw)) bad('sla.groups', 'must map a group name to { people, ids, slack_usergroups, discord_roles }');
  for (const [id, g] of Object.entries(isRecord(raw) ? raw : {})) {
    const path = `sla.groups.${id}`;
    if (!isRecord(g)) {
      bad(path, 'must be a mapping { people, ids, slack_usergroups, discord_roles }');
      continue;
    }
    const people = stringList(g.people, `${path}.people`, bad);
    people.forEach((p, i) => personIds.has(p) || bad(`${path}.people[${i}]`, `"${p}" is not a person under people`));
    const ids = stringList(g.ids, `${path}.ids`, bad);
    ids.forEach((x, i) => /^(slack|discord|console):\S+$/.test(x) || bad(`${path}.ids[${i}]`, `"${x}" must be platform:id, e.g. slack:U0123`));
    groups.push({
      id,
      people,
      ids,
      slackUsergroups: stringList(g.slack_usergroups, `${path}.slack_usergroups`, bad),
      discordRoles: stringList(g.discord_roles, `${path}.discord_roles`, bad),
    });
  }
  return groups;
}

interface PolicyContext {
  calendars: Map<string, Calendar>;
  groups: readonly CustomerGroup[];
  defaultWarnings: number[];
  /** `priority/group` pairs listed so far: each may have one policy. */
  seen: Set<string>;
}

/** One entry of `sla.policies`, or undefined when it cannot be used (each problem reported). */
function readPolicy(p: unknown, path: string, ctx: PolicyContext, bad: Bad): SlaPolicy | undefined {
  if (!isRecord(p)) return (bad(path, 'must be a mapping'), undefined);
  const priorities = readPriorities(p, path, bad);
  const group = p.group === undefined ? undefined : String(p.group);
  if (group !== undefined && !ctx.groups.some((g) => g.id === group)) bad(`${path}.group`, `"${group}" is not a group under sla.groups`);
  const firstResponseMinutes = minutes(p.first_response, `${path}.first_response`, bad);
  const resolutionMinutes = minutes(p.resolution, `${path}.resolution`, bad);
  const calendarName = p.calendar === undefined ? undefined : String(p.calendar);
  const calendar = calendarName === undefined ? undefined : ctx.calendars.get(calendarName);
  if (calendarName === undefined) bad(`${path}.calendar`, 'is required: a name under calendars, or 24x7 / 12x5');
  else if (!calendar) bad(`${path}.calendar`, `"${calendarName}" is not a calendar (known: ${[...ctx.calendars.keys()].join(', ')})`);
  const warnings = readWarnings(p.warnings, `${path}.warnings`, bad) ?? ctx.defaultWarnings;
  for (const prio of priorities) {
    const key = `${prio}/${group ?? ''}`;
    if (ctx.seen.has(key)) bad(path, `a policy for ${prio}${group ? ` and group ${group}` : ''} is already listed`);
    ctx.seen.add(key);
  }
  for (const [key, target] of [
    ['first_response', firstResponseMinutes],
    ['resolution', resolutionMinutes],
  ] as const) {
    if (calendar && target !== undefined && target > longestBudgetMinutes(calendar))
      bad(
        `${path}.${key}`,
        `is more open time than calendar ${calendar.name} has in a century (it is open ${calendar.weeklyOpenMinutes / 60} hours a week): ` +
          'shorten the target, or use a calendar with more open hours',
      );
  }
  if (!calendar || firstResponseMinutes === undefined || resolutionMinutes === undefined || priorities.length === 0) return undefined;
  return {
    name: `${priorities.join('+')}${group ? `/${group}` : ''}`,
    priorities,
    ...(group ? { group } : {}),
    firstResponseMinutes,
    resolutionMinutes,
    calendar,
    warnings,
  };
}

/** A policy's `priority: P1` or `priorities: [P1, P2]`. */
function readPriorities(p: Record<string, unknown>, path: string, bad: Bad): Priority[] {
  const rawPriorities = p.priorities ?? (p.priority === undefined ? undefined : [p.priority]);
  const priorities: Priority[] = [];
  if (!Array.isArray(rawPriorities) || rawPriorities.length === 0) bad(`${path}.priority`, 'is required: P1..P5 (or priorities: [P1, P2])');
  else
    rawPriorities.forEach((x, j) =>
      isPriority(x)
        ? priorities.push(x)
        : bad(`${path}.priorit${p.priorities ? `ies[${j}]` : 'y'}`, `must be one of ${PRIORITIES.join(', ')}, not ${JSON.stringify(x)}`),
    );
  return priorities;
}

/** The policy for a ticket: one for its priority and one of the requester's groups first, else the general one. */
export function pickPolicy(sla: SlaConfig | undefined, priority: Priority, groups: readonly string[]): SlaPolicy | undefined {
  if (!sla) return undefined;
  return (
    sla.policies.find((p) => p.group !== undefined && groups.includes(p.group) && p.priorities.includes(priority)) ??
    sla.policies.find((p) => p.group === undefined && p.priorities.includes(priority))
  );
}
