import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDesk } from '../../src/core/desk.js';
import { InboundGate, STOPPING_REPLY } from '../../src/core/operations.js';
import { DEMO_CONFIG_YAML, loadConfig } from '../../src/config/config.js';
import { createMemoryLogger } from '../../src/logger.js';
import { startOpsServer } from '../../src/ops-server.js';
import { FakeClock, type ChatAdapter, type Inbound, type Person, type Place, type Reply } from '../../src/ports.js';
import { openDatabase } from '../../src/store/connect.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { RecordingAdapter } from '../support/recording-adapter.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const c of cleanups.splice(0).reverse()) await c();
});

const event = (n: number): Inbound => ({
  kind: 'command',
  name: 'help',
  key: `gate:${n}`,
  at: 0,
  from: { platform: 'console', space: 'local', id: 'requester', name: 'requester' },
  place: { platform: 'console', space: 'local', channel: 'console' },
});

/** An adapter that hands the test the function it was started with, as a platform would call it. */
function platform() {
  let deliver: ((e: Inbound) => Promise<Reply | void>) | undefined;
  const adapter = Object.assign(new RecordingAdapter(), {
    async start(d: (e: Inbound) => Promise<Reply | void>) {
      deliver = d;
    },
    connected: () => true,
  });
  return { adapter, send: (e: Inbound) => deliver!(e) };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('GET /healthz while stopping', () => {
  it('answers 200 while serving and 503 with "stopping": true once a shutdown began; /metrics keeps answering', async () => {
    const db = openDatabase(':memory:');
    await migrateToLatest(db);
    const { adapter } = platform();
    const desk = createDesk({
      db,
      config: loadConfig({ text: DEMO_CONFIG_YAML, env: {} }),
      clock: new FakeClock(0),
      logger: createMemoryLogger(),
      adapters: [adapter],
    });
    cleanups.push(() => db.destroy());
    const ops = await startOpsServer(desk.core, [adapter], 0, createMemoryLogger(), '127.0.0.1');
    cleanups.push(() => ops.close());

    const before = await fetch(`${ops.url}/healthz`);
    expect(before.status).toBe(200);
    expect(await before.json()).toEqual({ ok: true, database: true, adapters: { console: true } });

    ops.stopping();

    const during = await fetch(`${ops.url}/healthz`);
    expect(during.status).toBe(503);
    expect(await during.json()).toEqual({ ok: false, database: true, adapters: { console: true }, stopping: true });
    const metrics = await fetch(`${ops.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('tierdesk_outbox_backlog 0');
  });
});

describe('InboundGate', () => {
  it('passes events through; once closed, refuses new ones with a retryable answer and waits for those under way', async () => {
    const gate = new InboundGate();
    const { adapter, send } = platform();
    const held = deferred<Reply>();
    const handled: string[] = [];
    await gate.wrap(adapter).start(async (e) => {
      handled.push(e.key);
      return e.key === 'gate:1' ? held.promise : { text: `done ${e.key}` };
    });

    expect(await send(event(0))).toEqual({ text: 'done gate:0' });
    const underWay = send(event(1));
    expect(gate.inflight).toBe(1);

    let closed: boolean | undefined;
    const closing = gate.close(10_000).then((c) => (closed = c));
    expect(await send(event(2))).toEqual({ text: STOPPING_REPLY });
    expect(handled).toEqual(['gate:0', 'gate:1']); // the refused one never reached the core
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBeUndefined(); // still waiting for gate:1

    held.resolve({ text: 'Ticket #1 opened' });
    expect(await underWay).toEqual({ text: 'Ticket #1 opened' });
    await closing;
    expect(closed).toBe(true);
    expect(gate.inflight).toBe(0);
  });

  it('gives up waiting after the deadline and says so', async () => {
    vi.useFakeTimers();
    const gate = new InboundGate();
    const { adapter, send } = platform();
    await gate.wrap(adapter).start(() => new Promise<Reply>(() => undefined)); // never finishes
    void send(event(1));

    const closing = gate.close(10_000);
    await vi.advanceTimersByTimeAsync(9_999);
    let settled = false;
    void closing.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await closing).toBe(false);
    expect(gate.inflight).toBe(1);
  });

  it('a handler that throws still counts as finished', async () => {
    const gate = new InboundGate();
    const { adapter, send } = platform();
    await gate.wrap(adapter).start(async () => {
      throw new Error('boom');
    });
    await expect(send(event(1))).rejects.toThrow('boom');
    expect(gate.inflight).toBe(0);
    expect(await gate.close(10_000)).toBe(true);
  });

  it('the wrapped adapter is the adapter in every other respect (platform, getters, methods, this, private fields)', async () => {
    const person: Person = { platform: 'slack', space: 'T', id: 'U1', name: 'Una' };
    class SlackLike implements ChatAdapter {
      readonly platform = 'slack' as const;
      readonly calls: string[] = [];
      readonly #secretPlace = 'D-';
      get url(): string {
        return 'http://127.0.0.1:3000/slack/events';
      }
      async start(): Promise<void> {}
      async stop(): Promise<void> {
        this.calls.push('stop');
      }
      async post(place: Place) {
        return { messageId: '1', place };
      }
      async edit(): Promise<void> {}
      async openDirect(p: Person): Promise<Place> {
        return { platform: 'slack', space: p.space, channel: `${this.#secretPlace}${p.id}` }; // a private field: works only on the adapter itself
      }
      async openPrivateThread(p: Person): Promise<Place> {
        return this.openDirect(p); // through `this`: must still find the adapter's own method
      }
      connected(): boolean {
        return false;
      }
    }
    const inner = new SlackLike();
    const wrapped = new InboundGate().wrap(inner);
    expect(wrapped.platform).toBe('slack');
    expect(wrapped.url).toBe('http://127.0.0.1:3000/slack/events');
    expect('url' in wrapped).toBe(true);
    expect(wrapped.connected()).toBe(false);
    expect(await wrapped.openPrivateThread(person)).toEqual({ platform: 'slack', space: 'T', channel: 'D-U1' });
    await wrapped.stop();
    expect(inner.calls).toEqual(['stop']);
  });
});
