/**
 * web.*: the dashboard's server side on a SQLite file in WAL mode.
 * - `web.queue_ms_10k`: the queue page (`/`, as a lead: every tier, the next SLA deadline first) with
 *   10,000 open tickets opened through the use case (so each has its SLA timers): the median of 30
 *   renders of the first page, timed in the server (query, time left of the 50 rows shown, HTML).
 * - `web.sse_fanout_ms`: one ticket change (a claim from chat) reaching 100 open dashboards over
 *   Server-Sent Events on loopback: from the change's start to the last dashboard's event, median of 10.
 * Goals: < 100 ms and < 200 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startSession } from '../adapters/web/auth.js';
import { queueHtml } from '../adapters/web/queue-page.js';
import { createWebServer } from '../adapters/web/server.js';
import { viewerOf } from '../adapters/web/viewer.js';
import { openTicket } from '../src/capabilities/tickets/open-ticket.js';
import { loadConfig } from '../src/config/config.js';
import { createDesk, type Desk } from '../src/core/desk.js';
import { createMemoryLogger } from '../src/logger.js';
import { systemClock } from '../src/ports.js';
import { openDatabase } from '../src/store/connect.js';
import { migrateToLatest } from '../src/store/migrate.js';

type Emit = (name: string, value: number, unit: string) => void;

const TICKETS = Number(process.env.TIERDESK_BENCH_WEB_TICKETS ?? 10_000);
const DASHBOARDS = 100;
const YAML = `
people:
  ann: { name: Ann Asker, console: ann }
  agent1: { name: Agent One, console: agent1 }
  agent2: { name: Agent Two, console: agent2 }
  lena: { name: Lena Lead, console: lena }
tiers:
  - { id: L1, name: Help desk, agents: [agent1], leads: [lena], channels: { console: l1-desk } }
  - { id: L2, name: Second level, agents: [agent2], channels: { console: l2-desk } }
calendars:
  office: { zone: UTC, hours: 24x7 }
sla:
  policies:
    - { priority: P2, first_response: 1 hour, resolution: 8 hours, calendar: office }
    - { priority: P3, first_response: 4 hours, resolution: 3 days, calendar: office }
    - { priority: P4, first_response: 8 hours, resolution: 5 days, calendar: office }
`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (v: number) => Math.round(v * 100) / 100;

export async function run(emit: Emit): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tierdesk-bench-web-'));
  const db = openDatabase(join(dir, 'bench.db'));
  try {
    await migrateToLatest(db);
    const desk = createDesk({ db, config: loadConfig({ text: YAML, env: {} }), clock: systemClock, logger: createMemoryLogger(), adapters: [] });
    await seed(desk);
    emit(TICKETS === 10_000 ? 'web.queue_ms_10k' : `web.queue_ms_${TICKETS}`, round(await queueTime(desk)), 'ms');
    emit('web.sse_fanout_ms', round(await fanout(desk)), 'ms');
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function seed(desk: Desk): Promise<void> {
  const levels = ['high', 'medium', 'low'];
  const place = { platform: 'console' as const, space: 'local', channel: 'console' };
  for (let i = 0; i < TICKETS; i++) {
    // Many requesters, as in life (one person's opens take turns, and may be limited).
    const actor = desk.core.directory.actor({ platform: 'console', space: 'local', id: `requester${i % 500}`, name: `Requester ${i % 500}` });
    await openTicket(
      desk.core,
      { actor, place, key: `seed-${i}` },
      { title: `Printer ${i} on fire`, urgency: levels[i % 3]!, impact: levels[(i >> 2) % 3]! },
    );
  }
}

async function queueTime(desk: Desk): Promise<number> {
  const { session } = await startSession(desk.core.db, 'lena', desk.core.clock.now());
  const viewer = (await viewerOf(desk.core, session))!;
  const html = await queueHtml(desk.core, viewer, new URLSearchParams());
  if (!html.includes(`${TICKETS} tickets`)) throw new Error('the queue does not show every open ticket');
  for (let i = 0; i < 5; i++) await queueHtml(desk.core, viewer, new URLSearchParams());
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    await queueHtml(desk.core, viewer, new URLSearchParams());
    times.push(performance.now() - t0);
  }
  return median(times);
}

async function fanout(desk: Desk): Promise<number> {
  const web = createWebServer({ desk, secret: 'bench-secret-of-at-least-thirty-two-characters', secure: false });
  await new Promise<void>((resolve) => web.server.listen(0, '127.0.0.1', resolve));
  const port = (web.server.address() as AddressInfo).port;
  const streams: IncomingMessage[] = [];
  let waiting: { left: number; done: () => void } | undefined;
  try {
    for (let i = 0; i < DASHBOARDS; i++) {
      const { token } = await startSession(desk.core.db, i % 2 === 0 ? 'agent1' : 'lena', desk.core.clock.now());
      const res = await new Promise<IncomingMessage>((resolve, reject) =>
        get({ host: '127.0.0.1', port, path: '/events', headers: { cookie: `tierdesk_session=${token}` } }, resolve).on('error', reject),
      );
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (waiting && chunk.includes('event: tickets') && --waiting.left === 0) waiting.done();
      });
      streams.push(res);
    }
    while (web.live.size < DASHBOARDS) await new Promise((r) => setImmediate(r));
    const actor = desk.core.directory.actor({ platform: 'console', space: 'local', id: 'agent1', name: 'agent1' });
    const place = { platform: 'console' as const, space: 'local', channel: 'l1-desk' };
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const all = new Promise<void>((done) => (waiting = { left: DASHBOARDS, done }));
      const t0 = performance.now();
      await desk.handle({
        key: `fanout-${i}`,
        at: Date.now(),
        from: actor.person,
        place,
        kind: 'command',
        name: 'ticket',
        args: { sub: 'note', number: String(i + 1), text: 'seen' },
      });
      await all;
      times.push(performance.now() - t0);
    }
    return median(times);
  } finally {
    for (const s of streams) s.destroy();
    await web.close();
  }
}
