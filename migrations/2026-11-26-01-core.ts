import { SqliteAdapter, sql, type CreateTableBuilder, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

/**
 * On SQLite, a table whose primary key is not a single integer is stored twice (the rowid b-tree and
 * the key's own index), so every insert dirties two pages where one would do, and WAL commits cost
 * per dirty page. For narrow rows keyed by text, WITHOUT ROWID keeps one b-tree. PostgreSQL has no
 * such clause and no such cost.
 */
function narrowTextKeyed(db: Kysely<any>) {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  return <T extends string, C extends string>(table: CreateTableBuilder<T, C>) => (sqlite ? table.modifyEnd(sql`without rowid`) : table);
}

export async function up(db: Kysely<any>): Promise<void> {
  const narrow = narrowTextKeyed(db);
  await db.schema
    .createTable('tickets')
    .addColumn('number', 'integer', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('category', 'text')
    .addColumn('product', 'text')
    .addColumn('product_version', 'text')
    .addColumn('impact', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requester_platform', 'text', (c) => c.notNull())
    .addColumn('requester_space', 'text', (c) => c.notNull())
    .addColumn('requester_id', 'text', (c) => c.notNull())
    .addColumn('requester_name', 'text', (c) => c.notNull())
    .addColumn('origin', 'text')
    .addColumn('assignee', 'text')
    .addColumn('assignee_name', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('first_response_at', 'bigint')
    .addColumn('resolved_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('resolution', 'text')
    .addColumn('revision', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tickets_status_tier').on('tickets').columns(['status', 'tier']).execute();
  await db.schema.createIndex('tickets_requester').on('tickets').columns(['requester_platform', 'requester_space', 'requester_id']).execute();

  // Keyed by (ticket, id): a ticket's history is one range of the key, with no second index to write.
  await db.schema
    .createTable('ticket_events')
    .$call(narrow)
    .addColumn('ticket', 'integer', (c) => c.notNull().references('tickets.number'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_events_pk', ['ticket', 'id'])
    .execute();

  await db.schema
    .createTable('counters')
    .$call(narrow)
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('messages')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('space', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('thread', 'text')
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('ticket', 'integer')
    .addColumn('side', 'text')
    .addColumn('posted_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('messages_by_platform_id').on('messages').columns(['platform', 'channel', 'message_id']).execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('op', 'text', (c) => c.notNull())
    .addColumn('message_key', 'text')
    .addColumn('ticket', 'integer')
    .addColumn('side', 'text')
    .addColumn('card', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'bigint')
    .execute();
  // Reading the pending rows in order must not sort the whole backlog on every pass; knowing when
  // the next one is due must not scan it either.
  await db.schema.createIndex('outbox_pending').on('outbox').columns(['status', 'id']).execute();
  await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();

  // `next_at` is when the scheduler should look at a timer: its due time, or, while it is leased or
  // backing off after a failure, the end of that lease. One index serves finding due work and
  // knowing when to wake up. `due_at` keeps the original due time (for lateness).
  await db.schema
    .createTable('timers')
    .$call(narrow)
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('next_at', 'bigint', (c) => c.notNull())
    .addColumn('data', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('lease_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('timers_next').on('timers').columns(['next_at']).execute();

  await db.schema
    .createTable('inbound_keys')
    .$call(narrow)
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['inbound_keys', 'timers', 'outbox', 'messages', 'counters', 'ticket_events', 'tickets']) {
    await db.schema.dropTable(table).execute();
  }
}
