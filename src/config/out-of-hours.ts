import { templateFields } from '../domain/template.js';
import { isRecord, type Bad } from './fields.js';

/** `out_of_hours`: what a requester is told when their ticket arrives while its tier is closed. */
export interface OutOfHoursConfig {
  enabled: boolean;
  /** The wording, with named fields (OUT_OF_HOURS_FIELDS). */
  message: string;
}

/** The fields a message may use, and what each becomes. */
export const OUT_OF_HOURS_FIELDS: Readonly<Record<string, string>> = {
  ticket: 'the ticket number',
  title: 'the ticket title',
  tier: 'the tier name',
  opens: 'when the tier next opens, in the requester\u2019s time zone',
  first_response_due: 'when the first answer is due ("no target" without an SLA)',
  resolution_due: 'when the resolution is due ("no target" without an SLA)',
  due: 'a sentence with both due times, or nothing without an SLA',
  paged: 'a sentence saying whether on-call was paged',
  zone: 'the time zone the times are in',
};

export const OUT_OF_HOURS_DEFAULTS: OutOfHoursConfig = {
  enabled: true,
  message: '{tier} is closed right now. Someone will pick up #{ticket} when it opens: {opens}.{due} {paged}',
};

export function readOutOfHours(raw: unknown, bad: Bad): OutOfHoursConfig {
  const out = { ...OUT_OF_HOURS_DEFAULTS };
  if (raw === undefined || raw === null) return out;
  if (!isRecord(raw)) return (bad('out_of_hours', 'must be a mapping like { enabled: true, message: "..." }'), out);
  if (raw.enabled !== undefined) {
    if (typeof raw.enabled === 'boolean') out.enabled = raw.enabled;
    else bad('out_of_hours.enabled', 'must be true or false');
  }
  if (raw.message !== undefined) {
    if (typeof raw.message !== 'string' || raw.message.trim() === '') bad('out_of_hours.message', 'must be a non-empty text');
    else {
      const unknown = templateFields(raw.message).filter((f) => !Object.hasOwn(OUT_OF_HOURS_FIELDS, f));
      if (unknown.length > 0)
        bad(
          'out_of_hours.message',
          `unknown field ${unknown.map((f) => `{${f}}`).join(', ')} (known: ${Object.keys(OUT_OF_HOURS_FIELDS).join(', ')})`,
        );
      out.message = raw.message.trim();
    }
  }
  return out;
}
