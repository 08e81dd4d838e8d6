import { afterEach, describe, expect, it } from 'vitest';
import { createSlackAdapter } from '../../adapters/slack/slack-adapter.js';
import { createDesk, type Desk } from '../../src/core/desk.js';
import { Directory } from '../../src/core/directory.js';
import { loadConfig } from '../../src/config/config.js';
import { createMemoryLogger } from '../../src/logger.js';
import { FakeClock, type ChatAdapter, type Inbound, type Reply } from '../../src/ports.js';
import type { Db } from '../../src/store/connect.js';
import { findMessage } from '../../src/store/messages.js';
import type { DialectName } from '../../src/store/dialect.js';
import { startFakeSlack, type FakeSlack, type RecordedCall } from '../fakes/slack-api/index.js';
import { createCatalogue } from '../../src/capabilities/index.js';
import { Recording } from '../fakes/recording.js';
import { testDatabase } from '../support/database.js';
import { migrateAmidOthers } from '../support/replica-process.js';

// Slack has an outage while tickets are worked: for 20 s every Web API call is answered HTTP 500,
// then for 20 s HTTP 429 with Retry-After: 5, then for 20 s every other message call fails (500).
// Tickets are opened, claimed, answered and noted all through it (inbound requests still reach
// tierdesk; only its calls out fail). Afterwards every message is delivered, exactly once, in order
// per ticket and side; a 429'd message is not tried again before its Retry-After; nothing is given up. The real Bolt App and WebClient talk to the fake
// over loopback; the dispatcher runs on a fake clock that the test moves, so nothing waits for real.
// SQLite always; PostgreSQL too when TIERDESK_TEST_PG_URL is set.

const BOT_TOKEN = 'xoxb-fault-token';
const SIGNING_SECRET = 'fault-signing-secret';
const EMPLOYEE = 'U0EMP';
const ANN = 'U0ANN';
const L1_DESK = 'C0L1DESK';
const YAML = `
people:
  ann: { name: Ann Agent, slack: U0ANN }
tiers:
  - { id: L1, name: Help desk, agents: [ann], channels: { slack: C0L1DESK } }
  - { id: L2, name: Second level, agents: [ann], channels: { slack: C0L2DESK } }
`;
const T0 = Date.parse('2024-06-03T09:00:00Z');
const RETRY_AFTER_S = 5;

interface Handled {
  event: Inbound;
  reply: Reply | void;
}

interface FaultDesk {
  slack: FakeSlack;
  desk: Desk;
  db: Db;
  clock: FakeClock;
  handled: Recording<Handled>;
  /** The adapter's HTTP endpoint (Bolt's receiver, HTTP mode). */
  url: string;
  close(): Promise<void>;
}

async function startDesk(dialect: DialectName): Promise<FaultDesk> {
  const clock = new FakeClock(T0);
  const slack = await startFakeSlack({
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    users: [
      { id: EMPLOYEE, name: 'erin', real_name: 'Erin Employee' },
      { id: ANN, name: 'ann', real_name: 'Ann Agent' },
    ],
    now: () => clock.now(),
  });
  const config = loadConfig({ text: YAML, env: {} });
  const db = await testDatabase(dialect);
  await migrateAmidOthers(db);
  const logger = createMemoryLogger();
  const adapter = createSlackAdapter({
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    apiUrl: slack.apiUrl,
    port: 0,
    host: '127.0.0.1',
    reaction: config.slack.reaction,
    surface: createCatalogue().surface('slack', config),
    defaults: { urgency: config.tickets.defaultUrgency, impact: config.tickets.defaultImpact },
    platformGroups: new Directory(config).platformGroups('slack'),
    logger,
    now: () => clock.now(),
  });
  const handled = new Recording<Handled>();
  const observed: ChatAdapter = {
    platform: adapter.platform,
    start: (deliver) =>
      adapter.start(async (event) => {
        const reply = await deliver(event);
        handled.add({ event, reply });
        return reply;
      }),
    stop: () => adapter.stop(),
    post: (place, card) => adapter.post(place, card),
    edit: (place, id, card) => adapter.edit(place, id, card),
    openDirect: (person) => adapter.openDirect(person),
  };
  const desk = createDesk({ db, config, clock, logger, adapters: [observed], dispatcher: { random: () => 0.5 } });
  await desk.start();
  if (!adapter.url) throw new Error('the Slack adapter is not listening');
  return {
    slack,
    desk,
    db,
    clock,
    handled,
    url: adapter.url,
    async close() {
      await desk.stop();
      handled.close(() => `Handled: ${handled.all.length}.`);
      await slack.stop();
      await db.destroy();
    },
  };
}

const dialects: DialectName[] = ['sqlite', ...(process.env.TIERDESK_TEST_PG_URL ? (['postgres'] as const) : [])];

let t: FaultDesk | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe.each(dialects)('Slack answers 500, then 429, for a while (%s)', (dialect) => {
  it(
    'every message is delivered afterwards, once, in order per ticket; Retry-After is honoured; nothing is given up',
    { timeout: 60_000 },
    async () => {
      const d = (t = await startDesk(dialect));
      const sender = d.slack.sender(d.url);

      /** A slash command; waits for the core to have handled it, then lets the dispatcher try. */
      const slash = async (user: string, channel: string, text: string): Promise<string> => {
        const sent = await sender.slashCommand({ command: '/ticket', text, user_id: user, channel_id: channel });
        const { reply } = await d.handled.waitFor(`/ticket ${text}`, (h) => JSON.stringify(h.event.raw ?? null).includes(sent.triggerId));
        await d.desk.dispatcher.drain();
        return reply?.text ?? '';
      };
      /** Time passes: the dispatcher retries whatever has come due. */
      const after = async (ms: number) => {
        d.clock.advance(ms);
        await d.desk.dispatcher.drain();
      };
      let tickets = 0;
      const open = async () => {
        const n = tickets + 1;
        expect(await slash(EMPLOYEE, 'C0RANDOM', `new Outage ticket ${n} --urgency high`)).toContain(`#${n} opened`);
        tickets = n;
        await slash(ANN, L1_DESK, `claim ${n}`);
      };

      // Two tickets are delivered before Slack fails, so their conversations fail mid-way; more are
      // opened during each phase (their cards and anchors fail too, and what belongs under them waits).
      await open();
      await open();
      expect(await d.db.selectFrom('outbox').select('id').where('status', '<>', 'sent').execute()).toEqual([]);
      const t1 = d.clock.now();
      const phases = { serverErrors: t1 + 20_000, rateLimited: t1 + 40_000, flaky: t1 + 60_000 };
      d.slack.web.failUntil(phases.serverErrors, { status: 500 });
      d.slack.web.failUntil(phases.rateLimited, { status: 429, retryAfter: RETRY_AFTER_S });
      // Then flaky: every other message fails, so a conversation's next message could go before the one
      // that just failed, if the dispatcher let it.
      d.slack.web.failUntil(phases.flaky, { status: 500 }, { methods: ['chat.postMessage', 'chat.update'], every: 2 });

      // Work goes on through all three phases: replies and notes on every ticket, a new ticket in each.
      const written: Array<{ ticket: number; kind: 'reply' | 'note'; text: string }> = [];
      let opened = { serverErrors: false, rateLimited: false, flaky: false };
      for (let round = 1; d.clock.now() < phases.flaky; round++) {
        const phase = d.clock.now() < phases.serverErrors ? 'serverErrors' : d.clock.now() < phases.rateLimited ? 'rateLimited' : 'flaky';
        if (!opened[phase]) {
          await open();
          opened = { ...opened, [phase]: true };
        }
        for (let n = 1; n <= tickets; n++) {
          for (const kind of ['reply', 'note'] as const) {
            const text = `${kind} ${n}.${round}.`; // the final dot: 1.2. is not a part of 1.20.
            await slash(ANN, L1_DESK, `${kind} ${n} ${text}`);
            written.push({ ticket: n, kind, text });
          }
          await after(1_000);
        }
      }
      const failed = d.slack.web
        .calls()
        .filter((c) => c.method === 'chat.postMessage' && c.status !== 200)
        .map((c) => c.status);
      expect(failed.filter((s) => s === 500).length).toBeGreaterThan(10);
      expect(failed.filter((s) => s === 429).length).toBeGreaterThan(10);

      // Afterwards: move time until every row is sent (backoff after a long outage is ~30 s).
      const deadline = d.clock.now() + 10 * 60_000;
      for (;;) {
        const left = await d.db.selectFrom('outbox').select(['id', 'status']).where('status', '<>', 'sent').execute();
        if (left.length === 0) break;
        expect(left.filter((r) => r.status === 'dead')).toEqual([]);
        if (d.clock.now() > deadline) throw new Error(`still undelivered after 10 minutes: ${left.length} rows`);
        await after(1_000);
      }
      await after(120_000); // nothing more goes out later

      // Exactly once: as many successful posts as post rows, and no text posted twice.
      const postRows = await d.db.selectFrom('outbox').select('id').where('op', '=', 'post').execute();
      const posts = d.slack.web.calls('chat.postMessage').filter(ok);
      expect(posts).toHaveLength(postRows.length);
      const texts = posts.map((c) => `${String(c.args.channel)}|${String(c.args.thread_ts ?? '')}|${String(c.args.text)}`);
      expect(new Set(texts).size).toBe(texts.length);

      // A 429'd message is not tried again before its Retry-After (the same message: same method,
      // channel, thread and text; Retry-After is per outbox row, so another row may go meanwhile).
      const calls = d.slack.web.calls();
      for (const [i, c] of calls.entries()) {
        if (c.status !== 429 || (c.method !== 'chat.postMessage' && c.method !== 'chat.update')) continue;
        const again = calls.slice(i + 1).find((x) => x.method === c.method && sameMessage(x, c));
        if (again) expect(again.at - c.at, `${c.method} retried too soon`).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000);
      }

      // In order per ticket: the requester's thread has the replies, the agents' card thread the notes
      // (and no note reaches the requester), each in the order written; the card shows its newest state.
      for (let n = 1; n <= tickets; n++) {
        const card = await findMessage(d.db, `ticket:${n}:card:L1`);
        const anchor = await findMessage(d.db, `ticket:${n}:requester`);
        expect(card && anchor).toBeTruthy();
        const inThread = (channel: string, ts: string) =>
          d.slack.web
            .messagesIn(channel)
            .filter((m) => m.thread_ts === ts && m.ts !== ts)
            .map((m) => m.text);
        const mine = (texts: string[]) => texts.flatMap((x) => written.filter((w) => w.ticket === n && x.includes(w.text)).map((w) => w.text));
        const of = (kind: 'reply' | 'note') => written.filter((w) => w.ticket === n && w.kind === kind).map((w) => w.text);
        expect(of('note').length).toBeGreaterThan(0);
        expect(mine(inThread(anchor!.channel, anchor!.message_id)), `ticket ${n}, requester side`).toEqual(of('reply'));
        expect(
          mine(inThread(card!.channel, card!.message_id)).filter((x) => x.startsWith('note')),
          `ticket ${n}, agents side`,
        ).toEqual(of('note'));
        const shown = d.slack.web.messagesIn(card!.channel).find((m) => m.ts === card!.message_id)!;
        expect(shown.text).toContain(`#${n} Outage ticket ${n}`);
        expect(shown.text).toContain('Ann Agent'); // claimed: the edit made during the outage landed
      }
    },
  );
});

function ok(c: RecordedCall): boolean {
  return c.status === 200 && typeof c.response === 'object' && c.response.ok === true;
}

function sameMessage(a: RecordedCall, b: RecordedCall): boolean {
  return a.args.channel === b.args.channel && a.args.text === b.args.text && a.args.ts === b.args.ts && a.args.thread_ts === b.args.thread_ts;
}
