/** The command line, split into a command, words and flags. */
export interface Args {
  command: string;
  rest: string[];
  /** Every value a flag was given (`--pause` may repeat); boolean flags map to []. */
  flags: Map<string, string[]>;
}

const BOOLEAN_FLAGS = new Set(['json', 'down-all', 'help', 'socket-mode']);

export function parseArgs(argv: string[]): Args {
  const flags = new Map<string, string[]>();
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      const values = flags.get(name) ?? [];
      if (eq > 0) values.push(a.slice(eq + 1));
      else if (!BOOLEAN_FLAGS.has(name) && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) values.push(argv[++i]!);
      flags.set(name, values);
    } else words.push(a);
  }
  return { command: words[0] ?? 'start', rest: words.slice(1), flags };
}

/** The single value of a flag, or undefined. */
export function one(args: Args, name: string): string | undefined {
  return args.flags.get(name)?.at(-1);
}

/** A command-line mistake: printed as is, and the command exits 2. */
export class CliError extends Error {}

/** An ISO-8601 instant with an explicit zone (`Z` or an offset); a local time without one would be a guess. */
export function instantArg(text: string | undefined, flag: string): number {
  if (text === undefined) throw new CliError(`--${flag} is required (an ISO-8601 instant such as 2024-03-08T21:00:00Z)`);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text) || Number.isNaN(Date.parse(text))) {
    throw new CliError(
      `--${flag} ${JSON.stringify(text)} is not an ISO-8601 instant with a zone (e.g. 2024-03-08T21:00:00Z or 2024-03-08T16:00:00-05:00)`,
    );
  }
  return Date.parse(text);
}

/** An instant as the CLI prints it: ISO-8601 in UTC, without milliseconds when there are none. */
export const isoArg = (ms: number): string => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
