/**
 * The strict command line: `node:util` parseArgs over the options a command declares (./commands.ts).
 * An unknown command or option, a value given to a switch (`--down-all=false`), a missing value, an
 * option given twice or an argument nobody asked for is a CliError (exit 2) naming it, with the
 * nearest known name as a suggestion. Nothing is opened or written before this has passed.
 */
import { parseArgs as nodeParseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, type Args } from './args.js';
import { COMMANDS, COMMON_OPTIONS, commandHelp, usage, type CommandSpec, type OptionSpec } from './commands.js';

export type CommandLine = { kind: 'run'; args: Args } | { kind: 'help'; text: string } | { kind: 'version' };

/** Levenshtein distance, enough to suggest a name for a typo. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next.push(Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    row = next;
  }
  return row[b.length]!;
}

/** `" (did you mean --config?)"` when a known name is close to what was typed, else nothing. */
export function didYouMean(typed: string, known: readonly string[], prefix = ''): string {
  const best = known.map((k) => ({ k, d: distance(typed.toLowerCase(), k) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(typed.length / 3)) ? ` (did you mean ${prefix}${best.k}?)` : '';
}

const groups = [...new Set(COMMANDS.filter((c) => c.path.length > 1).map((c) => c.path[0]!))];
const topWords = [...new Set(COMMANDS.map((c) => c.path[0]!))];

/** Find the command named by the leading words; returns it and how many words it used. */
function resolve(argv: string[]): { spec: CommandSpec; used: number } | { help: string } {
  const first = argv[0];
  if (first === undefined || first.startsWith('-')) return { spec: COMMANDS.find((c) => c.path[0] === 'start')!, used: 0 };
  if (!topWords.includes(first))
    throw new CliError(`Unknown command "${first}"${didYouMean(first, topWords, 'tierdesk ')}. Run "tierdesk help" for the list.`);
  if (!groups.includes(first)) return { spec: COMMANDS.find((c) => c.path[0] === first)!, used: 1 };
  const subs = COMMANDS.filter((c) => c.path[0] === first).map((c) => c.path[1]!);
  const second = argv[1];
  if (second === '-h' || second === '--help') return { help: commandHelp([first]) };
  if (second === undefined || second.startsWith('-')) throw new CliError(`tierdesk ${first} needs a sub-command: ${subs.join(', ')}`);
  if (!subs.includes(second))
    throw new CliError(
      `Unknown command "tierdesk ${first} ${second}"${didYouMean(second, subs, `tierdesk ${first} `)}. Sub-commands: ${subs.join(', ')}.`,
    );
  return { spec: COMMANDS.find((c) => c.path[0] === first && c.path[1] === second)!, used: 2 };
}

/** Check each token against the command's options; throws the first problem found. */
function checkTokens(spec: CommandSpec, options: Record<string, OptionSpec>, rest: string[], topLevel: boolean): void {
  const names = Object.keys(options);
  const { tokens } = nodeParseArgs({ args: rest, options: toNode(options), strict: false, allowPositionals: true, tokens: true });
  const seen = new Set<string>();
  const where = topLevel ? 'tierdesk' : `tierdesk ${spec.path.join(' ')}`;
  let positionals = 0;
  for (const t of tokens) {
    if (t.kind === 'positional') {
      const allowed = spec.positionals ?? [];
      if (positionals++ >= allowed.length) {
        const hint = t.value.startsWith('-') ? '' : didYouMean(t.value, topWords, 'tierdesk ');
        throw new CliError(`${where}: unexpected argument "${t.value}"${hint}`);
      }
      continue;
    }
    if (t.kind !== 'option') continue;
    const option = options[t.name];
    if (!option || (t.rawName.length === 2 && t.rawName !== '-h')) {
      const hint = t.rawName.startsWith('--') ? didYouMean(t.name, names, '--') : '';
      throw new CliError(`${where}: unknown option ${t.rawName}${hint}`);
    }
    if (option.type === 'boolean' && t.inlineValue) throw new CliError(`${where}: ${t.rawName} takes no value (got "${t.rawName}=${t.value}")`);
    if (option.type === 'string') {
      if (t.value === undefined) throw new CliError(`${where}: ${t.rawName} needs a value`);
      if (!t.inlineValue && t.value.startsWith('-') && t.value.length > 1)
        throw new CliError(`${where}: ${t.rawName} needs a value, not the option ${t.value} (write ${t.rawName}=${t.value} if you mean it)`);
    }
    if (seen.has(t.name) && !option.multiple) throw new CliError(`${where}: --${t.name} is given more than once`);
    seen.add(t.name);
  }
}

function toNode(options: Record<string, OptionSpec>): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(
    Object.entries(options).map(([name, o]) => [
      name,
      { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(name === 'help' ? { short: 'h' } : {}) },
    ]),
  );
}

const TOP_LEVEL: Record<string, OptionSpec> = { ...COMMON_OPTIONS, version: { type: 'boolean', description: 'print the version' } };

/** Parse a whole command line; throws CliError for anything it does not know exactly. */
export function parseCommandLine(argv: string[]): CommandLine {
  const found = resolve(argv);
  if ('help' in found) return { kind: 'help', text: found.help };
  const { spec, used } = found;
  const topLevel = used === 0;
  const options = topLevel ? TOP_LEVEL : { ...spec.options, ...COMMON_OPTIONS };
  const rest = argv.slice(used);
  checkTokens(spec, options, rest, topLevel);
  let parsed: ReturnType<typeof nodeParseArgs>;
  try {
    parsed = nodeParseArgs({ args: rest, options: toNode(options), strict: true, allowPositionals: (spec.positionals?.length ?? 0) > 0 });
  } catch (err) {
    throw new CliError(`tierdesk ${spec.path.join(' ')}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  if (parsed.values.version === true) return { kind: 'version' };
  if (parsed.values.help === true) return { kind: 'help', text: topLevel ? usage() : commandHelp(spec.path) };
  if (spec.path[0] === 'help') return { kind: 'help', text: helpFor(parsed.positionals) };
  const flags = new Map<string, string[]>();
  for (const [name, value] of Object.entries(parsed.values)) {
    if (value === undefined) continue;
    flags.set(name, typeof value === 'boolean' ? [] : Array.isArray(value) ? value.map(String) : [String(value)]);
  }
  return { kind: 'run', args: { command: spec.path[0]!, rest: [...spec.path.slice(1), ...parsed.positionals], flags } };
}

/** `tierdesk help sla due`, `tierdesk help sla`, `tierdesk help`. */
function helpFor(words: string[]): string {
  if (words.length === 0) return usage();
  if (words.length === 1 && groups.includes(words[0]!)) return commandHelp(words);
  const found = resolve(words);
  if ('help' in found) return found.help;
  if (found.used < words.length) throw new CliError(`tierdesk help: unknown command "${words.join(' ')}". Run "tierdesk help" for the list.`);
  return commandHelp(found.spec.path);
}

/** The command line as Args, or a CliError (for callers that only run commands, e.g. tests). */
export function parseArgs(argv: string[]): Args {
  const line = parseCommandLine(argv);
  if (line.kind !== 'run') throw new CliError(`expected a command, not ${line.kind}`);
  return line.args;
}
