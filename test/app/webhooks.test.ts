import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { createTestDesk, type TestDesk } from '../support/desk.js';

const SECRET = 'whsec-0123456789abcdef-never-log-me';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  body: { id: string; event: string; ticket: { number: number; status: string }; clock?: string };
}

/** A loopback receiver: records every request; answers with the next scripted status (200 when none is left). */
class Receiver {
  readonly got: Received[] = [];
  readonly script: number[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        this.got.push({ headers: req.headers, raw, body: JSON.parse(raw) as Received['body'] });
        res.writeHead(this.script.shift() ?? 200).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/tierdesk`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Events as `number:event`, in the order they were received, with the status they were answered. */
  delivered(): string[] {
    return this.got.map((g) => `${g.body.ticket.number}:${g.body.event}`);
  }
}

const yaml = (url: string, events = '[ticket.opened, ticket.resolved, sla.breached, page.started]') => `
people:
  ann: { name: Ann Asker, console: ann }
  agent1: { name: Agent One, console: agent1 }
tiers:
  - { id: L1, name: Help desk, agents: [agent1], channels: { console: l1-desk } }
calendars:
  office: { zone: UTC, hours: 24x7 }
sla:
  policies:
    - { priority: P3, first_response: 4 hours, resolution: 3 days, calendar: office }
webhooks:
  - { name: jira, url: "${url}", events: ${events}, secret: "\${JIRA_HOOK_SECRET}" }
`;

let receiver: Receiver;
let desk: TestDesk;
beforeEach(async () => {
  receiver = new Receiver();
  await receiver.start();
  const env = { JIRA_HOOK_SECRET: SECRET };
  desk = await createTestDesk({ yaml: yaml(receiver.url), env });
});
afterEach(async () => {
  await desk.close();
  await receiver.close();
});

describe('outbound webhooks', () => {
  it('POST each subscribed event, signed over the timestamp and the exact body', async () => {
    await desk.say('ann', '/ticket new Printer on fire');
    expect(receiver.delivered()).toEqual(['1:ticket.opened']);
    const [hit] = receiver.got;
    const timestamp = hit!.headers['x-tierdesk-timestamp'] as string;
    expect(Number(timestamp)).toBe(Math.floor(desk.clock.now() / 1000));
    const expected = createHmac('sha256', SECRET).update(`${timestamp}.${hit!.raw}`).digest('hex');
    const given = String(hit!.headers['x-tierdesk-signature']);
    expect(given).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(timingSafeEqual(Buffer.from(given), Buffer.from(`sha256=${expected}`))).toBe(true);
    expect(hit!.headers['x-tierdesk-event']).toBe('ticket.opened');
    expect(hit!.headers['x-tierdesk-delivery']).toBe(hit!.body.id);
    expect(hit!.body).toMatchObject({ event: 'ticket.opened', ticket: { number: 1, title: 'Printer on fire', status: 'open', tier: 'L1' } });
    // Not subscribed: claiming sends nothing.
    await desk.say('agent1', '/ticket claim 1');
    expect(receiver.got).toHaveLength(1);
    // The SLA clock breaching is an event too.
    await desk.advance(4 * 3_600_000 + 60_000);
    await desk.say('agent1', '/ticket resolve 1 New toner');
    expect(receiver.delivered()).toEqual(['1:ticket.opened', '1:sla.breached', '1:ticket.resolved']);
    expect(receiver.got[1]!.body.clock).toBe('first_response');
  });

  it('retry after a 500, and keep one ticket’s events in order while other tickets go on', async () => {
    receiver.script.push(500);
    await desk.say('ann', '/ticket new Printer on fire');
    await desk.say('agent1', '/ticket resolve 1 New toner');
    await desk.say('ann', '/ticket new VPN down');
    // #1 opened failed once; #1 resolved waits behind it; #2 is not held up.
    expect(receiver.delivered()).toEqual(['1:ticket.opened', '2:ticket.opened']);
    await desk.advance(2_000);
    expect(receiver.delivered()).toEqual(['1:ticket.opened', '2:ticket.opened', '1:ticket.opened', '1:ticket.resolved']);
    expect(receiver.got[0]!.body.id).toBe(receiver.got[2]!.body.id);
  });

  it('never log or store the secret, and give up on an event the receiver refuses for good', async () => {
    receiver.script.push(500, 410);
    await desk.say('ann', '/ticket new Printer on fire');
    await desk.advance(2_000);
    expect(receiver.got).toHaveLength(2);
    await desk.advance(60_000);
    expect(receiver.got).toHaveLength(2);
    const logged = JSON.stringify(desk.logger.lines);
    expect(logged).toMatch(/webhook \\"jira\\" answered 500/);
    expect(logged).toMatch(/refused the event with 410/);
    expect(logged).not.toContain(SECRET);
    expect(logged).not.toContain(receiver.url);
    const rows = await desk.db.selectFrom('outbox').selectAll().where('op', '=', 'webhook').execute();
    expect(rows.map((r) => r.status)).toEqual(['dead']);
    expect(JSON.stringify(rows)).not.toContain(SECRET);
  });
});

describe('webhooks in the configuration', () => {
  it('take the secret from the environment only, and refuse unknown events by name', () => {
    const problems = (text: string, env: NodeJS.ProcessEnv = {}) => {
      try {
        loadConfig({ text, env });
        return '';
      } catch (err) {
        return err instanceof ConfigError ? err.message : String(err);
      }
    };
    expect(problems(yaml('https://example.test/h'))).toMatch(/webhooks\[0\]\.secret: the environment variable JIRA_HOOK_SECRET is not set/);
    expect(problems(yaml('https://example.test/h').replace('"${JIRA_HOOK_SECRET}"', 'plain-text-secret-here'))).toMatch(
      /webhooks\[0\]\.secret: must name an environment variable/,
    );
    expect(problems(yaml('https://example.test/h', '[ticket.exploded]'), { JIRA_HOOK_SECRET: SECRET })).toMatch(
      /"ticket.exploded" is not an event \(known: ticket.opened/,
    );
    expect(problems(yaml('ftp://example.test/h'), { JIRA_HOOK_SECRET: SECRET })).toMatch(/webhooks\[0\]\.url: must be an http/);
    expect(problems(yaml('https://example.test/h'), { JIRA_HOOK_SECRET: SECRET })).toBe('');
  });
});
