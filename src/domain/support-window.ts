/**
 * Products, versions and their support windows, as pure arithmetic on calendar dates.
 *
 * A support window's dates are calendar dates (`YYYY-MM-DD`) in the product's zone: the zone of the
 * team that owns it (its owner tier's staffed-hours calendar), else UTC. A vendor publishes "support
 * ends on 2025-03-31" in its own office calendar, so the last day of support is that whole local day,
 * wherever the requester is. Every end date is inclusive: the version is supported through it.
 */
import { DateTime } from 'luxon';

/** A calendar date, `YYYY-MM-DD`. Such strings sort and compare as the dates they name. */
export type LocalDate = string;

export interface ProductVersion {
  name: string;
  released: LocalDate;
  endOfSupport: LocalDate;
  /** The last day of extended support; without it, support ends with standard support. */
  endOfExtendedSupport?: LocalDate;
  lts: boolean;
}

/** What happens to a ticket about a version past its extended support. */
export type UnsupportedPolicy = { kind: 'accept' } | { kind: 'refuse' } | { kind: 'route'; tier: string };

export interface Product {
  name: string;
  aliases: string[];
  /** The tier that owns the product: warned before its versions' support ends. */
  owner?: string;
  /** The IANA zone its dates are calendar dates in. */
  zone: string;
  unsupported: UnsupportedPolicy;
  /** In release order. */
  versions: ProductVersion[];
}

/**
 * `upcoming`: not yet released; `supported`: within standard support; `extended`: past standard
 * support, within extended support; `ended`: past every support window.
 */
export type SupportPhase = 'upcoming' | 'supported' | 'extended' | 'ended';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `s` is a real calendar date written `YYYY-MM-DD`. */
export function isLocalDate(s: unknown): s is LocalDate {
  return typeof s === 'string' && DATE.test(s) && DateTime.fromISO(s, { zone: 'UTC' }).isValid;
}

/** The calendar date an instant falls on in `zone`. */
export function localDateOf(instant: number, zone: string): LocalDate {
  return DateTime.fromMillis(instant, { zone }).toISODate()!;
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  // `|| 0`: the same day is 0, never -0 (which would print as "-0 days" and compare unequal in tests).
  return Math.round(DateTime.fromISO(to, { zone: 'UTC' }).diff(DateTime.fromISO(from, { zone: 'UTC' }), 'days').days) || 0;
}

/** The last day of any support for the version. */
export function lastDayOfSupport(v: ProductVersion): LocalDate {
  return v.endOfExtendedSupport ?? v.endOfSupport;
}

/** Where `today` falls in the version's window. End dates are inclusive. */
export function supportPhase(v: ProductVersion, today: LocalDate): SupportPhase {
  if (today < v.released) return 'upcoming';
  if (today <= v.endOfSupport) return 'supported';
  if (v.endOfExtendedSupport !== undefined && today <= v.endOfExtendedSupport) return 'extended';
  return 'ended';
}

/** The phase of a version at an instant, read in the product's zone. */
export function phaseAt(p: Product, v: ProductVersion, instant: number): SupportPhase {
  return supportPhase(v, localDateOf(instant, p.zone));
}

/** Versions in standard support on `today` (the ones to move to), in release order. */
export function supportedVersions(p: Product, today: LocalDate): ProductVersion[] {
  return p.versions.filter((v) => supportPhase(v, today) === 'supported');
}

/**
 * The warning due on `today` for a version whose standard support ends on `end`: the smallest
 * threshold (days before the end) already reached and not yet sent, with the days left. Thresholds
 * reached together (a desk started late) give one warning; every reached threshold counts as sent.
 */
export function dueWarning(
  end: LocalDate,
  today: LocalDate,
  thresholds: readonly number[],
  sent: readonly number[],
): { days: number; covers: number[] } | undefined {
  const days = daysBetween(today, end);
  if (days < 0) return undefined;
  const covers = thresholds.filter((t) => days <= t && !sent.includes(t));
  return covers.length > 0 ? { days, covers } : undefined;
}

/** The next day on which the version's support ends or narrows (standard, then extended); none once it has all ended. */
export function nextEnd(v: ProductVersion, today: LocalDate): LocalDate | undefined {
  const phase = supportPhase(v, today);
  if (phase === 'upcoming' || phase === 'supported') return v.endOfSupport;
  return phase === 'extended' ? v.endOfExtendedSupport : undefined;
}

/**
 * Versions by the soonest next end of support (`nextEnd` on the day in each product's zone), ties by
 * product and version name; versions out of all support follow, the most recently ended first.
 */
export function bySoonestEnd<T extends { version: ProductVersion; product: Product }>(rows: readonly T[], now: number): T[] {
  const key = (r: T) => nextEnd(r.version, localDateOf(now, r.product.zone));
  const name = (a: T, b: T) => a.product.name.localeCompare(b.product.name) || a.version.name.localeCompare(b.version.name);
  const live = rows.filter((r) => key(r) !== undefined).sort((a, b) => key(a)!.localeCompare(key(b)!) || name(a, b));
  const ended = rows
    .filter((r) => key(r) === undefined)
    .sort((a, b) => lastDayOfSupport(b.version).localeCompare(lastDayOfSupport(a.version)) || name(a, b));
  return [...live, ...ended];
}

/** Whether `version` lies in the range [from, to] of the product's release order (either end may be open). */
export function versionInRange(p: Product, version: string, from?: string, to?: string): boolean {
  const at = p.versions.findIndex((v) => v.name === version);
  if (at < 0) return false;
  const lo = from === undefined ? 0 : p.versions.findIndex((v) => v.name === from);
  const hi = to === undefined ? p.versions.length - 1 : p.versions.findIndex((v) => v.name === to);
  return lo >= 0 && hi >= 0 && at >= lo && at <= hi;
}

/**
 * What a ticket's card says about its version's support when the ticket was opened (`at`): nothing
 * while supported, else the phase and the day it ended.
 */
export function supportFlag(products: readonly Product[], product: string, version: string | undefined, at: number): string | undefined {
  const p = products.find((x) => x.name === product);
  const v = p?.versions.find((x) => x.name === version);
  if (!p || !v) return undefined;
  const phase = phaseAt(p, v, at);
  if (phase === 'extended') return `⚠ past end of support (${v.endOfSupport}; extended support until ${v.endOfExtendedSupport})`;
  if (phase === 'ended') return `⛔ out of support (support ended ${lastDayOfSupport(v)})`;
  return undefined;
}
