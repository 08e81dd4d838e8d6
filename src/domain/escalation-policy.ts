/**
 * Escalation policies: who a page notifies, in which order, with which waits, how many times over.
 * Read from the `escalation_policies` config section:
 *
 *   escalation_policies:
 *     l2-default:
 *       steps:
 *         - notify: { schedule: l2-primary }   # or { user: ID } or { channel: TIER }
 *         - wait: 5m
 *         - notify: { user: lead1 }
 *         - wait: 15m
 *       repeat: 2                              # run the steps again up to 2 more times
 *
 * A policy is plain, frozen, JSON-serialisable data, so a page can snapshot it when it starts and keep
 * paging by the snapshot after config changes. The timeline and page state live in escalation-page.ts.
 */
import { parseDuration } from './duration.js';

// The page arithmetic lives next door (file size); importing it from here keeps one entry point.
export {
  advancePage,
  nextStep,
  planPage,
  resolveTarget,
  startPage,
  stepCount,
  type DueStep,
  type PageEvent,
  type PageState,
  type PlannedNotification,
} from './escalation-page.js';

/** Whom a notify step reaches: the people on call in a schedule (when the step fires), a person, or a tier's channel. */
export type NotifyTarget =
  | { readonly kind: 'schedule'; readonly schedule: string }
  | { readonly kind: 'user'; readonly user: string }
  | { readonly kind: 'channel'; readonly tier: string };

/** One step of a policy: notify a target, or wait before the next step. */
export type EscalationStep = { readonly kind: 'notify'; readonly target: NotifyTarget } | { readonly kind: 'wait'; readonly ms: number };

/** A validated policy. The steps run once, then `repeat` more times, each run after the previous one's waits. */
export interface EscalationPolicy {
  readonly name: string;
  readonly steps: readonly EscalationStep[];
  /** Extra runs after the first (0 = run once). */
  readonly repeat: number;
}

/** The names a policy may refer to: schedules, people ids, tier ids. */
export interface EscalationNames {
  readonly schedules: ReadonlySet<string>;
  readonly users: ReadonlySet<string>;
  readonly tiers: ReadonlySet<string>;
}

/** More runs than this would page for hours after everyone stopped listening; it reads as a typo. */
export const MAX_REPEAT = 20;
const POLICY_KEYS = ['steps', 'repeat'];
const TARGETS = [
  ['schedule', 'schedules', 'a schedule under schedules'],
  ['user', 'users', 'a person under people'],
  ['channel', 'tiers', 'a tier id under tiers'],
] as const;

const shown = (raw: unknown): string => JSON.stringify(raw) ?? String(raw);
const isTable = (raw: unknown): raw is Record<string, unknown> => typeof raw === 'object' && raw !== null && !Array.isArray(raw);

function readTarget(raw: unknown, names: EscalationNames, keyPath: string, problems: string[]): NotifyTarget | undefined {
  const usage = 'must be one of { schedule: NAME }, { user: ID } or { channel: TIER }';
  const keys = isTable(raw) ? Object.keys(raw) : [];
  const spec = TARGETS.find(([key]) => key === keys[0]);
  if (!isTable(raw) || keys.length !== 1 || !spec) return (problems.push(`${keyPath}: ${shown(raw)} ${usage}`), undefined);
  const [key, set, what] = spec;
  const value = raw[key];
  const id = typeof value === 'string' ? value.trim() : typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : '';
  if (id === '' || !names[set].has(id)) return (problems.push(`${keyPath}.${key}: ${shown(value)} is not ${what}`), undefined);
  if (key === 'schedule') return { kind: 'schedule', schedule: id };
  return key === 'user' ? { kind: 'user', user: id } : { kind: 'channel', tier: id };
}

function readWait(raw: unknown, keyPath: string, problems: string[]): number | undefined {
  const ms = parseDuration(raw);
  if (ms !== undefined && ms % 1_000 === 0) return ms;
  const zeroOrLess = typeof raw === 'number' ? raw <= 0 : /^\s*(-|0+(\.0+)?\s*[a-z])/i.test(String(raw));
  const why = zeroOrLess ? 'must be longer than zero' : ms !== undefined ? 'must be a whole number of seconds' : 'is not a duration';
  problems.push(`${keyPath}: ${shown(raw)} ${why}; give minutes or hours such as 5m, "15 minutes" or 1h`);
  return undefined;
}

function readStep(raw: unknown, names: EscalationNames, keyPath: string, problems: string[]): EscalationStep | undefined {
  const keys = isTable(raw) ? Object.keys(raw) : [];
  if (!isTable(raw) || keys.length !== 1 || (keys[0] !== 'notify' && keys[0] !== 'wait')) {
    problems.push(`${keyPath}: a step is either { notify: { schedule | user | channel: ... } } or { wait: DURATION }, not ${shown(raw)}`);
    return undefined;
  }
  if (keys[0] === 'wait') {
    const ms = readWait(raw.wait, `${keyPath}.wait`, problems);
    return ms === undefined ? undefined : { kind: 'wait', ms };
  }
  const target = readTarget(raw.notify, names, `${keyPath}.notify`, problems);
  return target && { kind: 'notify', target: Object.freeze(target) };
}

function readRepeat(raw: unknown, keyPath: string, problems: string[]): number | undefined {
  if (raw === undefined || raw === null) return 0;
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 && raw <= MAX_REPEAT) return raw;
  problems.push(`${keyPath}: ${shown(raw)} is not a number of extra runs from 0 to ${MAX_REPEAT}`);
  return undefined;
}

/**
 * Validates one policy from its parsed-YAML value; `keyPath` prefixes every problem. The policy is only
 * returned when there are none.
 */
export function parseEscalationPolicy(
  name: string,
  raw: unknown,
  names: EscalationNames,
  keyPath = `escalation_policies.${name}`,
): { policy?: EscalationPolicy; problems: string[] } {
  if (!isTable(raw)) return { problems: [`${keyPath}: must be a table with steps and optional repeat`] };
  const problems: string[] = [];
  for (const key of Object.keys(raw)) {
    if (!POLICY_KEYS.includes(key)) problems.push(`${keyPath}.${key}: unknown key (expected ${POLICY_KEYS.join(', ')})`);
  }
  const steps: EscalationStep[] = [];
  if (!Array.isArray(raw.steps) || raw.steps.length === 0) {
    problems.push(`${keyPath}.steps: must list steps such as [{ notify: { schedule: l2-primary } }, { wait: 5m }]`);
  } else {
    raw.steps.forEach((entry: unknown, i) => {
      const step = readStep(entry, names, `${keyPath}.steps[${i}]`, problems);
      if (step) steps.push(Object.freeze(step));
    });
    const stepsRead = steps.length === raw.steps.length;
    if (stepsRead && !steps.some((s) => s.kind === 'notify')) problems.push(`${keyPath}.steps: has no notify step; a policy must notify someone`);
  }
  const repeat = readRepeat(raw.repeat, `${keyPath}.repeat`, problems);
  if (repeat !== undefined && repeat > 0 && steps.length > 0 && !steps.some((s) => s.kind === 'wait')) {
    problems.push(`${keyPath}.repeat: the steps have no wait, so every repeat would fire at the same instant; add a wait step`);
  }
  if (problems.length > 0 || repeat === undefined) return { problems };
  return { policy: Object.freeze({ name, steps: Object.freeze(steps), repeat }), problems };
}

/**
 * Validates the `escalation_policies` table of config: every usable policy by name, and every problem
 * with its key path (e.g. `escalation_policies.l2-default.steps[1].wait: ...`).
 */
export function parseEscalationPolicies(
  raw: unknown,
  names: EscalationNames,
  keyPath = 'escalation_policies',
): { policies: Map<string, EscalationPolicy>; problems: string[] } {
  const policies = new Map<string, EscalationPolicy>();
  if (raw === undefined || raw === null) return { policies, problems: [] };
  if (!isTable(raw)) return { policies, problems: [`${keyPath}: must be a table of policy names to { steps, repeat }`] };
  const problems: string[] = [];
  for (const [name, value] of Object.entries(raw)) {
    const parsed = parseEscalationPolicy(name, value, names, `${keyPath}.${name}`);
    problems.push(...parsed.problems);
    if (parsed.policy) policies.set(name, parsed.policy);
  }
  return { policies, problems };
}
