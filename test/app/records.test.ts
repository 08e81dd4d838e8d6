import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { exportTickets, purgeRequester } from '../../src/capabilities/transcripts/records-cli.js';
import { armRetention } from '../../src/capabilities/transcripts/retention.js';
import { createTestDesk, type TestDesk } from '../support/desk.js';

const DAY = 86_400_000;
const YAML = (tickets = '') => `
people:
  agent1: { name: Agent One, console: agent1 }
  rita: { name: Rita Requester, console: rita }
  sam: { name: Sam Someone, console: sam }
tiers:
  - { id: L1, name: Help desk, agents: [agent1], channels: { console: l1-desk } }
${tickets}
`;

let desk: TestDesk;
afterEach(async () => {
  await desk.close();
});

/** A sink that takes one chunk at a time and acknowledges it later, so a writer must wait for 'drain'. */
function slowSink(): { sink: Writable; text: () => string; drains: () => number } {
  const chunks: string[] = [];
  let drains = 0;
  const sink = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      setImmediate(done);
    },
  });
  sink.on('drain', () => drains++);
  return { sink, text: () => chunks.join(''), drains: () => drains };
}

async function ticketOf(who: string, title: string, words: string): Promise<void> {
  await desk.say(who, `/ticket new ${title} --description ${words}`);
}

describe('tierdesk export', () => {
  it('streams tickets with their events as JSON lines, page after page, waiting for the output to drain', async () => {
    desk = await createTestDesk({ yaml: YAML() });
    for (let i = 1; i <= 5; i++) await ticketOf('rita', `Printer ${i}`, `jam ${i}`);
    await desk.say('agent1', '/ticket reply 2 "quoted", and, commas');
    const { sink, text, drains } = slowSink();
    expect(await exportTickets(desk.db, { format: 'jsonl' }, sink, 2)).toBe(5);
    const lines = text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.number)).toEqual([1, 2, 3, 4, 5]);
    expect(lines[1]).toMatchObject({ title: 'Printer 2', description: 'jam 2', status: 'open', created_at: '2024-06-03T09:00:00.000Z' });
    expect(lines[1].events.map((e: { kind: string }) => e.kind)).toEqual(['opened', 'replied']);
    expect(lines[1].events[1].data.text).toBe('"quoted", and, commas');
    expect(drains()).toBeGreaterThan(0);
  });

  it('writes CSV with a header, every field quoted, and keeps to the date range', async () => {
    desk = await createTestDesk({ yaml: YAML() });
    await ticketOf('rita', 'Old one', 'before');
    await desk.advance(2 * DAY);
    await ticketOf('rita', 'New one', 'line "two", three');
    const { sink, text } = slowSink();
    const from = Date.parse('2024-06-04T00:00:00Z');
    expect(await exportTickets(desk.db, { format: 'csv', from }, sink)).toBe(1);
    const [header, row] = text().split('\r\n');
    expect(header).toBe(
      'number,title,description,status,priority,impact,urgency,tier,category,product,version,requester,assignee,created_at,first_response_at,resolved_at,closed_at,resolution,sla_policy,events',
    );
    expect(row).toMatch(/^"2","New one","line ""two"", three","open","P3"/);
  });
});

describe('tickets.retention', () => {
  it('deletes closed tickets’ words after the retention, keeps fields and figures, and records it', async () => {
    desk = await createTestDesk({ yaml: YAML('tickets: { retention: 30 days }') });
    await ticketOf('rita', 'Printer on fire', 'smoke from tray 2');
    await desk.say('agent1', '/ticket reply 1 is it still smoking?');
    await desk.say('agent1', '/ticket note 1 vendor fault');
    await desk.say('agent1', '/ticket resolve 1 replaced the fuser');
    await desk.say('rita', '/ticket confirm 1');
    await ticketOf('rita', 'Still open', 'open words stay');
    await armRetention(desk.desk.core);
    await desk.advance(29 * DAY);
    expect(await desk.say('agent1', '/ticket history 1')).toContain('replaced the fuser'); // not yet
    await desk.advance(2 * DAY);
    const history = (await desk.say('agent1', '/ticket history 1'))!;
    expect(history).not.toMatch(/smoking|vendor fault|replaced the fuser|smoke from tray/);
    expect(history).toMatch(/tierdesk {2}text_deleted/);
    const { sink, text } = slowSink();
    await exportTickets(desk.db, { format: 'jsonl' }, sink);
    const [closed, open] = text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(closed).toMatchObject({ title: 'Printer on fire', description: '', resolution: null, status: 'closed', priority: 'P3' });
    expect(closed.resolved_at).toBe('2024-06-03T09:00:00.000Z');
    expect(JSON.stringify(closed.events)).not.toMatch(/smoking|vendor fault|fuser/);
    expect(closed.events.at(-1)).toMatchObject({ kind: 'text_deleted', data: { events: 4 } });
    expect(open.description).toBe('open words stay');
  });
});

describe('tierdesk purge --requester', () => {
  it('says what it would erase, then with --yes erases that person’s words in every ticket and nothing else', async () => {
    desk = await createTestDesk({ yaml: YAML() });
    await ticketOf('rita', 'My secret printer', 'my home address');
    await desk.say('rita', '#1 call me on 555-0100');
    await desk.say('agent1', '/ticket reply 1 we will call');
    await ticketOf('sam', 'Sam’s laptop', 'sam words');
    const rita = { platform: 'console', id: 'rita' };
    expect(await purgeRequester(desk.desk.core, rita, false)).toEqual({ events: 2, tickets: 1, done: false });
    expect(await desk.say('agent1', '/ticket history 1')).toContain('555-0100');
    expect(await purgeRequester(desk.desk.core, rita, true)).toEqual({ events: 2, tickets: 1, done: true });
    const history = (await desk.say('agent1', '/ticket history 1'))!;
    expect(history).not.toMatch(/555-0100|secret printer|home address/);
    expect(history).toContain('we will call');
    expect(history).toMatch(/words_erased/);
    expect(await desk.say('agent1', '/ticket show 2')).toContain('sam words');
    expect(JSON.stringify(await desk.db.selectFrom('outbox').select('card').execute())).not.toContain('555-0100');
  });
});
