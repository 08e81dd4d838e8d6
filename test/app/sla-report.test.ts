import { afterEach, describe, expect, it } from 'vitest';
import { formatReport, slaReport, type Report } from '../../src/capabilities/sla/report.js';
import { createTestDesk, type TestDesk } from '../support/desk.js';

const YAML = `
people: { requester: {}, agent1: { name: Agent One }, agent2: { name: Agent Two } }
tiers:
  - { id: L1, name: Help desk, agents: [agent1] }
  - { id: L2, name: Second level, agents: [agent2] }
sla:
  policies:
    - { priority: P2, first_response: 1 hour, resolution: 4 hours, calendar: 24x7 }
    - { priority: P3, first_response: 2 hours, resolution: 8 hours, calendar: 24x7 }
`;
const MIN = 60_000;
let desk: TestDesk;
afterEach(async () => desk.close());

describe('the SLA report', () => {
  it('gives attainment, breaches, median and p90 per group, and the backlog', async () => {
    desk = await createTestDesk({ yaml: YAML, now: '2024-06-03T09:00:00Z' });
    // #1 P2: answered in 10 min, resolved in 30 min (met, met)
    await desk.say('requester', '/ticket new One --urgency high');
    await desk.advance(10 * MIN);
    await desk.say('agent1', '#1 looking');
    await desk.advance(20 * MIN);
    await desk.say('agent1', '/ticket resolve 1 done');
    // #2 P2: first response after 90 min (breached), still open
    await desk.say('requester', '/ticket new Two --urgency high');
    await desk.advance(90 * MIN);
    await desk.say('agent1', '#2 sorry for the wait');
    // #3 P3, escalated to L2, untouched
    await desk.say('requester', '/ticket new Three');
    await desk.say('agent1', '/ticket escalate 3 needs L2');

    const core = desk.desk.core;
    const report = await slaReport(core, { from: Date.parse('2024-06-01T00:00:00Z'), to: Date.parse('2024-06-04T00:00:00Z'), by: 'priority' });
    const p2 = report.rows.find((r) => r.group === 'P2')!;
    expect(p2).toMatchObject({
      tickets: 2,
      firstResponseAttainmentPct: 50,
      resolutionAttainmentPct: 100,
      breaches: 1,
      firstResponseMedianMin: 10,
      firstResponseP90Min: 90,
      resolutionMedianMin: 30,
    });
    expect(report.rows.at(-1)).toMatchObject({ group: 'all', tickets: 3 });
    expect(report.backlog).toEqual({ L1: 1, L2: 1 });

    const byTier = await slaReport(core, { from: Date.parse('2024-06-01T00:00:00Z'), to: Date.parse('2024-06-04T00:00:00Z'), by: 'tier' });
    expect(byTier.rows.map((r) => r.group)).toEqual(['L1', 'L2', 'all']);

    const csv = formatReport(report, 'csv').split('\n');
    expect(csv[0]).toBe(
      'group,tickets,first response met %,resolution met %,breaches,first response median min,first response p90 min,resolution median min,resolution p90 min',
    );
    expect(csv).toContain('P2,2,50,100,1,10,90,30,30');
    expect(JSON.parse(formatReport(report, 'json')).rows).toHaveLength(3);
    expect(formatReport(report, 'table')).toMatch(/Backlog now: L1 1, L2 1/);

    expect(await desk.say('agent1', '/ticket stats --by priority')).toMatch(/P2\s+2\s+50\s+100\s+1/);
    expect(await desk.say('requester', '/ticket stats')).toMatch(/^Only agents and leads can do that \(SLA attainment/);
    // Declared once (who: staff): /help files it under agents and leads, as the check admits both.
    expect(await desk.say('requester', '/help')).toMatch(/\nAgents and leads:\n {2}\/ticket stats/);
    expect(await desk.say('agent1', '/ticket stats --by colour')).toMatch(/--by must be tier, priority, agent, week, month/);
  });
});

describe('the SLA report as CSV', () => {
  it('neutralises group names a spreadsheet would run as formulas; numbers stay bare', async () => {
    const yaml = YAML.replace('agent1: { name: Agent One }', 'agent1: { name: "=HYPERLINK(\\"https://evil.example/\\";\\"x\\")" }').replace(
      'agent2: { name: Agent Two }',
      'agent2: { name: "-Agent Two" }',
    );
    desk = await createTestDesk({ yaml, now: '2024-06-03T09:00:00Z' });
    await desk.say('requester', '/ticket new One --urgency high');
    await desk.say('agent1', '/ticket claim 1');
    await desk.say('requester', '/ticket new Two --urgency high');
    await desk.say('agent1', '/ticket escalate 2 needs L2');
    await desk.say('agent2', '/ticket claim 2');
    await desk.advance(10 * MIN);
    await desk.say('agent2', '#2 on it');
    const report = await slaReport(desk.desk.core, { from: Date.parse('2024-06-01T00:00:00Z'), to: Date.parse('2024-06-04T00:00:00Z'), by: 'agent' });
    expect(report.rows.map((r) => r.group)).toEqual(['-Agent Two', '=HYPERLINK("https://evil.example/";"x")', 'all']);
    const lines = formatReport(report, 'csv').split('\n');
    expect(lines).toContain("'-Agent Two,1,100,,0,10,10,,");
    expect(lines).toContain(`"'=HYPERLINK(""https://evil.example/"";""x"")",1,,,0,,,,`);
    expect(lines.filter((l) => /^[=+\-@\t\r]/.test(l))).toEqual([]);
  });

  it('neutralises every text cell starting with = + - @ tab or CR, and writes numbers (even negative ones) bare', async () => {
    desk = await createTestDesk({ yaml: YAML }); // the file's afterEach closes a desk after every test
    const row = {
      tickets: 1,
      firstResponseAttainmentPct: 50,
      resolutionAttainmentPct: null,
      breaches: -1,
      firstResponseMedianMin: -2.5,
      firstResponseP90Min: 0,
      resolutionMedianMin: null,
      resolutionP90Min: null,
    };
    const report: Report = {
      from: 0,
      to: 1,
      by: 'agent',
      backlog: {},
      rows: [
        { ...row, group: '\tTab' },
        { ...row, group: '\r=CR' },
        { ...row, group: '+plus' },
        { ...row, group: 'plain, "quoted"' },
      ],
      deflection: {
        offers: 1,
        helped: 0,
        openedAnyway: 0,
        noAnswerYet: 1,
        ratePct: 0,
        docs: [{ doc: 'question:2', title: '@SUM(A1)', offers: 1, helped: 0, openedAnyway: 0, noAnswerYet: 1 }],
      },
    };
    const lines = formatReport(report, 'csv').split('\n');
    expect(lines.slice(1, 5)).toEqual([
      "'\tTab,1,50,,-1,-2.5,0,,",
      `"'\r=CR",1,50,,-1,-2.5,0,,`,
      "'+plus,1,50,,-1,-2.5,0,,",
      '"plain, ""quoted""",1,50,,-1,-2.5,0,,',
    ]);
    expect(lines).toContain("question:2,'@SUM(A1),1,0,0,1,0");
  });
});
