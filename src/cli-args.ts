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

