/**
 * `products:` the products tickets are about, their versions and support windows. Dates are
 * calendar dates in the product's zone (src/domain/support-window.ts says why).
 */
import type { Calendar } from '../domain/calendar.js';
import { isLocalDate, phaseAt, type Product, type ProductVersion, type UnsupportedPolicy } from '../domain/support-window.js';
import type { Config, TierConfig } from './config.js';
import { isRecord, optionalString, type Bad } from './fields.js';
import { DateTime } from 'luxon';

const PRODUCT_KEYS = ['aliases', 'owner', 'zone', 'unsupported', 'versions'];
const VERSION_KEYS = ['version', 'released', 'end_of_support', 'end_of_extended_support', 'lts'];

/** Read `products` (a mapping of product name → { versions, owner, aliases, zone, unsupported }). */
export function readProducts(raw: unknown, tiers: readonly TierConfig[], calendars: ReadonlyMap<string, Calendar>, bad: Bad): Product[] {
  if (raw === undefined || raw === null) return [];
  if (!isRecord(raw)) return (bad('products', 'must be a mapping of product name → { versions: [...] }'), []);
  const products: Product[] = [];
  const names = new Map<string, string>();
  for (const [name, value] of Object.entries(raw)) {
    const path = `products.${name}`;
    if (!isRecord(value)) {
      bad(path, 'must be a mapping { versions: [{ version, released, end_of_support }] }');
      continue;
    }
    for (const key of Object.keys(value)) if (!PRODUCT_KEYS.includes(key)) bad(`${path}.${key}`, `unknown key (known: ${PRODUCT_KEYS.join(', ')})`);
    const owner = optionalString(value.owner, `${path}.owner`, bad);
    const tier = owner !== undefined ? tiers.find((t) => t.id === owner) : undefined;
    if (owner !== undefined && !tier) bad(`${path}.owner`, `${owner} is not a tier id (known: ${tiers.map((t) => t.id).join(', ')})`);
    const zone = readZone(value.zone, `${path}.zone`, tier?.hours !== undefined ? calendars.get(tier.hours)?.zone : undefined, bad);
    const aliases = readAliases(value.aliases, `${path}.aliases`, bad);
    for (const n of [name, ...aliases]) {
      const other = names.get(n.toLowerCase());
      if (other !== undefined && other !== name) bad(`${path}`, `"${n}" already names the product ${other}`);
      names.set(n.toLowerCase(), name);
    }
    const product: Product = {
      name,
      aliases,
      zone,
      unsupported: readPolicy(value.unsupported, `${path}.unsupported`, tiers, bad),
      versions: readVersions(value.versions, `${path}.versions`, bad),
      ...(owner !== undefined ? { owner } : {}),
    };
    products.push(product);
  }
  return products;
}

function readZone(raw: unknown, path: string, fallback: string | undefined, bad: Bad): string {
  if (raw === undefined) return fallback ?? 'UTC';
  if (typeof raw !== 'string' || !DateTime.now().setZone(raw).isValid) {
    bad(path, `must be an IANA time zone such as Europe/Berlin or UTC, not ${JSON.stringify(raw)}`);
    return 'UTC';
  }
  return raw;
}

function readAliases(raw: unknown, path: string, bad: Bad): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.some((a) => typeof a !== 'string' || a.trim() === '')) return (bad(path, 'must be a list of names'), []);
  return raw.map((a: string) => a.trim());
}

function readPolicy(raw: unknown, path: string, tiers: readonly TierConfig[], bad: Bad): UnsupportedPolicy {
  if (raw === undefined || raw === 'accept') return { kind: 'accept' };
  if (raw === 'refuse') return { kind: 'refuse' };
  if (isRecord(raw) && Object.keys(raw).length === 1 && raw.route !== undefined) {
    const tier = optionalString(raw.route, `${path}.route`, bad);
    if (tier !== undefined && tiers.some((t) => t.id === tier)) return { kind: 'route', tier };
    if (tier !== undefined) bad(`${path}.route`, `${tier} is not a tier id (known: ${tiers.map((t) => t.id).join(', ')})`);
    return { kind: 'accept' };
  }
  bad(path, `must be accept, refuse or { route: TIER }, not ${JSON.stringify(raw)}`);
  return { kind: 'accept' };
}

function readVersions(raw: unknown, path: string, bad: Bad): ProductVersion[] {
  if (!Array.isArray(raw) || raw.length === 0)
    return (bad(path, 'must be a list like - { version: "2.0", released: 2024-01-15, end_of_support: 2026-01-15 }'), []);
  const out: ProductVersion[] = [];
  raw.forEach((v, i) => {
    const at = `${path}[${i}]`;
    if (!isRecord(v)) return bad(at, 'must be a mapping { version, released, end_of_support }');
    for (const key of Object.keys(v)) if (!VERSION_KEYS.includes(key)) bad(`${at}.${key}`, `unknown key (known: ${VERSION_KEYS.join(', ')})`);
    const name = typeof v.version === 'string' ? v.version.trim() : '';
    if (name === '')
      bad(`${at}.version`, typeof v.version === 'number' ? `quote it ("${v.version}"): YAML reads 2.0 as the number 2` : 'is required');
    else if (out.some((o) => o.name === name)) bad(`${at}.version`, `${name} is listed twice`);
    const date = (key: string, required: boolean): string | undefined => {
      const d = v[key];
      if (d === undefined && !required) return undefined;
      if (isLocalDate(d)) return d;
      bad(`${at}.${key}`, `must be a date YYYY-MM-DD${d === undefined ? '' : `, not ${JSON.stringify(d)}`}`);
      return undefined;
    };
    const released = date('released', true);
    const endOfSupport = date('end_of_support', true);
    const extended = date('end_of_extended_support', false);
    if (v.lts !== undefined && typeof v.lts !== 'boolean') bad(`${at}.lts`, 'must be true or false');
    if (name === '' || released === undefined || endOfSupport === undefined) return;
    if (endOfSupport < released) bad(`${at}.end_of_support`, `${endOfSupport} is before the release on ${released}`);
    if (extended !== undefined && extended < endOfSupport)
      bad(`${at}.end_of_extended_support`, `${extended} is before the end of standard support on ${endOfSupport}`);
    out.push({ name, released, endOfSupport, lts: v.lts === true, ...(extended !== undefined ? { endOfExtendedSupport: extended } : {}) });
  });
  return out;
}

/** The product a name (or alias, any case) means, if configured. */
export function findProduct(config: Pick<Config, 'products'>, name: string): Product | undefined {
  const n = name.trim().toLowerCase();
  return config.products.find((p) => p.name.toLowerCase() === n || p.aliases.some((a) => a.toLowerCase() === n));
}

/**
 * The new-ticket form's product choices: `Product Version` for every version not out of all support,
 * so one field (a Discord modal holds five) names both; intake splits them again.
 */
export function productChoices(config: Config, now: number): readonly string[] | undefined {
  const names = config.products.flatMap((p) => [
    ...p.versions.filter((v) => phaseAt(p, v, now) !== 'ended').map((v) => `${p.name} ${v.name}`),
    ...(p.versions.every((v) => phaseAt(p, v, now) === 'ended') ? [p.name] : []),
  ]);
  return names.length > 0 ? names.slice(0, 100) : undefined;
}

/** Choices for a separate version field: every configured version name, once. */
export function versionChoices(config: Config): readonly string[] | undefined {
  const names = [...new Set(config.products.flatMap((p) => p.versions.map((v) => v.name)))];
  return names.length > 0 ? names : undefined;
}

/**
 * "Acme Server 2.0" as (product, version): the one rule for a field that names both (the new-ticket
 * form's product field, a Discord modal's one input for both). With products configured, the words
 * before the last must name one, and a whole product name is never split ("Office 365" stays one);
 * without, the last word is the version when it looks like one (a digit first, after an optional v).
 */
export function splitProductVersion(config: Pick<Config, 'products'>, text: string): { product: string; version: string } | undefined {
  const t = text.trim();
  if (config.products.length === 0) {
    const m = /^(.*?)\s+v?(\d[\w.-]*)$/.exec(t);
    return m ? { product: m[1]!, version: m[2]! } : undefined;
  }
  if (findProduct(config, t)) return undefined;
  const m = /^(.*\S)\s+(\S+)$/.exec(t);
  const product = m ? findProduct(config, m[1]!) : undefined;
  return product && m ? { product: product.name, version: m[2]! } : undefined;
}
