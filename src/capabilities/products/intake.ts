/**
 * Intake of a ticket about a product: known names only (an unknown one gets a "did you mean"), a
 * version past its support is accepted and flagged, past extended support the product's policy
 * applies (accept, refuse, or route to a tier), and the requester is told plainly what that means.
 */
import type { IntakeFields } from '../../core/capability.js';
import { requesterThread } from '../tickets/access.js';
import { card } from '../../core/render.js';
import type { Core, Work } from '../../core/work.js';
import type { Config } from '../../config/config.js';
import { findProduct, splitProductVersion } from '../../config/products.js';
import { editDistance } from '../../config/shape.js';
import { UserError } from '../../domain/errors.js';
import { cleanLine } from '../../domain/text.js';
import { lastDayOfSupport, localDateOf, phaseAt, supportedVersions, type Product, type ProductVersion } from '../../domain/support-window.js';
import { loadTicket } from '../tickets/ticket-model.js';

/** The closest of `names` to `typed`, when close enough to be a slip. */
export function closest(typed: string, names: readonly string[]): string | undefined {
  const t = typed.toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const name of names) {
    const n = name.toLowerCase();
    const d = n.startsWith(t) || t.startsWith(n) ? 1 : editDistance(t, n);
    if (d <= Math.max(2, Math.floor(n.length / 3)) && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

const shown = (s: string) => `"${cleanLine(s).slice(0, 60)}"`;

/** Settle the product and version names; refuse unknown ones and, by policy, unsupported versions. */
export function productIntake(config: Config, f: IntakeFields, now: number): Partial<IntakeFields> {
  if (f.product === undefined) return {};
  // A product named with its version in one field is split here, for every surface alike.
  const split = f.version === undefined ? splitProductVersion(config, f.product) : undefined;
  if (config.products.length === 0) return split ?? {};
  if (split) return productIntake(config, { ...f, ...split }, now);
  const p = findProduct(config, f.product);
  if (!p) {
    const guess = closest(
      f.product,
      config.products.flatMap((x) => [x.name, ...x.aliases]),
    );
    const guessed = guess !== undefined ? findProduct(config, guess)!.name : undefined;
    throw new UserError(
      'unknown_product',
      `${shown(f.product)} is not a product we support${guessed ? `; did you mean ${guessed}?` : '.'} Products: ${config.products.map((x) => x.name).join(', ')}.`,
      'product',
    );
  }
  if (f.version === undefined) return { product: p.name };
  const typed = f.version.trim().replace(/^v(?=\d)/i, '');
  const v = p.versions.find((x) => x.name.toLowerCase() === typed.toLowerCase());
  if (!v) {
    const guess = closest(
      typed,
      p.versions.map((x) => x.name),
    );
    throw new UserError(
      'unknown_version',
      `${p.name} has no version ${shown(f.version)}${guess ? `; did you mean ${guess}?` : '.'} Versions: ${p.versions.map((x) => x.name).join(', ')}.`,
      'version',
    );
  }
  if (phaseAt(p, v, now) !== 'ended') return { product: p.name, version: v.name };
  if (p.unsupported.kind === 'refuse')
    throw new UserError('unsupported_version', `${p.name} ${v.name} is no longer supported: ${endedText(p, v, now)}`, 'version');
  return { product: p.name, version: v.name, ...(p.unsupported.kind === 'route' ? { tier: p.unsupported.tier } : {}) };
}

/** "Support ended on DATE. Supported versions: …" */
function endedText(p: Product, v: ProductVersion, now: number): string {
  const ext = v.endOfExtendedSupport !== undefined ? `; extended support ended on ${v.endOfExtendedSupport}` : '';
  return `its support ended on ${v.endOfSupport}${ext}. ${moveTo(p, now)}`;
}

function moveTo(p: Product, now: number): string {
  const ok = supportedVersions(p, localDateOf(now, p.zone));
  if (ok.length === 0) return `No version of ${p.name} is in standard support now.`;
  return `Supported versions you can move to: ${ok.map((x) => `${x.name}${x.lts ? ' (LTS)' : ''} until ${x.endOfSupport}`).join(', ')}.`;
}

/** The `ticket.opened` hook: tell the requester when the version they named is past its support. */
export async function tellAboutSupport(core: Core, work: Work, number: number): Promise<void> {
  if (core.config.products.length === 0) return; // no product to tell about: no need to read the ticket
  const t = await loadTicket(work.db, number);
  const p = t.product !== undefined ? core.config.products.find((x) => x.name === t.product) : undefined;
  const v = p?.versions.find((x) => x.name === t.version);
  if (!p || !v) return;
  const phase = phaseAt(p, v, t.createdAt);
  if (phase !== 'extended' && phase !== 'ended') return;
  const text =
    phase === 'extended'
      ? `${p.name} ${v.name} reached the end of its standard support on ${v.endOfSupport}; it has extended support until ${v.endOfExtendedSupport}. We are looking at your ticket. ${moveTo(p, t.createdAt)}`
      : `${p.name} ${v.name} is out of support: ${endedText(p, v, t.createdAt)} We have your ticket, but help for this version may be limited${
          p.unsupported.kind === 'route' ? ` (it went to ${core.directory.tier(p.unsupported.tier)?.name ?? p.unsupported.tier})` : ''
        }.`;
  await work.post(requesterThread(t), card({ title: `ℹ #${t.number}: ${p.name} ${v.name} support`, text, tone: 'warning' }), { ticket: number });
  await work.event(number, 'system', 'version_unsupported', { product: p.name, version: v.name, phase, last_day: lastDayOfSupport(v) });
}
