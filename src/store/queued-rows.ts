import type { QueryCreator } from 'kysely';
import { runCompiled } from './compiled.js';
import type { Db } from './connect.js';
import { dialectOf } from './dialect.js';
import { insertOutbox, outboxInsert, outboxValues, type NewOutboxItem } from './outbox.js';
import type { Database } from './schema.js';
import { setTimers, timersUpsert, timerValues, type NewTimer } from './timers.js';

/**
 * Write what a unit of work queued: its outbox rows (one multi-row insert) and its timers (one
 * upsert). On PostgreSQL both are one statement, the outbox insert a CTE of the timers' upsert: a
 * round trip fewer for every change that posts and moves a clock. SQLite runs the two.
 */
export async function writeQueuedRows(db: Db, items: readonly NewOutboxItem[], timers: readonly NewTimer[], now: number): Promise<void> {
  if (items.length === 0 || timers.length === 0 || dialectOf(db) !== 'postgres') {
    await insertOutbox(db, [...items]);
    await setTimers(db, timers, now);
    return;
  }
  const outbox = outboxValues(items);
  await runCompiled(db, `outbox_and_timers:${items.length}:${timers.length}`, [...outbox, ...timerValues(timers, now)], (slot) =>
    timersUpsert(
      db.with('outbox', (q) => outboxInsert(q, slot, items.length, 0)) as unknown as QueryCreator<Database>,
      slot,
      timers.length,
      outbox.length,
    ),
  );
}
