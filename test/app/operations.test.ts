import { afterEach, describe, expect, it } from 'vitest';
import { startOpsServer } from '../../src/ops-server.js';
import { createTestDesk, type TestDesk } from '../support/desk.js';

let desk: TestDesk;
afterEach(async () => desk.close());

describe('health and metrics endpoints', () => {
  it('serve /healthz (database and adapters) and /metrics in Prometheus text', async () => {
    desk = await createTestDesk();
    await desk.say('requester', '/ticket new Printer on fire --urgency high');
    await desk.say('agent1', '/ticket resolve 1 replaced the toner');
    const connected = { value: true };
    const adapter = Object.assign(desk.adapter, { connected: () => connected.value });
    const ops = await startOpsServer(desk.desk.core, [adapter], 0, desk.logger, '127.0.0.1');
    try {
      const health = await fetch(`${ops.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true, database: true, adapters: { console: true } });
      connected.value = false;
      expect((await fetch(`${ops.url}/healthz`)).status).toBe(503);
      const metrics = await (await fetch(`${ops.url}/metrics`)).text();
      expect(metrics).toContain(
        '# TYPE tierdesk_tickets_opened_total counter\ntierdesk_tickets_opened_total{tier="L1",priority="P2",platform="console"} 1',
      );
      expect(metrics).toContain('tierdesk_tickets_resolved_total{tier="L1",priority="P2",platform="console"} 1');
      expect(metrics).toContain('tierdesk_outbox_backlog 0');
      expect(metrics).toMatch(/tierdesk_delivery_latency_seconds_count\{platform="console"\} \d+/);
      expect((await fetch(`${ops.url}/nope`)).status).toBe(404);
    } finally {
      await ops.close();
    }
  });
});
