import { SqliteAdapter, sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

/**
 * On PostgreSQL, ticket numbers come from a sequence instead of the `counters` row: the row is
 * locked from the increment to the commit (its fsync included), so every replica opening a ticket
 * queued behind every other. A sequence hands out numbers without holding anything; the price is a
 * gap when a transaction that took a number rolls back. It continues from the counter. SQLite has
 * one writer at a time anyway and keeps the counter (and gap-free numbers).
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  await sql`create sequence ticket_numbers`.execute(db);
  await sql`select setval('ticket_numbers', coalesce((select value from counters where name = 'ticket'), 0) + 1, false)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) return;
  // Back to the counter, continuing where the sequence was.
  await sql`insert into counters (name, value) select 'ticket', coalesce(max(number), 0) from tickets
            on conflict (name) do update set value = greatest(counters.value, excluded.value)`.execute(db);
  await sql`drop sequence ticket_numbers`.execute(db);
}
