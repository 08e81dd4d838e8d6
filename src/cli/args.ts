/** The command line, split into a command, words and flags (see ./parse.ts). */
export interface Args {
  command: string;
  rest: string[];
  /** Every value a flag was given (`--pause` may repeat); boolean flags map to []. */
  flags: Map<string, string[]>;
}

/** The single value of a flag, or undefined. */
export function one(args: Args, name: string): string | undefined {
  return args.flags.get(name)?.at(-1);
}

/** A command-line mistake (unknown option, missing or malformed value): printed as is, and the command exits 2. */
export class CliError extends Error {}

/** Input the command understood but cannot use (a range too long, from after to): printed as is, exit 1. */
export class InputError extends Error {}

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
