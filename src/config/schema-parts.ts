/** The building blocks of the configuration schema (src/config/schema.ts): strict sections and described values. */
import { z } from 'zod';
import { LEVELS } from '../domain/priority.js';

export const PRIORITY_NAMES = ['P1', 'P2', 'P3', 'P4', 'P5'] as const;

/** What an unknown key under an object is called in messages, and an optional note after the known keys. */
export interface UnknownKeyNote {
  noun: string;
  known: string[];
  hint?: string;
}

const NOTE = 'tierdesk:unknown-key:';

/**
 * A mapping with exactly these keys, every one optional but those listed in `required`; an unknown key
 * is reported through `unknownKeyNote` with the `noun` messages call it (key, section, platform…).
 */
export function strict<T extends Record<string, z.ZodType>>(
  shape: T,
  options: { noun?: string; hint?: string; required?: Array<keyof T & string> } = {},
) {
  const note: UnknownKeyNote = { noun: options.noun ?? 'key', known: Object.keys(shape), ...(options.hint ? { hint: options.hint } : {}) };
  const required = new Set<string>(options.required ?? []);
  const loose = Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, required.has(k) ? v : v.optional()])) as T;
  return z.strictObject(loose, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `${NOTE}${JSON.stringify(note)}` : undefined),
  });
}

/** The known keys behind an unknown-key issue's message, when the schema wrote it. */
export function unknownKeyNote(message: string): UnknownKeyNote | undefined {
  return message.startsWith(NOTE) ? (JSON.parse(message.slice(NOTE.length)) as UnknownKeyNote) : undefined;
}

export const text = (description: string) => z.string().describe(description);
/** An id YAML may read as a number (`1234`); a long numeric id must be quoted or YAML rounds it. */
export const id = (description: string) => z.union([z.string(), z.int()]).describe(description);
export const ids = (description: string) => z.array(id('an id')).describe(description);
export const duration = (description: string) => z.string().describe(`${description} (a duration such as "30 minutes", "4 hours", "2 days", 15m)`);
export const level = (description: string) => z.enum(LEVELS).describe(description);
export const priority = z.enum(PRIORITY_NAMES).describe('a priority');
export const priorities = (description: string) => z.union([z.literal('all'), z.array(priority)]).describe(description);
export const percentages = (description: string) => z.array(z.union([z.string(), z.number()])).describe(`${description}, such as [75%, 90%]`);
export const snowflake = (description: string) => z.string().describe(`${description} (a Discord snowflake id: quote it)`);

/** `tiers[].oncall_handle`: the platform groups kept equal to who is on call for the tier. */
export const oncallHandle = strict(
  {
    slack: text('a Slack user group id (S0123ABCD) tierdesk owns: its members are set to who is on call'),
    discord: snowflake('a Discord role tierdesk gives to who is on call (and takes back only from those it gave it to)'),
  },
  { noun: 'platform' },
).describe('a handle whose members tierdesk keeps equal to who is on call for the tier (needs oncall_schedule)');
