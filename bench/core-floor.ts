import SQLite from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import { createIdSource } from '../src/core/ids.js';

/** One ticket's rows as the use case wrote them, taken from the database after one real open. */
interface Template {
  ticket: Record<string, unknown>;
  event: Record<string, unknown>;
  outbox: Array<Record<string, unknown>>;
  timers: Array<Record<string, unknown>>;
}

/**
 * core.open_ticket_floor_per_s: what SQLite itself needs to open a ticket. Raw better-sqlite3 with
 * prepared statements writes the rows `openTicket` writes (inbound key, counter bump, ticket, event,
 * metric count, the two outbox rows in one statement, the SLA timers in one statement), one
 * transaction each, into the same migrated schema on a WAL file with the same pragmas. The rows are
 * copies of the ones the use case wrote for its first ticket in `file` (same sizes), with new keys.
 * The use case's reads (the same-ticket lookup, routing) are not in the floor: it is what writing costs.
 */
export function openTicketFloor(file: string, tickets: number): { perSecond: number; cpuMicros: number } {
  const db = new SQLite(file);
  try {
    for (const pragma of ['journal_mode = WAL', 'synchronous = NORMAL', 'busy_timeout = 5000', 'foreign_keys = ON', 'wal_autocheckpoint = 10000'])
      db.pragma(pragma);
    const t = template(db);
    const newId = createIdSource(() => Date.now());
    const write = prepareWrites(db, t);
    const open = db.transaction((i: number) => write(i, newId));
    for (let i = 0; i < 200; i++) open(-1 - i); // warm-up, not measured
    const start = performance.now();
    const cpu = process.cpuUsage();
    for (let i = 0; i < tickets; i++) open(i);
    const used = process.cpuUsage(cpu);
    return { perSecond: Math.round(tickets / ((performance.now() - start) / 1000)), cpuMicros: Math.round((used.user + used.system) / tickets) };
  } finally {
    db.close();
  }
}

function template(db: SQLite.Database): Template {
  const ticket = db.prepare('select * from tickets order by number limit 1').get() as Record<string, unknown> | undefined;
  if (!ticket) throw new Error('the floor copies the rows of a ticket the use case opened; there is none');
  const n = ticket.number;
  return {
    ticket,
    event: db.prepare('select * from ticket_events where ticket = ? limit 1').get(n) as Record<string, unknown>,
    outbox: db.prepare('select * from outbox where ticket = ? order by id').all(n) as Array<Record<string, unknown>>,
    // The number as text: better-sqlite3 binds a JS number as a real, and `1.0:%` matched no timer, so the floor wrote none.
    timers: db.prepare("select * from timers where subject like ? || ':%'").all(String(n)) as Array<Record<string, unknown>>,
  };
}

function insertSql(table: string, columns: string[], rows: number, tail = ''): string {
  const one = `(${columns.map(() => '?').join(', ')})`;
  return `insert into ${table} (${columns.join(', ')}) values ${Array.from({ length: rows }, () => one).join(', ')}${tail}`;
}

function prepareWrites(db: SQLite.Database, t: Template): (i: number, newId: () => string) => void {
  const ticketCols = Object.keys(t.ticket);
  const eventCols = Object.keys(t.event);
  const outboxCols = Object.keys(t.outbox[0]!);
  const timerCols = Object.keys(t.timers[0] ?? {});
  const inboundKey = db.prepare('insert into inbound_keys (key, at) values (?, ?) on conflict (key) do nothing');
  const bump = db.prepare("update counters set value = value + 1 where name = 'ticket' returning value").pluck();
  const ticket = db.prepare(insertSql('tickets', ticketCols, 1));
  const event = db.prepare(insertSql('ticket_events', eventCols, 1));
  const count = db.prepare(
    'insert into metric_counts (metric, tier, priority, platform, shard, value) values (?, ?, ?, ?, ?, 1) ' +
      'on conflict (metric, tier, priority, platform, shard) do update set value = metric_counts.value + 1',
  );
  const outbox = db.prepare(insertSql('outbox', outboxCols, t.outbox.length));
  const timers =
    t.timers.length > 0
      ? db.prepare(
          insertSql(
            'timers',
            timerCols,
            t.timers.length,
            ' on conflict (id) do update set due_at = excluded.due_at, next_at = excluded.next_at, data = excluded.data, attempts = 0, lease_until = null',
          ),
        )
      : undefined;
  return (i, newId) => {
    const now = Date.now();
    inboundKey.run(`floor-${i}`, now);
    const number = bump.get() as number;
    ticket.run(ticketCols.map((c) => (c === 'number' ? number : c === 'created_at' || c === 'updated_at' ? now : t.ticket[c])));
    event.run(eventCols.map((c) => (c === 'ticket' ? number : c === 'id' ? newId() : c === 'at' ? now : t.event[c])));
    count.run('opened', t.ticket.tier, t.ticket.priority, t.ticket.requester_platform, i & 7);
    outbox.run(
      t.outbox.flatMap((r) =>
        outboxCols.map((c) => (c === 'id' ? newId() : c === 'ticket' ? number : c === 'message_key' ? `${String(r[c])}:${number}` : r[c])),
      ),
    );
    timers?.run(
      t.timers.flatMap((r) =>
        timerCols.map((c) => (c === 'id' ? `${String(r[c])}:${number}` : c === 'subject' ? `${number}:${String(r[c])}` : r[c])),
      ),
    );
  };
}
