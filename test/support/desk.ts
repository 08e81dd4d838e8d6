import type { Capability } from '../../src/core/capability.js';
import { parseConsoleLine } from '../../adapters/console/parse-line.js';
import { createDesk, type Desk } from '../../src/core/desk.js';
import type { SchedulerOptions } from '../../src/core/scheduler.js';
import { loadConfig, DEMO_CONFIG_YAML, type Config } from '../../src/config/config.js';
import { createMemoryLogger } from '../../src/logger.js';
import { FakeClock, type ChatAdapter, type Inbound, type Place } from '../../src/ports.js';
import type { Db } from '../../src/store/connect.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { testDatabase } from './database.js';
import { RecordingAdapter } from './recording-adapter.js';

const HERE: Place = { platform: 'console', space: 'local', channel: 'console' };

/**
 * A help desk for tests that reads like a conversation:
 *   await desk.say('requester', '/ticket new Printer on fire')
 *   expect(desk.channel('l1-desk')).toContain(...)
 * A fresh database (in-memory SQLite, or a schema of its own on PostgreSQL: ./database.ts), a fake
 * clock, and a recording adapter. Every `say` drains the outbox.
 */
export class TestDesk {
  private keySeq = 0;
  private readonly session = Math.random().toString(36).slice(2, 10);
  constructor(
    readonly desk: Desk,
    readonly db: Db,
    readonly clock: FakeClock,
    readonly adapter: RecordingAdapter,
    readonly logger: ReturnType<typeof createMemoryLogger>,
    readonly config: Config,
  ) {}

  /** `user` types `text` in the console; returns what tierdesk answered them (if anything). */
  async say(user: string, text: string, key?: string): Promise<string | undefined> {
    const parsed = parseConsoleLine(`${user}: ${text}`);
    if (parsed.kind === 'blank' || parsed.kind === 'invalid') throw new Error(`test line not understood: ${text}`);
    const from = { platform: 'console' as const, space: 'local', id: user, name: user };
    const base = { key: key ?? `test:${this.session}:${++this.keySeq}`, at: this.clock.now(), from, place: HERE };
    const event: Inbound =
      parsed.kind === 'command'
        ? { ...base, kind: 'command', name: parsed.name, text: parsed.text }
        : parsed.question !== undefined
          ? {
              ...base,
              place: { ...HERE, channel: this.config.peer.channels.console?.[0] ?? 'peer' },
              kind: 'message',
              text: parsed.text,
              question: parsed.question,
              id: `said-${this.keySeq}`,
            }
          : { ...base, kind: 'message', text: parsed.text, ...(parsed.ticket !== undefined ? { ticket: parsed.ticket } : {}) };
    return this.send(event);
  }

  /** Deliver a raw inbound event, then drain the outbox. */
  async send(event: Inbound): Promise<string | undefined> {
    const reply = await this.desk.handle(event);
    await this.desk.dispatcher.drain();
    return reply ? reply.text : undefined;
  }

  /** Move the fake clock, fire due timers, deliver what they sent. */
  async advance(ms: number): Promise<number> {
    this.clock.advance(ms);
    // Like the background loop, tick again while firing set more work that is already due.
    let fired = 0;
    for (let i = 0; i < 10; i++) {
      const n = await this.desk.scheduler.tick();
      fired += n;
      if (n === 0) break;
    }
    await this.desk.dispatcher.drain();
    return fired;
  }

  /** The current text of every top-level message in a channel (`l1-desk`) or DM (`dm:requester`). */
  channel(name: string): string[] {
    return this.adapter.messages.filter((m) => m.place.channel === name && m.place.thread === undefined).map((m) => m.card.fallback);
  }

  /** Messages in the thread under the top-level message of `channel` whose title mentions `#n`. */
  thread(channel: string, n: number): string[] {
    const parent = this.adapter.messages.find(
      (m) => m.place.channel === channel && m.place.thread === undefined && new RegExp(`#${n}\\b`).test(m.card.title),
    );
    if (!parent) return [];
    return this.adapter.messages.filter((m) => m.place.channel === channel && m.place.thread === parent.id).map((m) => m.card.fallback);
  }

  /** Everything a person received in DMs, threads included. */
  dm(user: string): string[] {
    return this.adapter.messages.filter((m) => m.place.channel === `dm:${user}`).map((m) => m.card.fallback);
  }

  /** Every text ever shown anywhere, each card version included. */
  everything(): string[] {
    return this.adapter.messages.flatMap((m) => m.versions.map((v) => `${m.place.channel}${m.place.thread ? ' thread' : ''}: ${v.fallback}`));
  }

  async close(): Promise<void> {
    await this.desk.stop();
    await this.db.destroy();
  }
}

/** `adapters`: platforms beside the recording console one (a test's own fake of what the core asks of Slack, say). */
export async function createTestDesk(
  options: {
    yaml?: string;
    now?: string;
    db?: Db;
    adapters?: ChatAdapter[];
    capabilities?: readonly Capability[];
    env?: NodeJS.ProcessEnv;
    scheduler?: SchedulerOptions;
  } = {},
): Promise<TestDesk> {
  const config = loadConfig({ text: options.yaml ?? DEMO_CONFIG_YAML, env: options.env ?? {} });
  const db = options.db ?? (await testDatabase());
  await migrateToLatest(db);
  const clock = new FakeClock(Date.parse(options.now ?? '2024-06-03T09:00:00Z'));
  const adapter = new RecordingAdapter();
  const logger = createMemoryLogger();
  const desk = createDesk({
    db,
    config,
    clock,
    logger,
    adapters: [adapter, ...(options.adapters ?? [])],
    dispatcher: { random: () => 0.5 },
    ...(options.capabilities ? { capabilities: options.capabilities } : {}),
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
  });
  return new TestDesk(desk, db, clock, adapter, logger, config);
}
