/**
 * The daily end-of-support check: each product's owner tier is warned 90 and 30 days before a
 * version's standard support ends, once for each (recorded in `product_warnings`). A desk that was
 * down when a threshold passed warns at its next check, once, with the days that are left.
 */
import { card } from '../../core/render.js';
import { inTransaction, type Core, type Work } from '../../core/work.js';
import { dueWarning, localDateOf } from '../../domain/support-window.js';
import { recordWarnings, warningsSent } from '../../store/products.js';

export const EOS_TIMER = 'products.eos';
export const WARN_DAYS = [90, 30] as const;
const DAY = 86_400_000;

/** The timer's handler: warn what is due, then check again in a day. */
export async function checkEndsOfSupport(core: Core, work: Work): Promise<void> {
  for (const p of core.config.products) {
    const tier = p.owner !== undefined ? core.directory.tier(p.owner) : undefined;
    if (!tier) continue;
    const today = localDateOf(work.now, p.zone);
    for (const v of p.versions) {
      const due = dueWarning(v.endOfSupport, today, WARN_DAYS, await warningsSent(work.db, p.name, v.name));
      if (!due) continue;
      await recordWarnings(work.db, p.name, v.name, due.covers, work.now);
      const when = due.days === 0 ? 'today' : `in ${due.days} day${due.days === 1 ? '' : 's'}, on ${v.endOfSupport}`;
      const ext = v.endOfExtendedSupport ? ` Extended support runs until ${v.endOfExtendedSupport}.` : '';
      await work.post(
        { kind: 'place', place: core.directory.agentChannel(tier, 'slack', '') },
        card({
          title: `⏳ ${p.name} ${v.name}: standard support ends ${when}`,
          text: `Tickets about it will be flagged from then on.${ext}`,
          tone: 'warning',
        }),
      );
    }
  }
  await work.setTimer(EOS_TIMER, 'daily', work.now + DAY);
}

/** At start: check now (a missed day is caught up), when any product has an owner to warn. */
export async function armEndOfSupportCheck(core: Core): Promise<void> {
  if (!core.config.products.some((p) => p.owner !== undefined)) return;
  await inTransaction(core, (work) => work.setTimer(EOS_TIMER, 'daily', work.now));
}
