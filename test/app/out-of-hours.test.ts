import { afterEach, describe, expect, it } from 'vitest';
import { createTestDesk, type TestDesk } from '../support/desk.js';

// L1 staffs 09:00-17:00 Berlin time on weekdays; Friday 7 June 2024 is a holiday there. Rita is in
// New York, Ravi has no zone configured. P1 tickets page L1's on-call out of hours.
const YAML = (extra = '') => `
people:
  agent1: { name: Agent One }
  rita: { name: Rita Requester, zone: America/New_York }
  ravi: { name: Ravi Requester }
tiers:
  - { id: L1, name: Help desk, agents: [agent1], hours: berlin-office, escalation_policy: l1-pager, oncall_schedule: l1-rota }
calendars:
  berlin-office:
    zone: Europe/Berlin
    hours: { mon: ["09:00-17:00"], tue: ["09:00-17:00"], wed: ["09:00-17:00"], thu: ["09:00-17:00"], fri: ["09:00-17:00"] }
    holidays: ["2024-06-07"]
schedules:
  l1-rota: { zone: UTC, layers: [ { name: all, users: [agent1], start: "2024-06-03T00:00", turn: 1 week } ] }
escalation_policies:
  l1-pager: { steps: [ { notify: { schedule: l1-rota } } ] }
sla:
  policies:
    - { priority: P1, first_response: 30 minutes, resolution: 4 hours, calendar: 24x7 }
    - { priority: P3, first_response: 4 hours, resolution: 2 days, calendar: berlin-office }
paging:
  opened_outside_hours: [P1]
${extra}`;

let desk: TestDesk;
afterEach(async () => {
  await desk.close();
});

const answer = (user: string) => desk.dm(user).find((m) => m.startsWith('🌙')) ?? '';

describe('out-of-hours answers', () => {
  it('tells the requester, in their own zone, when the desk opens after a holiday and when answers are due', async () => {
    // Thursday 22:00 in Berlin, 16:00 in New York; Friday is a holiday, so the desk opens on Monday.
    desk = await createTestDesk({ yaml: YAML(), now: '2024-06-06T20:00:00Z' });
    await desk.say('rita', '/ticket new VPN down');
    expect(answer('rita')).toBe(
      [
        '🌙 #1: Help desk is closed now',
        'Help desk is closed right now. Someone will pick up #1 when it opens: Mon 10 Jun 2024, 03:00 (America/New_York).' +
          ' Under our service levels a first answer is due by Mon 10 Jun 2024, 07:00 (America/New_York)' +
          ' and a resolution by Mon 17 Jun 2024, 11:00 (America/New_York).' + // 2 days = 48 business hours
          ' Nobody on call is paged for it: it waits for the desk to open.',
      ].join('\n'),
    );
    expect(await desk.say('agent1', '/ticket history 1')).toMatch(/out_of_hours_answered/);
  });

  it('uses the calendar’s zone for someone without one, and says when on-call was paged', async () => {
    desk = await createTestDesk({ yaml: YAML(), now: '2024-06-08T10:00:00Z' }); // Saturday
    await desk.say('ravi', '/ticket new Site down --urgency high --impact high');
    expect(answer('ravi')).toMatch(/opens: Mon 10 Jun 2024, 09:00 \(Europe\/Berlin\)/);
    expect(answer('ravi')).toMatch(/first answer is due by Sat 8 Jun 2024, 12:30 \(Europe\/Berlin\)/);
    expect(answer('ravi')).toMatch(/the Help desk on-call engineer has been paged now\./);
  });

  it('says nothing while the desk is open, and nothing when turned off', async () => {
    desk = await createTestDesk({ yaml: YAML(), now: '2024-06-06T10:00:00Z' });
    await desk.say('rita', '/ticket new Printer jam');
    expect(answer('rita')).toBe('');
    await desk.close();
    desk = await createTestDesk({ yaml: YAML('out_of_hours: { enabled: false }'), now: '2024-06-06T20:00:00Z' });
    await desk.say('rita', '/ticket new Printer jam');
    expect(answer('rita')).toBe('');
  });

  it('speaks in the configured words, and refuses a template field it does not know', async () => {
    desk = await createTestDesk({
      yaml: YAML('out_of_hours: { message: "Closed. Back {opens}; first answer by {first_response_due}. #{ticket} {title}" }'),
      now: '2024-06-06T20:00:00Z',
    });
    await desk.say('rita', '/ticket new VPN down');
    expect(answer('rita')).toMatch(
      /Closed\. Back Mon 10 Jun 2024, 03:00 \(America\/New_York\); first answer by Mon 10 Jun 2024, 07:00 \(America\/New_York\)\. #1 VPN down$/,
    );
    await expect(createTestDesk({ yaml: YAML('out_of_hours: { message: "Back {opnes}" }') })).rejects.toThrow(
      /out_of_hours\.message: unknown field \{opnes\} \(known: ticket, title, tier, opens/,
    );
  });
});
