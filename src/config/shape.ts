/**
 * Checks a parsed configuration against the schema (src/config/schema.ts) and words each issue as a
 * problem with its key path and a fix: `tiers[0].escalation_polcy: unknown key (known: …); did you mean
 * `escalation_policy`?`.
 */
import type { z } from 'zod';
import { configSchema, unknownKeyNote } from './schema.js';

/** One problem at a key path; `unknownKey` when the path names a key the schema does not know. */
export interface ShapeProblem {
  path: string;
  message: string;
  unknownKey: boolean;
}

type Issue = z.core.$ZodIssue;
type Segment = PropertyKey;

/** `tiers[0].agents[1]`, `people.ada`; the root is `(root)`. */
export function keyPath(segments: readonly Segment[]): string {
  let out = '';
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : out === '' ? String(s) : `.${String(s)}`;
  return out === '' ? '(root)' : out;
}

/** Edit distance where swapping two neighbouring letters is one edit (`tunrs` → `turns`). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  return d[a.length]![b.length]!;
}

/** The known name closest to `name`, when it is close enough to be a typo (or differs only in case, `-` or `_`). */
export function closest(name: string, known: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_ ]/g, '');
  const same = known.find((k) => norm(k) === norm(name));
  if (same) return same;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(Math.min(name.length, best.length) / 3)) ? best : undefined;
}

function valueAt(root: unknown, segments: readonly Segment[]): unknown {
  let v = root;
  for (const s of segments) v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[s] : undefined;
  return v;
}

const shown = (v: unknown) => (JSON.stringify(v) ?? String(v)).slice(0, 60);
const WHAT: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

function typeProblem(expected: string, value: unknown): string {
  if (value === undefined) return 'is required';
  const what = WHAT[expected] ?? expected;
  if (expected === 'string' && typeof value === 'number') return `must be text; quote it ("${value}"): YAML rounds long numbers`;
  return `must be ${what}, not ${value === null ? 'empty' : shown(value)}`;
}

/** The issues of the union branch that got furthest (fewest issues, none at its own root). */
function bestBranch(branches: Issue[][]): Issue[] | undefined {
  const deep = branches.filter((b) => b.length > 0 && b.every((i) => i.path.length > 0 || i.code === 'unrecognized_keys'));
  // A branch where a misspelt key is close to one it knows is the one that was meant.
  const near = (b: Issue[]) =>
    b.some((i) => i.code === 'unrecognized_keys' && i.keys.some((k) => closest(k, unknownKeyNote(i.message)?.known ?? []) !== undefined));
  const score = (b: Issue[]) => b.length - (near(b) ? 0.5 : 0);
  return deep.sort((a, b) => score(a) - score(b))[0];
}

function describe(issue: Issue, base: readonly Segment[], raw: unknown, out: ShapeProblem[]): void {
  const segments = [...base, ...issue.path];
  const path = keyPath(segments);
  const value = valueAt(raw, segments);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const note = unknownKeyNote(issue.message);
      for (const key of issue.keys) {
        const guess = note && closest(key, note.known);
        const known = note ? ` (known: ${note.known.join(', ')}${note.hint ? `; ${note.hint}` : ''})` : '';
        out.push({
          path: keyPath([...segments, key]),
          unknownKey: true,
          message: `unknown ${note?.noun ?? 'key'}${known}${guess ? `; did you mean \`${guess}\`?` : ''}`,
        });
      }
      return;
    }
    case 'invalid_type':
      return void out.push({ path, unknownKey: false, message: typeProblem(issue.expected, value) });
    case 'invalid_value':
      return void out.push({ path, unknownKey: false, message: `must be one of ${issue.values.map(String).join(', ')}, not ${shown(value)}` });
    case 'invalid_union': {
      const branch = bestBranch(issue.errors as Issue[][]);
      if (branch) for (const i of branch) describe(i, segments, raw, out);
      else out.push({ path, unknownKey: false, message: `${shown(value)} is not allowed here` });
      return;
    }
    case 'too_small':
      return void out.push({ path, unknownKey: false, message: `must be at least ${String(issue.minimum)}, not ${shown(value)}` });
    case 'too_big':
      return void out.push({ path, unknownKey: false, message: `must be at most ${String(issue.maximum)}, not ${shown(value)}` });
    default:
      out.push({ path, unknownKey: false, message: issue.message });
  }
}

/** Every way `raw` departs from the configuration schema, each with its key path. */
export function shapeProblems(raw: unknown): ShapeProblem[] {
  const result = configSchema.safeParse(raw);
  if (result.success) return [];
  const out: ShapeProblem[] = [];
  for (const issue of result.error.issues) describe(issue, [], raw, out);
  return out;
}

const related = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`) || b.startsWith(`${a}.`) || b.startsWith(`${a}[`);
const UNKNOWN = /^unknown (key|section|rule|platform|weekday)\b/;
const pathOf = (problem: string) => problem.slice(0, Math.max(0, problem.indexOf(': ')));

/**
 * One list from the schema's problems and the section readers' (`path: message` lines), each said once:
 * an unknown key in the schema's words (with its "did you mean"), any other problem in the reader's
 * words where both found one at the same place. Ordered by section, as the file lists them.
 */
export function mergeProblems(shape: readonly ShapeProblem[], readers: readonly string[], sections: readonly string[]): string[] {
  const unknown = new Set(shape.filter((p) => p.unknownKey).map((p) => p.path));
  const kept = readers.filter((r) => !(unknown.has(pathOf(r)) && UNKNOWN.test(r.slice(pathOf(r).length + 2))));
  const keptPaths = kept.map(pathOf);
  const line = (p: ShapeProblem) => `${p.path}: ${p.message}`;
  const unknownLines = shape.filter((p) => p.unknownKey).map(line);
  const otherLines = shape.filter((p) => !p.unknownKey && !keptPaths.some((r) => related(r, p.path))).map(line);
  const all = [...new Set([...unknownLines, ...kept, ...otherLines])];
  const rank = (problem: string) => {
    const i = sections.indexOf(/^[^.[:]+/.exec(problem)?.[0] ?? '');
    return i < 0 ? sections.length : i;
  };
  return all
    .map((p, i) => [rank(p), i, p] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .map(([, , p]) => p);
}
