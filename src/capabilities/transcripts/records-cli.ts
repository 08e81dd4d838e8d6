/**
 * `tierdesk export` and `tierdesk purge`, as functions the CLI calls (src/cli.ts wires them).
 * Export streams: a page of tickets at a time (keyset on the number), each line written as soon as
 * it is made, waiting for the output to drain when it asks to, so memory stays that of one page.
 */
import { once } from 'node:events';
import type { Config } from '../../config/config.js';
import { inTransaction, type Core } from '../../core/work.js';
import type { Logger } from '../../ports.js';
import { systemClock } from '../../ports.js';
import { createDesk } from '../../core/desk.js';
import { openDatabase, type Db } from '../../store/connect.js';
import { migrateToLatest } from '../../store/migrate.js';
import { erasePersonWords, eventsBy, exportPage, ticketsRaisedBy, type PersonRef } from '../../store/records.js';
import type { EventRow } from '../../store/schema.js';
import { decodeEvent } from '../../store/events.js';
import type { TicketRecord } from '../../store/tickets.js';

type Say = (text: string) => void;
const DAY = 86_400_000;
const PAGE = 500;

export interface ExportOptions {
  from?: number;
  to?: number;
  format: 'jsonl' | 'csv';
}

/** `--from 2024-01-01 --to 2024-12-31 --format jsonl|csv` → options, or a one-line reason. */
export function exportOptions(flags: { from?: string; to?: string; format?: string }): ExportOptions | string {
  const format = flags.format ?? 'jsonl';
  if (format !== 'jsonl' && format !== 'csv') return `--format must be jsonl or csv, not "${format}"`;
  const from = flags.from !== undefined ? dayOrInstant(flags.from, false) : undefined;
  const to = flags.to !== undefined ? dayOrInstant(flags.to, true) : undefined;
  if (typeof from === 'string') return `--from ${from}`;
  if (typeof to === 'string') return `--to ${to}`;
  if (from !== undefined && to !== undefined && from >= to) return '--from must be before --to';
  return { format, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

/** A date (`2024-03-08`, a whole UTC day; `end`: the day after it) or an ISO instant with a zone. */
function dayOrInstant(text: string, end: boolean): number | string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`))) return Date.parse(`${text}T00:00:00Z`) + (end ? DAY : 0);
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/i.test(text) && !Number.isNaN(Date.parse(text))) return Date.parse(text);
  return `${JSON.stringify(text)} is not a date (2024-03-08) or an ISO-8601 instant with a zone (2024-03-08T21:00:00Z)`;
}

const iso = (ms: unknown) => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());

/** A ticket and its events as one export record: instants in ISO-8601 UTC, JSON columns unpacked. */
export function exportRecord(t: TicketRecord, events: EventRow[]): Record<string, unknown> {
  return {
    number: Number(t.number),
    title: t.title,
    description: t.description,
    status: t.status,
    priority: t.priority,
    impact: t.impact,
    urgency: t.urgency,
    tier: t.tier,
    category: t.category,
    product: t.product,
    version: t.product_version,
    requester: { platform: t.requester_platform, space: t.requester_space, id: t.requester_id, name: t.requester_name },
    assignee: t.assignee,
    created_at: iso(t.created_at),
    first_response_at: iso(t.first_response_at),
    resolved_at: iso(t.resolved_at),
    closed_at: iso(t.closed_at),
    resolution: t.resolution,
    sla_policy: t.sla_policy,
    events: events.map(decodeEvent).map((e) => ({ id: e.id, at: iso(e.at), actor: e.actor, kind: e.kind, data: e.data })),
  };
}

const CSV_COLUMNS = ['number', 'title', 'description', 'status', 'priority', 'impact', 'urgency', 'tier', 'category', 'product', 'version'].concat([
  'requester',
  'assignee',
  'created_at',
  'first_response_at',
  'resolved_at',
  'closed_at',
  'resolution',
  'sla_policy',
  'events',
]);

/** RFC 4180: every field quoted, quotes doubled; objects as JSON. */
function csvLine(record: Record<string, unknown>): string {
  const cell = (v: unknown) =>
    v === null || v === undefined ? '' : `"${(typeof v === 'object' ? JSON.stringify(v) : String(v)).replace(/"/g, '""')}"`;
  return CSV_COLUMNS.map((c) => cell(record[c])).join(',') + '\r\n';
}

/** Write `chunk`, waiting for the stream to drain when its buffer is full (backpressure). */
async function write(out: NodeJS.WritableStream, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** Stream every ticket created in the range, with its events, to `out`. Returns how many. */
export async function exportTickets(db: Db, opts: ExportOptions, out: NodeJS.WritableStream, pageSize = PAGE): Promise<number> {
  if (opts.format === 'csv') await write(out, CSV_COLUMNS.join(',') + '\r\n');
  let after = 0;
  let count = 0;
  for (;;) {
    const page = await exportPage(db, opts, after, pageSize);
    for (const { ticket, events } of page) {
      const record = exportRecord(ticket, events);
      await write(out, opts.format === 'csv' ? csvLine(record) : JSON.stringify(record) + '\n');
      count++;
    }
    if (page.length < pageSize) return count;
    after = Number(page[page.length - 1]!.ticket.number);
  }
}

/** `tierdesk export [--from DATE] [--to DATE] [--format jsonl|csv]`: exit 0, or 2 for a usage mistake. */
export async function exportCommand(
  flags: { from?: string; to?: string; format?: string },
  config: Config,
  out: NodeJS.WritableStream,
  complain: Say,
): Promise<number> {
  const opts = exportOptions(flags);
  if (typeof opts === 'string') return (complain(`tierdesk export: ${opts}`), 2);
  const db = openDatabase(config.database.url);
  try {
    await migrateToLatest(db);
    await exportTickets(db, opts, out);
    return 0;
  } finally {
    await db.destroy();
  }
}

/** `slack:U0123` → the person, or a one-line reason. */
export function personArg(text: string | undefined): PersonRef | string {
  if (text === undefined) return '--requester is required: PLATFORM:ID, such as slack:U0123ABCD or discord:80351110224678912';
  const m = /^(slack|discord|console):(.+)$/.exec(text.trim());
  if (!m) return `--requester ${JSON.stringify(text)} is not PLATFORM:ID (platforms: slack, discord, console), such as slack:U0123ABCD`;
  return { platform: m[1]!, id: m[2]! };
}

/**
 * Erase one person's words: what they wrote in every ticket (messages, notes, replies, reasons),
 * and the titles, descriptions and rating comments of the tickets they raised. One transaction;
 * each ticket touched records a `words_erased` event. Without `yes` it only says what it would do.
 */
export async function purgeRequester(core: Core, person: PersonRef, yes: boolean): Promise<{ events: number; tickets: number; done: boolean }> {
  return inTransaction(core, async (work) => {
    const raised = await ticketsRaisedBy(work.db, person);
    const events: EventRow[] = [];
    for (let after: string | undefined = ''; after !== undefined;) {
      const page = await eventsBy(work.db, person, after, PAGE);
      events.push(...page.events);
      after = page.next;
    }
    const tickets = [...new Set([...raised, ...events.map((e) => Number(e.ticket))])].sort((a, b) => a - b);
    if (!yes) return { events: events.length, tickets: tickets.length, done: false };
    await erasePersonWords(work.db, person, raised, events);
    for (const t of tickets) await work.event(t, 'system', 'words_erased', { person: `${person.platform}:${person.id}` });
    return { events: events.length, tickets: tickets.length, done: true };
  });
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** `tierdesk purge --requester PLATFORM:ID [--yes]`. */
export async function purgeCommand(
  flags: { requester?: string; yes: boolean },
  config: Config,
  logger: Logger,
  say: Say,
  complain: Say,
): Promise<number> {
  const person = personArg(flags.requester);
  if (typeof person === 'string') return (complain(`tierdesk purge: ${person}`), 2);
  const db = openDatabase(config.database.url);
  try {
    await migrateToLatest(db);
    const desk = createDesk({ db, config, clock: systemClock, logger, adapters: [] });
    const r = await purgeRequester(desk.core, person, flags.yes);
    const who = `${person.platform}:${person.id}`;
    const what = `${count(r.events, 'entry', 'entries')} written by ${who} in ${count(r.tickets, 'ticket', 'tickets')}`;
    if (!r.done) {
      complain(`tierdesk purge: this would erase ${what}; run again with --yes to erase them.`);
      return 2;
    }
    say(`Erased ${what}.`);
    return 0;
  } finally {
    await db.destroy();
  }
}
