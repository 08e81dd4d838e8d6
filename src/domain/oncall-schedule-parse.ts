/**
 * Validates and prepares the `schedules` config section (shape: issue 6 and README):
 *
 *   schedules:
 *     l2-primary:
 *       zone: America/Chicago
 *       layers:
 *         - { name: weekly, users: [agent1, [agent2, agent3]], start: "2024-10-29T00:00", turn: 1 week,
 *             restrict: [{ days: [mon, fri], from: "09:00", to: "17:00" }], turns: elapsed, zone: Europe/London }
 *       overrides:
 *         - { user: agent3, from: "2024-11-05T06:00:00Z", to: "2024-11-05T18:00:00Z" }
 *
 * Every problem is reported with its key path, all at once; a schedule is only returned when it has none.
 */
import type { LayerSpec, TurnCounting } from './oncall-layer.js';
import { checkKeys, isTable, readInstant, readStart, readTurn, readWindows, readZone } from './oncall-fields.js';
import { prepareSchedule, type Override, type Schedule } from './oncall-prepare.js';

/** What parsing one schedule gives: the schedule when it is usable, and every problem found. */
export interface ScheduleParse {
  schedule?: Schedule;
  problems: string[];
}

const SCHEDULE_KEYS = ['zone', 'layers', 'overrides'];
const LAYER_KEYS = ['name', 'users', 'start', 'turn', 'restrict', 'turns', 'zone'];
const OVERRIDE_KEYS = ['user', 'from', 'to'];

const shown = (raw: unknown): string => JSON.stringify(raw) ?? String(raw);

/** A user id as config may write it; YAML reads an unquoted 1234 as a number, which is still an id. */
function readUser(raw: unknown, knownUsers: ReadonlySet<string> | undefined, keyPath: string, problems: string[]): string | undefined {
  const id = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw) : '';
  if (id === '') return (problems.push(`${keyPath}: ${shown(raw)} is not a user id (a person id under people)`), undefined);
  if (knownUsers && !knownUsers.has(id)) return (problems.push(`${keyPath}: "${id}" is not a person under people`), undefined);
  return id;
}

/** `users`: the rotation; an entry is one user, or a list of users on call together. */
function readEntries(raw: unknown, knownUsers: ReadonlySet<string> | undefined, keyPath: string, problems: string[]): string[][] | undefined {
  if (raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0)) {
    problems.push(`${keyPath}: a layer needs at least one user; give a rotation such as [agent1, agent2]`);
    return undefined;
  }
  if (!Array.isArray(raw)) {
    problems.push(`${keyPath}: must be a list of user ids (an entry may be a list of users on call together), such as [agent1, [agent2, agent3]]`);
    return undefined;
  }
  const before = problems.length;
  const entries = raw.map((entry: unknown, i) => {
    if (!Array.isArray(entry)) return [readUser(entry, knownUsers, `${keyPath}[${i}]`, problems)];
    if (entry.length === 0) problems.push(`${keyPath}[${i}]: an empty group; list the users on call together, such as [agent2, agent3]`);
    return entry.map((user: unknown, j) => readUser(user, knownUsers, `${keyPath}[${i}][${j}]`, problems));
  });
  if (problems.length > before) return undefined;
  return entries.map((entry) => [...new Set(entry as string[])]);
}

function readTurns(raw: unknown, keyPath: string, problems: string[]): TurnCounting | undefined {
  if (raw === undefined || raw === null) return 'elapsed';
  if (raw === 'elapsed' || raw === 'restricted') return raw;
  problems.push(`${keyPath}: ${shown(raw)} is not elapsed (turns advance with the calendar) or restricted (only restricted time counts)`);
  return undefined;
}

function readLayer(
  raw: unknown,
  index: number,
  scheduleZone: string | undefined,
  knownUsers: ReadonlySet<string> | undefined,
  keyPath: string,
  problems: string[],
): LayerSpec | undefined {
  if (!isTable(raw)) {
    problems.push(`${keyPath}: must be a layer table with users, start and turn (and optional name, restrict, turns, zone)`);
    return undefined;
  }
  const before = problems.length;
  checkKeys(raw, LAYER_KEYS, keyPath, problems);
  let name = `layer ${index + 1}`;
  if (raw.name !== undefined && raw.name !== null) {
    if (typeof raw.name === 'string' && raw.name.trim() !== '') name = raw.name.trim();
    else problems.push(`${keyPath}.name: must be a non-empty text`);
  }
  const ownZone = readZone(raw.zone, `${keyPath}.zone`, problems, false);
  const zone = ownZone ?? (raw.zone === undefined || raw.zone === null ? scheduleZone : undefined);
  const entries = readEntries(raw.users, knownUsers, `${keyPath}.users`, problems);
  const start = readStart(raw.start, zone, `${keyPath}.start`, problems);
  const turn = readTurn(raw.turn, `${keyPath}.turn`, problems);
  const restrict = readWindows(raw.restrict, `${keyPath}.restrict`, problems);
  const turns = readTurns(raw.turns, `${keyPath}.turns`, problems);
  if (turns === 'restricted' && restrict?.length === 0) {
    problems.push(`${keyPath}.turns: restricted counts only time inside restrict windows, but the layer has none; add restrict or use elapsed`);
  }
  if (problems.length > before || !zone || !entries || !start || !turn || !restrict || !turns) return undefined;
  return { name, zone, entries, startDay: start.day, startMinute: start.minute, turn, restrict, turns };
}

function readOverrides(raw: unknown, knownUsers: ReadonlySet<string> | undefined, keyPath: string, problems: string[]): Override[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.push(`${keyPath}: must be a list such as [{ user: agent3, from: "2024-11-05T06:00:00Z", to: "2024-11-05T18:00:00Z" }]`);
    return [];
  }
  const overrides: Override[] = [];
  raw.forEach((entry: unknown, i) => {
    const path = `${keyPath}[${i}]`;
    if (!isTable(entry)) return problems.push(`${path}: must be { user, from, to } with from and to as instants such as "2024-11-05T06:00:00Z"`);
    checkKeys(entry, OVERRIDE_KEYS, path, problems);
    const user = readUser(entry.user, knownUsers, `${path}.user`, problems);
    const from = readInstant(entry.from, `${path}.from`, problems);
    const to = readInstant(entry.to, `${path}.to`, problems);
    if (from !== undefined && to !== undefined && to <= from) {
      problems.push(
        `${path}.to: ${new Date(to).toISOString()} is not after from (${new Date(from).toISOString()}); an override must end after it starts`,
      );
    } else if (user !== undefined && from !== undefined && to !== undefined) overrides.push({ user, from, to });
  });
  return overrides;
}

/**
 * Validates and prepares one schedule from its parsed-YAML value. `knownUsers` holds the people ids every
 * user must be one of (leave it out to accept any id, e.g. in tests). `keyPath` prefixes every problem.
 */
export function parseSchedule(name: string, raw: unknown, knownUsers?: ReadonlySet<string>, keyPath = `schedules.${name}`): ScheduleParse {
  if (!isTable(raw)) return { problems: [`${keyPath}: must be a table with zone, layers and optional overrides`] };
  const problems: string[] = [];
  checkKeys(raw, SCHEDULE_KEYS, keyPath, problems);
  const zone = readZone(raw.zone, `${keyPath}.zone`, problems, true);
  const layers: LayerSpec[] = [];
  if (!Array.isArray(raw.layers) || raw.layers.length === 0) {
    problems.push(`${keyPath}.layers: must list at least one layer, such as [{ users: [agent1, agent2], start: "2024-10-29T09:00", turn: 1 week }]`);
  } else {
    raw.layers.forEach((entry: unknown, i) => {
      const layer = readLayer(entry, i, zone, knownUsers, `${keyPath}.layers[${i}]`, problems);
      if (layer) layers.push(layer);
    });
  }
  const overrides = readOverrides(raw.overrides, knownUsers, `${keyPath}.overrides`, problems);
  if (problems.length > 0 || zone === undefined) return { problems };
  return { schedule: prepareSchedule({ name, zone, layers, overrides }), problems };
}

/**
 * Validates and prepares the `schedules` table of config: every usable schedule by name, and every
 * problem with its key path (e.g. `schedules.l2-primary.layers[0].turn: ...`).
 */
export function parseSchedules(
  raw: unknown,
  knownUsers: ReadonlySet<string>,
  keyPath = 'schedules',
): { schedules: Map<string, Schedule>; problems: string[] } {
  const schedules = new Map<string, Schedule>();
  if (raw === undefined || raw === null) return { schedules, problems: [] };
  if (!isTable(raw)) return { schedules, problems: [`${keyPath}: must be a table of schedule names to { zone, layers, overrides }`] };
  const problems: string[] = [];
  for (const [name, value] of Object.entries(raw)) {
    const parsed = parseSchedule(name, value, knownUsers, `${keyPath}.${name}`);
    problems.push(...parsed.problems);
    if (parsed.schedule) schedules.set(name, parsed.schedule);
  }
  return { schedules, problems };
}

/** Like parseSchedule, for code and tests that hold a known-good definition: throws listing every problem. */
export function createSchedule(name: string, raw: unknown, knownUsers?: ReadonlySet<string>): Schedule {
  const { schedule, problems } = parseSchedule(name, raw, knownUsers);
  if (!schedule) throw new Error(`schedule ${name} is not valid:\n  ${problems.join('\n  ')}`);
  return schedule;
}
