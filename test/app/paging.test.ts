import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/connect.js';
import { durableTestDatabase, type DurableTestDatabase } from '../support/database.js';
import { createTestDesk, type TestDesk } from '../support/desk.js';
import { armHandoffs } from '../../src/capabilities/oncall/handoffs.js';

// L2 is paged through l2-default: whoever is on call in l2-primary, then after 5 minutes the lead,
// 10 more minutes, and the whole thing once more. L2 staffs 09:00-17:00 UTC on weekdays.
const YAML = `
people: { requester: {}, agent1: { name: Agent One }, agent2: { name: Agent Two }, lead1: { name: Lead One } }
tiers:
  - { id: L1, name: Help desk, agents: [agent1] }
  - { id: L2, name: Second level, agents: [agent2, lead1], escalation_policy: l2-default, hours: l2-office, oncall_schedule: l2-primary }
calendars:
  l2-office: { zone: UTC, hours: { mon: ["09:00-17:00"], tue: ["09:00-17:00"], wed: ["09:00-17:00"], thu: ["09:00-17:00"], fri: ["09:00-17:00"] } }
schedules:
  l2-primary:
    zone: UTC
    layers:
      - { name: nights, users: [agent2], start: "2024-06-03T17:00", turn: 1 day, restrict: [ { from: "17:00", to: "09:00" } ] }
escalation_policies:
  l2-default:
    steps:
      - notify: { schedule: l2-primary }
      - wait: 5m
      - notify: { user: lead1 }
      - wait: 10m
    repeat: 1
sla:
  policies:
    - { priority: P1, first_response: 30 minutes, resolution: 4 hours, calendar: 24x7 }
paging:
  opened_outside_hours: [P1]
  sla_breach: [P1]
  escalated_into: [P1, P2]
`;
const MIN = 60_000;
const desks: TestDesk[] = [];
const stores: DurableTestDatabase[] = [];
afterEach(async () => {
  for (const d of desks.splice(0)) await d.close().catch(() => undefined);
  for (const store of stores.splice(0)) await store.remove();
});
async function deskAt(now: string, db?: Db) {
  const d = await createTestDesk({ yaml: YAML, now, ...(db ? { db } : {}) });
  desks.push(d);
  return d;
}
const pages = (d: TestDesk, who: string) => d.dm(who).filter((m) => m.startsWith('📟 Page'));

describe('paging a tier through its escalation policy', () => {
  it('notifies whoever is on call, then the lead after the wait, until someone acknowledges', async () => {
    const d = await deskAt('2024-06-03T20:00:00Z'); // Monday night: agent2 is on call
    await d.say('requester', '/ticket new Database down --urgency high --impact high');
    await d.say('agent1', '/ticket escalate 1 needs a DBA'); // P1 escalated into L2 → page
    expect(pages(d, 'agent2')).toHaveLength(1);
    expect(pages(d, 'agent2')[0]).toMatch(/#1 "Database down" \(P1, Second level\): escalated into the tier[\s\S]*\[Acknowledge\] \/ticket ack 1/);
    expect(d.channel('l2-desk')[0]).toMatch(/Page: paging \(step 1 notified\), next step 2024-06-03 20:05 UTC/);
    await d.advance(5 * MIN);
    expect(pages(d, 'lead1')).toHaveLength(1);
    expect(await d.say('lead1', '/ticket ack 1')).toMatch(/acknowledged the page for #1/);
    expect(d.channel('l2-desk')[0]).toMatch(/Page: acknowledged by Lead One/);
    await d.advance(60 * MIN);
    expect(pages(d, 'agent2')).toHaveLength(1);
    expect(pages(d, 'lead1')).toHaveLength(1);
    const history = (await d.say('agent2', '/ticket history 1')) ?? '';
    expect(history).toMatch(/paged L2 through l2-default[\s\S]*page step 1 notified[\s\S]*page step 3 notified[\s\S]*acknowledged the page/);
  });

  it('climbs the whole policy (with its repeat) when nobody acknowledges, then stays ackable', async () => {
    const d = await deskAt('2024-06-03T20:00:00Z');
    await d.say('requester', '/ticket new Database down --urgency high --impact high');
    await d.say('agent1', '/ticket escalate 1 needs a DBA');
    for (let i = 0; i < 6; i++) await d.advance(5 * MIN);
    expect(pages(d, 'agent2')).toHaveLength(2);
    expect(pages(d, 'lead1')).toHaveLength(2);
    expect(await d.say('agent2', '/ticket ack 1')).toMatch(/acknowledged/);
  });

  it('pages a P1 opened outside staffed hours, not one opened inside them', async () => {
    const night = await deskAt('2024-06-03T22:00:00Z');
    await night.say('requester', '/ticket new Website down --urgency high --impact high --category web');
    expect(pages(night, 'agent2')).toHaveLength(0); // L1 has no policy: the ticket is in L1
    const routed = await createTestDesk({ yaml: `${YAML}\nrouting: [ { category: db, tier: L2 } ]\n`, now: '2024-06-03T22:00:00Z' });
    desks.push(routed);
    await routed.say('requester', '/ticket new DB down --urgency high --impact high --category db');
    expect(pages(routed, 'agent2')).toHaveLength(1);
    const day = await createTestDesk({ yaml: `${YAML}\nrouting: [ { category: db, tier: L2 } ]\n`, now: '2024-06-04T10:00:00Z' });
    desks.push(day);
    await day.say('requester', '/ticket new DB down --urgency high --impact high --category db');
    expect(day.dm('agent2').filter((m) => m.startsWith('📟'))).toHaveLength(0);
  });

  it('records a step with nobody on call as skipped, tells the tier channel, and goes on', async () => {
    const d = await deskAt('2024-06-04T10:00:00Z'); // daytime: the night rotation has nobody
    await d.say('requester', '/ticket new Database down --urgency high --impact high');
    await d.say('agent1', '/ticket escalate 1 needs a DBA');
    expect(d.channel('l2-desk').some((m) => /Nobody on call for #1[\s\S]*found nobody on call in l2-primary; the page goes on/.test(m))).toBe(true);
    await d.advance(5 * MIN);
    expect(pages(d, 'lead1')).toHaveLength(1);
    expect(await d.say('lead1', '/ticket history 1')).toMatch(/page step 1 found nobody on call/);
  });

  it('stops when the ticket is resolved; a release makes it climb again', async () => {
    const d = await deskAt('2024-06-03T20:00:00Z');
    await d.say('requester', '/ticket new Database down --urgency high --impact high');
    await d.say('agent1', '/ticket escalate 1 needs a DBA');
    await d.say('agent2', '/ticket ack 1');
    expect(await d.say('agent2', '/ticket release 1')).toMatch(/released/);
    expect(pages(d, 'agent2')).toHaveLength(2); // the acknowledged step fires again at once
    await d.say('agent2', '/ticket resolve 1 restarted the database');
    await d.advance(60 * MIN);
    expect(pages(d, 'lead1')).toHaveLength(0);
    expect(await d.say('agent2', '/ticket ack 1')).toMatch(/#1 is resolved: there is nothing to page/);
  });

  it('pages on an SLA breach, and by hand', async () => {
    const d = await deskAt('2024-06-03T20:00:00Z');
    await d.say('requester', '/ticket new Database down --urgency high --impact high');
    await d.say('agent1', '/ticket claim 1');
    expect(await d.say('agent1', '/ticket page 1')).toMatch(/has no escalation policy/);
    await d.say('agent1', '/ticket escalate 1 needs a DBA');
    await d.say('agent2', '/ticket ack 1');
    expect(await d.say('agent2', '/ticket page 1')).toMatch(/already paging/);
  });

  it('a restart in the middle of a page loses no step and fires none twice', async () => {
    const store = durableTestDatabase();
    stores.push(store);
    const first = await deskAt('2024-06-03T20:00:00Z', await store.open());
    await first.say('requester', '/ticket new Database down --urgency high --impact high');
    await first.say('agent1', '/ticket escalate 1 needs a DBA');
    await first.close();
    const second = await deskAt('2024-06-03T20:07:00Z', await store.open()); // down across the 20:05 step
    expect(await second.advance(0)).toBe(1);
    expect(await second.advance(0)).toBe(0);
    expect(pages(second, 'lead1')).toHaveLength(1);
    expect(await second.say('lead1', '/ticket history 1')).toMatch(/page_notified.*late|late/);
  });
});

describe('/oncall', () => {
  it('says who is on call for each tier, until when, and who is next; and a week of shifts', async () => {
    const d = await deskAt('2024-06-03T20:00:00Z');
    expect(await d.say('agent1', '/oncall')).toBe(
      'L2 Second level (l2-primary): Agent Two until 2024-06-04 09:00 UTC; next Agent Two from 2024-06-04 17:00 UTC',
    );
    const week = (await d.say('agent1', '/oncall schedule l2-primary')) ?? '';
    expect(week.split('\n')[1]).toBe('2024-06-03 20:00 UTC → 2024-06-04 09:00 UTC  Agent Two');
    expect(await d.say('agent1', '/oncall schedule nope')).toMatch(/There is no schedule "nope"/);
  });
});

describe('overrides and handoffs', () => {
  const LEADS = YAML.replace(
    'escalation_policy: l2-default, hours: l2-office',
    'escalation_policy: l2-default, hours: l2-office, leads: [lead1]',
  ).replace('sla_breach: [P1]', 'sla_breach: [P1]\n  handoff_to_channel: true');

  it('lets a tier lead put someone on call for a while; pages and /oncall follow it', async () => {
    const d = await createTestDesk({ yaml: LEADS, now: '2024-06-03T20:00:00Z' });
    desks.push(d);
    expect(await d.say('agent2', '/oncall override agent1 --from 2024-06-03T20:00Z --to 2024-06-03T23:00Z')).toMatch(/Only a tier's leads/);
    expect(await d.say('lead1', '/oncall override nobody --from 2024-06-03T20:00Z --to 2024-06-03T23:00Z')).toMatch(/"nobody" is not a person/);
    expect(await d.say('lead1', '/oncall override agent1 --from 2024-06-03T23:00Z --to 2024-06-03T20:00Z')).toMatch(/--to must be after --from/);
    expect(await d.say('lead1', '/oncall override agent1 --from 2024-06-03T20:00Z --to 2024-06-03T23:00Z')).toBe(
      'Agent One is on call in l2-primary from 2024-06-03 20:00 UTC to 2024-06-03 23:00 UTC.',
    );
    expect(await d.say('agent2', '/oncall')).toMatch(/^L2 Second level \(l2-primary\): Agent One until 2024-06-03 23:00 UTC; next Agent Two/);
    await d.say('requester', '/ticket new Database down --urgency high --impact high');
    await d.say('agent1', '/ticket escalate 1 needs a DBA');
    expect(pages(d, 'agent1')).toHaveLength(1);
    expect(pages(d, 'agent2')).toHaveLength(0);
  });

  it('tells the incoming person, and the tier channel when configured, at each handoff', async () => {
    const d = await createTestDesk({ yaml: LEADS, now: '2024-06-04T08:00:00Z' });
    desks.push(d);
    await armHandoffs(d.desk.core);
    await d.advance(9 * 3_600_000); // 17:00: the night rotation starts
    expect(d.dm('agent2').filter((m) => m.startsWith('📟 You are on call'))).toEqual([
      expect.stringMatching(/^📟 You are on call for Second level until 2024-06-05 09:00 UTC/),
    ]);
    expect(d.channel('l2-desk').some((m) => m.startsWith('📟 On call for Second level: Agent Two until 2024-06-05 09:00 UTC'))).toBe(true);
  });
});
