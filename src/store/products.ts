import type { Db } from './connect.js';

/** The thresholds (days before the end of support) already warned about for a product version. */
export async function warningsSent(db: Db, product: string, version: string): Promise<number[]> {
  const rows = await db.selectFrom('product_warnings').select('threshold').where('product', '=', product).where('version', '=', version).execute();
  return rows.map((r) => Number(r.threshold));
}

/** Record warnings as sent; a threshold already recorded (another replica) is left as it was. */
export async function recordWarnings(db: Db, product: string, version: string, thresholds: readonly number[], at: number): Promise<void> {
  if (thresholds.length === 0) return;
  await db
    .insertInto('product_warnings')
    .values(thresholds.map((threshold) => ({ product, version, threshold, sent_at: at })))
    .onConflict((oc) => oc.columns(['product', 'version', 'threshold']).doNothing())
    .execute();
}

/** Tickets opened in [from, to), counted by product and version (`null` where none was given), by name. */
export async function ticketsByProduct(
  db: Db,
  from: number,
  to: number,
): Promise<Array<{ product: string | null; version: string | null; opened: number; open: number }>> {
  const rows = await db
    .selectFrom('tickets')
    .select((eb) => [
      'product',
      'product_version',
      eb.fn.countAll<number>().as('opened'),
      eb.fn.sum<number>(eb.case().when('status', 'not in', ['resolved', 'closed']).then(1).else(0).end()).as('open'),
    ])
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .groupBy(['product', 'product_version'])
    .execute();
  // Sorted here: the dialects put NULL at opposite ends. Tickets without a product come last.
  const key = (v: string | null) => (v === null ? '\uffff' : v);
  return rows
    .map((r) => ({ product: r.product, version: r.product_version, opened: Number(r.opened), open: Number(r.open ?? 0) }))
    .sort((a, b) => key(a.product).localeCompare(key(b.product)) || key(a.version).localeCompare(key(b.version)));
}
