/** `/products` and `tierdesk products`: every version's support window, the soonest end first. */
import type { Config } from '../../config/config.js';
import { bySoonestEnd, daysBetween, localDateOf, nextEnd, supportPhase, type Product, type ProductVersion } from '../../domain/support-window.js';

/** The support windows as plain text lines, for chat and the terminal alike. */
export function supportWindowsText(config: Pick<Config, 'products'>, now: number): string {
  if (config.products.length === 0) return 'No products are configured (products: in tierdesk.yaml).';
  const rows = bySoonestEnd(
    config.products.flatMap((product) => product.versions.map((version) => ({ product, version }))),
    now,
  );
  return ['Support windows, soonest end first:', ...rows.map((r) => `  ${windowLine(r.product, r.version, now)}`)].join('\n');
}

function windowLine(p: Product, v: ProductVersion, now: number): string {
  const today = localDateOf(now, p.zone);
  const phase = supportPhase(v, today);
  const end = nextEnd(v, today);
  const left = end !== undefined ? daysBetween(today, end) : undefined;
  const state =
    phase === 'upcoming'
      ? `released ${v.released}`
      : phase === 'supported'
        ? `supported until ${v.endOfSupport}`
        : phase === 'extended'
          ? `extended support until ${v.endOfExtendedSupport} (standard support ended ${v.endOfSupport})`
          : `out of support since ${v.endOfExtendedSupport ?? v.endOfSupport}`;
  const days = left !== undefined ? ` (${left} day${left === 1 ? '' : 's'} left)` : '';
  const ext = phase === 'supported' && v.endOfExtendedSupport ? `, extended until ${v.endOfExtendedSupport}` : '';
  return `${p.name} ${v.name}${v.lts ? ' LTS' : ''}: ${state}${days}${ext}${p.zone !== 'UTC' ? ` [${p.zone}]` : ''}`;
}
