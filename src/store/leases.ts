import { ColumnNode, TableNode, UpdateQueryNode, ValueNode } from 'kysely';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryId, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { Logger } from '../ports.js';
import type { Db } from './connect.js';

type LeasedTable = 'outbox' | 'timers';

/**
 * Remembers the leases this process takes (outbox rows and timers: `lease_until` set by a
 * conditional update that returns the rows won), so that a stopping process can give back exactly
 * its own (same row, same lease value) and never another replica's. Leases carry no holder in the
 * database; this process's memory is what tells them apart.
 *
 * A kysely plugin: it reads each UPDATE of `outbox` or `timers` that sets `lease_until` to a
 * number, and the ids that UPDATE returned. Leases given back or expired are simply not found
 * again when released (the release is conditional on the value), and expired ones are forgotten.
 */
export class LeaseTracker implements KyselyPlugin {
  /** Per table: row id → the `lease_until` this process wrote. */
  readonly held: Record<LeasedTable, Map<string, number>> = { outbox: new Map(), timers: new Map() };
  readonly #pending = new WeakMap<QueryId, { table: LeasedTable; until: number }>();
  #pruneAbove = 1024;

  constructor(private readonly now: () => number = Date.now) {}

  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    const lease = leaseSetBy(node);
    if (lease) this.#pending.set(queryId, lease);
    return node;
  }

  async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const lease = this.#pending.get(queryId);
    if (!lease) return result;
    this.#pending.delete(queryId);
    const held = this.held[lease.table];
    for (const row of result.rows) if (typeof row.id === 'string') held.set(row.id, lease.until);
    if (held.size > this.#pruneAbove) {
      const now = this.now();
      for (const [id, until] of held) if (until <= now) held.delete(id);
      this.#pruneAbove = Math.max(1024, 2 * held.size);
    }
    return result;
  }
}

/** `UPDATE outbox|timers SET lease_until = <number> …`: which table, and the lease's end. */
function leaseSetBy(node: RootOperationNode): { table: LeasedTable; until: number } | undefined {
  if (!UpdateQueryNode.is(node) || !node.table || !TableNode.is(node.table)) return undefined;
  const table = node.table.table.identifier.name;
  if (table !== 'outbox' && table !== 'timers') return undefined;
  for (const update of node.updates ?? []) {
    if (!ColumnNode.is(update.column) || update.column.column.name !== 'lease_until' || !ValueNode.is(update.value)) continue;
    const value = update.value.value;
    return typeof value === 'number' ? { table, until: value } : undefined;
  }
  return undefined;
}

/** The same database, with the leases this process takes through it remembered (see LeaseTracker). */
export function trackLeases(db: Db, now: () => number = Date.now): Db {
  return db.withPlugin(new LeaseTracker(now));
}

function trackerOf(db: Db): LeaseTracker | undefined {
  return db.getExecutor().plugins.find((p): p is LeaseTracker => p instanceof LeaseTracker);
}

/**
 * Give back every lease this process still holds, so that another replica takes that work now
 * rather than when the lease runs out: outbox rows become free to lease, timers due now. Only a
 * row still carrying the very lease this process wrote is touched. Call it once the dispatcher and
 * scheduler have stopped (nothing of ours is being delivered or fired any more). Without tracking
 * (a database not opened through `trackLeases`) it does nothing. Never throws: a database that
 * cannot be reached keeps the leases until they expire, which is only slower.
 */
export async function releaseHeldLeases(db: Db, now: number, logger?: Logger): Promise<{ outbox: number; timers: number }> {
  const released = { outbox: 0, timers: 0 };
  const tracker = trackerOf(db);
  if (!tracker) return released;
  try {
    for (const table of ['outbox', 'timers'] as const) {
      const byLease = new Map<number, string[]>();
      for (const [id, until] of tracker.held[table]) {
        if (until <= now) continue; // expired: free for anyone already
        const ids = byLease.get(until);
        if (ids) ids.push(id);
        else byLease.set(until, [id]);
      }
      for (const [until, ids] of byLease) {
        for (let i = 0; i < ids.length; i += 500) {
          const chunk = ids.slice(i, i + 500);
          const result =
            table === 'outbox'
              ? await db
                  .updateTable('outbox')
                  .set({ lease_until: null })
                  .where('id', 'in', chunk)
                  .where('lease_until', '=', until)
                  .where('status', '=', 'pending')
                  .executeTakeFirst()
              : await db
                  .updateTable('timers')
                  .set({ lease_until: null, next_at: now })
                  .where('id', 'in', chunk)
                  .where('lease_until', '=', until)
                  .executeTakeFirst();
          released[table] += Number(result.numUpdatedRows);
        }
      }
      tracker.held[table].clear();
    }
  } catch (err) {
    logger?.warn('could not give back leases; they expire on their own', { error: err instanceof Error ? err.message : String(err) });
    return released;
  }
  if (released.outbox + released.timers > 0) logger?.info('leases given back', released);
  return released;
}

/**
 * Void every lease in the database: outbox rows become free to lease, leased timers due now. Only
 * for a database no other live process uses (a SQLite file under this process's lock): every lease
 * in it was taken by a process that died, and waiting for it to run out only delays messages.
 */
export async function releaseAllLeases(db: Db, now: number): Promise<{ outbox: number; timers: number }> {
  const outbox = await db.updateTable('outbox').set({ lease_until: null }).where('lease_until', 'is not', null).executeTakeFirst();
  const timers = await db.updateTable('timers').set({ lease_until: null, next_at: now }).where('lease_until', 'is not', null).executeTakeFirst();
  return { outbox: Number(outbox.numUpdatedRows), timers: Number(timers.numUpdatedRows) };
}
