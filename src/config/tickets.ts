/** The ticket sections of the configuration: `tickets`, `priority` (the impact × urgency matrix) and `routing`. */
import type { Config } from './config.js';
import { parseDuration } from '../domain/duration.js';
import { ITIL_MATRIX, LEVELS, isLevel, isPriority, type PriorityMatrix } from '../domain/priority.js';
import { isRecord, optionalString, type Bad } from './fields.js';
import type { Product } from '../domain/support-window.js';
import { findProduct } from './products.js';

export function readTickets(raw: unknown, bad: Bad): Config['tickets'] {
  const t: Config['tickets'] = {
    defaultImpact: 'medium',
    defaultUrgency: 'medium',
    reopenWindowMs: 7 * 86_400_000,
    titleMax: 200,
    descriptionMax: 4000,
  };
  if (raw === undefined) return t;
  if (!isRecord(raw)) return (bad('tickets', 'must be a mapping'), t);
  for (const [key, field] of [
    ['default_impact', 'defaultImpact'],
    ['default_urgency', 'defaultUrgency'],
  ] as const) {
    const v = raw[key];
    if (v === undefined) continue;
    if (isLevel(v)) t[field] = v;
    else bad(`tickets.${key}`, `must be one of ${LEVELS.join(', ')}, not ${JSON.stringify(v)}`);
  }
  if (raw.reopen_window !== undefined) {
    const ms = parseDuration(raw.reopen_window);
    if (ms === undefined)
      bad('tickets.reopen_window', `must be a positive duration like "7 days" or "36 hours", not ${JSON.stringify(raw.reopen_window)}`);
    else t.reopenWindowMs = ms;
  }
  if (raw.max_open_per_requester !== undefined) {
    const n = raw.max_open_per_requester;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
      bad('tickets.max_open_per_requester', `must be a whole number, 1 or more, not ${JSON.stringify(n)}`);
    else t.maxOpenPerRequester = n;
  }
  if (raw.cooldown !== undefined) {
    const ms = parseDuration(raw.cooldown);
    if (ms === undefined) bad('tickets.cooldown', `must be a positive duration like "1 minute", not ${JSON.stringify(raw.cooldown)}`);
    else t.cooldownMs = ms;
  }
  if (raw.retention !== undefined) {
    const ms = parseDuration(raw.retention);
    if (ms === undefined) bad('tickets.retention', `must be a positive duration like "365 days", not ${JSON.stringify(raw.retention)}`);
    else t.retentionMs = ms;
  }
  if (raw.categories !== undefined) {
    if (!Array.isArray(raw.categories) || raw.categories.some((c) => typeof c !== 'string' || c.trim() === '')) {
      bad('tickets.categories', 'must be a list of category names');
    } else {
      t.categories = raw.categories.map((c: string) => c.trim());
    }
  }
  return t;
}

export function readMatrix(raw: unknown, bad: Bad): PriorityMatrix {
  if (raw === undefined) return ITIL_MATRIX;
  if (!isRecord(raw)) return (bad('priority', 'must be a mapping with a matrix'), ITIL_MATRIX);
  if (raw.matrix === undefined) return ITIL_MATRIX;
  if (!isRecord(raw.matrix)) return (bad('priority.matrix', 'must map impact → urgency → priority'), ITIL_MATRIX);
  const m = structuredClone(ITIL_MATRIX);
  for (const impact of LEVELS) {
    const row = raw.matrix[impact];
    if (!isRecord(row)) {
      bad(`priority.matrix.${impact}`, 'is missing: give every impact a row { high: P1, medium: P2, low: P3 }');
      continue;
    }
    for (const urgency of LEVELS) {
      const p = row[urgency];
      if (isPriority(p)) m[impact][urgency] = p;
      else bad(`priority.matrix.${impact}.${urgency}`, `must be one of P1..P5, not ${JSON.stringify(p)}`);
    }
  }
  return m;
}

export function readRouting(
  raw: unknown,
  tierIds: Set<string>,
  categories: string[] | undefined,
  products: readonly Product[],
  bad: Bad,
): Config['routing'] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) return (bad('routing', 'must be a list like - { category: access, tier: L2 }'), []);
  const rules: Config['routing'] = [];
  raw.forEach((r, i) => {
    const path = `routing[${i}]`;
    if (!isRecord(r)) return bad(path, 'must be a mapping { category, tier } or { product, from, to, tier }');
    const category = optionalString(r.category, `${path}.category`, bad);
    const productName = optionalString(r.product, `${path}.product`, bad);
    const tier = optionalString(r.tier, `${path}.tier`, bad);
    if (category === undefined && productName === undefined) bad(`${path}.category`, 'is required (or a product)');
    else if (category !== undefined && categories && !categories.some((c) => c.toLowerCase() === category.toLowerCase()))
      bad(`${path}.category`, `${category} is not in tickets.categories`);
    const product = productName !== undefined ? findProduct({ products: [...products] }, productName) : undefined;
    if (productName !== undefined && !product) bad(`${path}.product`, `${productName} is not under products`);
    const range: { from?: string; to?: string } = {};
    for (const end of ['from', 'to'] as const) {
      const v = optionalString(r[end], `${path}.${end}`, bad);
      if (v === undefined) continue;
      if (productName === undefined) bad(`${path}.${end}`, 'a version range needs a product');
      else if (product && !product.versions.some((x) => x.name === v)) bad(`${path}.${end}`, `${v} is not a version of ${product.name}`);
      range[end] = v;
    }
    if (tier === undefined) bad(`${path}.tier`, 'is required');
    else if (!tierIds.has(tier)) bad(`${path}.tier`, `${tier} is not a tier id (known: ${[...tierIds].join(', ')})`);
    if ((category !== undefined || product) && tier !== undefined)
      rules.push({ tier, ...(category !== undefined ? { category } : {}), ...(product ? { product: product.name } : {}), ...range });
  });
  return rules;
}
