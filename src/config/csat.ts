import type { Bad } from './fields.js';

/** Satisfaction surveys: whether the requester is asked to rate a resolution, when, and when a low rating alerts. */
export interface CsatConfig {
  enabled: boolean;
  /** Ask when the ticket is resolved (default) or when it closes. */
  ask: 'on_resolve' | 'on_close';
  /** Offer a comment with the rating (a form, where the platform has forms). */
  comment: boolean;
  /** A rating at or below this tells the tier's channel and the assignee. */
  alertBelow: number;
}

export const CSAT_DEFAULTS: CsatConfig = { enabled: true, ask: 'on_resolve', comment: true, alertBelow: 2 };

/** `csat: { enabled, ask: on_resolve | on_close, comment, alert_below }`. */
export function readCsat(raw: unknown, bad: Bad): CsatConfig {
  if (raw === undefined || raw === null) return { ...CSAT_DEFAULTS };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    bad('csat', 'must be a mapping like { enabled: true, ask: on_resolve, comment: true, alert_below: 2 }');
    return { ...CSAT_DEFAULTS };
  }
  const r = raw as Record<string, unknown>;
  const out = { ...CSAT_DEFAULTS };
  for (const key of Object.keys(r))
    if (!['enabled', 'ask', 'comment', 'alert_below'].includes(key)) bad(`csat.${key}`, 'unknown key (known: enabled, ask, comment, alert_below)');
  if (r.enabled !== undefined) {
    if (typeof r.enabled === 'boolean') out.enabled = r.enabled;
    else bad('csat.enabled', 'must be true or false');
  }
  if (r.comment !== undefined) {
    if (typeof r.comment === 'boolean') out.comment = r.comment;
    else bad('csat.comment', 'must be true or false');
  }
  if (r.ask !== undefined) {
    if (r.ask === 'on_resolve' || r.ask === 'on_close') out.ask = r.ask;
    else bad('csat.ask', 'must be on_resolve or on_close');
  }
  if (r.alert_below !== undefined) {
    if (Number.isInteger(r.alert_below) && (r.alert_below as number) >= 0 && (r.alert_below as number) <= 5) out.alertBelow = r.alert_below as number;
    else bad('csat.alert_below', 'must be a whole number from 0 (never alert) to 5');
  }
  return out;
}
