import { CAPABILITIES } from '../../src/capabilities/index.js';
import type { Capability } from '../../src/core/capability.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDesk, type TestDesk } from '../support/desk.js';

// An office open 09:00-17:00 UTC on weekdays, with 24 Dec as a holiday; P2 = 1 h to first response,
// 8 business hours to resolution; P1 = 30 min / 4 h on 24x7.
const YAML = `
people:
  requester: { name: Requester }
  vip: { name: Very Important }
  agent1: { name: Agent One }
  agent2: { name: Agent Two }
tiers:
  - { id: L1, name: Help desk, agents: [agent1], channels: { console: l1-desk } }
  - { id: L2, name: Second level, agents: [agent2], channels: { console: l2-desk } }
calendars:
  office: { zone: UTC, hours: { mon: ["09:00-17:00"], tue: ["09:00-17:00"], wed: ["09:00-17:00"], thu: ["09:00-17:00"], fri: ["09:00-17:00"] }, holidays: ["2024-12-24"] }
sla:
  groups:
    gold: { people: [vip] }
  policies:
    - { priority: P1, first_response: 30 minutes, resolution: 4 hours, calendar: 24x7 }
    - { priority: P2, first_response: 1 hour, resolution: 8 hours, calendar: office }
    - { priority: P2, group: gold, first_response: 20 minutes, resolution: 2 hours, calendar: office, warnings: [50%] }
    - { priority: P3, first_response: 4 hours, resolution: 2 days, calendar: office }
`;
const MIN = 60_000;
const HOUR = 60 * MIN;

let desk: TestDesk;
afterEach(async () => {
  await desk.close();
});

async function open(now: string, line = '/ticket new Printer on fire --urgency high', who = 'requester') {
  desk = await createTestDesk({ yaml: YAML, now });
  await desk.say(who, line);
}

const card = () => desk.channel('l1-desk')[0]!;
const field = (name: string) => new RegExp(`${name}: ([^·\\n]+)`).exec(card())?.[1]?.trim();
const history = async () => (await desk.say('agent1', '/ticket history 1')) ?? '';

describe('SLA clocks on a business-hour calendar', () => {
  it('starts both clocks at creation and shows the due times on the card and in /ticket show', async () => {
    await open('2024-06-03T09:00:00Z'); // Monday, opening time
    expect(field('First response')).toBe('due 2024-06-03 10:00 UTC, 1h left');
    expect(field('Resolution')).toBe('due 2024-06-03 17:00 UTC, 8h left');
    expect(await desk.say('agent1', '/ticket show 1')).toContain('First response: due 2024-06-03 10:00 UTC');
  });

  it('counts from the next opening when a ticket arrives after hours', async () => {
    await open('2024-06-07T16:30:00Z'); // Friday 16:30
    expect(field('First response')).toBe('due 2024-06-10 09:30 UTC, 1h left'); // 30 min on Friday, 30 on Monday
  });

  it('warns at 75% and 90% (to the tier channel while unclaimed, to the assignee once claimed), then breaches', async () => {
    await open('2024-06-03T09:00:00Z');
    await desk.advance(45 * MIN - 1000);
    expect(desk.channel('l1-desk')).toHaveLength(1);
    await desk.advance(1000); // 75% of the first-response hour
    expect(desk.channel('l1-desk')[1]).toMatch(
      /SLA warning on #1[\s\S]*First response for #1 "Printer on fire" is due at 2024-06-03 10:00 UTC: 15m of business time left \(75% used\)\. Nobody has claimed it\./,
    );
    await desk.say('agent1', '/ticket claim 1');
    await desk.advance(9 * MIN); // 90%
    expect(desk.dm('agent1').join('\n')).toMatch(/First response for #1 .* 6m of business time left \(90% used\)/);
    await desk.advance(6 * MIN); // 100%
    const breach = desk.channel('l1-desk').find((m) => m.includes('SLA breached'));
    expect(breach).toMatch(/First response for #1 "Printer on fire" \(P2, assigned to Agent One\) was due 2024-06-03 10:00 UTC/);
    expect(field('First response')).toMatch(/^breached: was due 2024-06-03 10:00 UTC/);
    expect(await history()).toMatch(
      /SLA warning: first response 75% used[\s\S]*SLA warning: first response 90% used[\s\S]*SLA breached: first response was due 2024-06-03 10:00 UTC/,
    );
  });

  it('raises the breach hook inside the breach transaction', async () => {
    const seen: string[] = [];
    const probe: Capability = {
      name: 'probe',
      summary: 'Probe',
      hooks: {
        'sla.breached': async (_core, work, b) => {
          // In the breach's own transaction: the breach event is already written there.
          const events = await work.db.selectFrom('ticket_events').select('kind').where('ticket', '=', b.ticket).execute();
          seen.push(`${b.ticket}:${b.clock}:${new Date(b.dueAt!).toISOString()}:${events.some((e) => e.kind === 'sla_breached')}`);
        },
      },
    };
    desk = await createTestDesk({ yaml: YAML, now: '2024-06-03T09:00:00Z', capabilities: [...CAPABILITIES, probe] });
    await desk.say('requester', '/ticket new Printer on fire --urgency high');
    await desk.advance(2 * HOUR);
    expect(seen).toEqual(['1:first_response:2024-06-03T10:00:00.000Z:true']);
  });

  it('stops the first-response clock at the first public reply, not at an internal note', async () => {
    await open('2024-06-03T09:00:00Z');
    await desk.advance(10 * MIN);
    await desk.say('agent1', '/ticket note 1 looking');
    expect(field('First response')).toBe('due 2024-06-03 10:00 UTC, 1h left');
    await desk.advance(10 * MIN);
    await desk.say('agent1', '#1 On my way');
    expect(field('First response')).toBe('met in 20m of 1h');
    await desk.advance(2 * HOUR);
    expect(desk.channel('l1-desk').filter((m) => /SLA (warning|breached)/.test(m) && m.includes('First response'))).toEqual([]);
  });

  it('pauses both clocks while waiting on the requester and resumes when they answer', async () => {
    await open('2024-06-03T09:00:00Z');
    await desk.advance(20 * MIN);
    await desk.say('agent1', '/ticket wait 1'); // no question: not a response
    expect(field('First response')).toBe('paused (waiting on the requester), 40m left');
    await desk.advance(3 * HOUR); // nothing fires while paused
    expect(desk.channel('l1-desk').some((m) => m.includes('SLA'))).toBe(false);
    await desk.say('requester', '#1 Here is the info'); // 12:20
    expect(field('First response')).toBe('due 2024-06-03 13:00 UTC, 40m left');
    expect(field('Resolution')).toBe('due 2024-06-04 12:00 UTC, 7h 40m left'); // 8h minus 20m, from 12:20, across the night
  });

  it('resumes the resolution clock from where it stopped on reopen; the first-response clock does not restart', async () => {
    await open('2024-06-03T09:00:00Z');
    await desk.advance(30 * MIN);
    await desk.say('agent1', '/ticket resolve 1 replaced toner'); // 30 business minutes used
    expect(field('Resolution')).toBe('met in 30m of 8h');
    expect(field('First response')).toBe('met in 30m of 1h');
    await desk.advance(24 * HOUR); // Tuesday 09:30
    await desk.say('requester', '/ticket reopen 1 still broken');
    expect(field('Resolution')).toBe('due 2024-06-04 17:00 UTC, 7h 30m left');
    expect(field('First response')).toBe('met in 30m of 1h');
  });

  it('recomputes due times from creation when the priority changes, and says so in the history', async () => {
    await open('2024-06-03T09:00:00Z', '/ticket new Printer on fire'); // P3: 4 h / 2 days
    expect(field('First response')).toBe('due 2024-06-03 13:00 UTC, 4h left');
    await desk.advance(20 * MIN);
    await desk.say('agent1', '/ticket priority 1 --urgency high'); // P2: 1 h from 09:00
    expect(field('First response')).toBe('due 2024-06-03 10:00 UTC, 40m left');
    expect(await history()).toMatch(
      /changed the priority from P3 to P2 .*SLA recomputed from creation \(P2\): first response due 2024-06-03 10:00 UTC, resolution due 2024-06-03 17:00 UTC/,
    );
    await desk.advance(25 * MIN); // 09:45 = 75% of the new target
    expect(desk.channel('l1-desk').some((m) => m.includes('75% used'))).toBe(true);
  });

  it('fires a breach that came due while tierdesk was down once, marked late, without stale warnings', async () => {
    await open('2024-06-03T09:00:00Z');
    desk.clock.set('2024-06-03T11:00:00Z'); // the scheduler did not run meanwhile
    await desk.advance(0);
    await desk.advance(0);
    const alerts = desk.channel('l1-desk').filter((m) => /SLA/.test(m) && m.includes('First response'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatch(/SLA breached[\s\S]*\[late\]/);
    expect(await history()).toMatch(/SLA breached: first response was due 2024-06-03 10:00 UTC \[late\]/);
  });

  it("uses the customer group's policy for its members", async () => {
    await open('2024-06-03T09:00:00Z', '/ticket new Printer on fire --urgency high', 'vip');
    expect(field('First response')).toBe('due 2024-06-03 09:20 UTC, 20m left');
    await desk.advance(10 * MIN);
    expect(desk.channel('l1-desk').some((m) => m.includes('50% used'))).toBe(true);
  });

  it('skips holidays and weekends', async () => {
    await open('2024-12-23T16:30:00Z'); // Monday before a Tuesday holiday
    expect(field('First response')).toBe('due 2024-12-25 09:30 UTC, 1h left');
  });
});
