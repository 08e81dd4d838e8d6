import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { feedToken } from '../../adapters/web/ical.js';
import { Browser, SECRET, startTestDashboard, type Dashboard } from './support.js';

const SCHEDULE = 'first-level-primary-rotation-of-the-help-desk';
const YAML = `
people:
  ann: { name: Ann Asker, console: ann }
  agent1: { name: 'Agent One, "Night Owl"; on call', console: agent1 }
  agent2: { name: Agent Two, console: agent2 }
  lena: { name: Lena Lead, console: lena }
tiers:
  - { id: L1, name: Help desk, agents: [agent1, agent2], leads: [lena], channels: { console: l1-desk }, oncall_schedule: ${SCHEDULE} }
schedules:
  ${SCHEDULE}:
    zone: Europe/Berlin
    layers:
      - { name: weekly, users: [agent1, agent2], start: "2024-06-03T11:00", turn: 1 week }
`;

let d: Dashboard;
beforeEach(async () => {
  d = await startTestDashboard(YAML);
});
afterEach(async () => {
  await d.close();
});

async function feed(path: string, token?: string) {
  const res = await fetch(`${d.base}${path}${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');
const field = (ics: string, name: string) => [...unfold(ics).matchAll(new RegExp(`^${name}[:;](.*)$`, 'gm'))].map((m) => m[1]!.replace(/\r$/, ''));

describe('on-call calendar feeds', () => {
  it('are RFC 5545: CRLF lines of at most 75 octets, escaped text, UTC instants, a stamp and stable UIDs', async () => {
    const token = await feedToken(d.desk.desk.core, SECRET, 'agent1');
    const a = await feed(`/oncall/${SCHEDULE}.ics`, token);
    expect(a.status).toBe(200);
    expect(a.type).toMatch(/^text\/calendar/);
    expect(a.text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(a.text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of a.text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8'), line).toBeLessThanOrEqual(75);
    expect(a.text).toMatch(/\r\n /); // a long summary was folded
    expect(field(a.text, 'SUMMARY')[0]).toBe(`Agent One\\, "Night Owl"\\; on call on call (${SCHEDULE})`);
    // 11:00 in Berlin in June is 09:00 UTC; a week each, four weeks ahead.
    expect(field(a.text, 'DTSTART').slice(0, 2)).toEqual(['20240603T090000Z', '20240610T090000Z']);
    expect(field(a.text, 'DTEND')[0]).toBe('20240610T090000Z');
    expect(field(a.text, 'DTSTAMP')[0]).toBe('20240603T090000Z');
    expect(field(a.text, 'SUMMARY').length).toBeGreaterThanOrEqual(4);
    const uids = field(a.text, 'UID');
    expect(new Set(uids).size).toBe(uids.length);
    // Three days into the first shift, it still starts when it started: same UID, same DTSTART.
    d.desk.clock.advance(3 * 86_400_000);
    const later = (await feed(`/oncall/${SCHEDULE}.ics`, token)).text;
    expect(field(later, 'UID').slice(0, 3)).toEqual(uids.slice(0, 3));
    expect(field(later, 'DTSTART')[0]).toBe('20240603T090000Z');
  });

  it('show a person their own shifts with the overrides leads add', async () => {
    expect(await d.desk.say('lena', `/oncall override agent2 --from 2024-06-04T00:00:00Z --to 2024-06-05T00:00:00Z`)).toMatch(/agent2|Agent Two/);
    const mine = await feed('/oncall/people/agent2.ics', await feedToken(d.desk.desk.core, SECRET, 'agent2'));
    expect(mine.status).toBe(200);
    expect(field(mine.text, 'DTSTART')).toContain('20240604T000000Z');
    expect(field(mine.text, 'DTSTART')).toContain('20240610T090000Z');
    const team = await feed(`/oncall/${SCHEDULE}.ics`, await feedToken(d.desk.desk.core, SECRET, 'ann'));
    expect(field(team.text, 'SUMMARY')).toContain(`Agent Two on call (${SCHEDULE})`);
  });

  it('answer only a valid token of their person, and a new address revokes the old one', async () => {
    const token = await feedToken(d.desk.desk.core, SECRET, 'agent1');
    expect((await feed(`/oncall/${SCHEDULE}.ics`)).status).toBe(401);
    expect((await feed(`/oncall/${SCHEDULE}.ics`, `${token.slice(0, -1)}x`)).status).toBe(401);
    expect((await feed(`/oncall/${SCHEDULE}.ics`, 'nobody.abc')).status).toBe(401);
    expect((await feed('/oncall/people/agent2.ics', token)).status).toBe(403);
    expect((await feed('/oncall/nope.ics', token)).status).toBe(404);
    const b = new Browser(d);
    await b.signIn('agent1');
    const page = await b.get('/tokens');
    expect(page.body).toContain(`/oncall/people/agent1.ics?token=${token}`);
    const reset = await b.post('/tokens/feed/reset', {});
    expect(reset.body).toMatch(/a new address/);
    expect((await feed('/oncall/people/agent1.ics', token)).status).toBe(401);
    const fresh = /\/oncall\/people\/agent1\.ics\?token=([^<\s]+)/.exec(reset.body)![1]!.replace(/&amp;/g, '&');
    expect((await feed('/oncall/people/agent1.ics', decodeURIComponent(fresh))).status).toBe(200);
  });
});
