import { afterEach, describe, expect, it } from 'vitest';
import { formatReport, slaReport } from '../../src/capabilities/sla/report.js';
import type { Inbound, Reply } from '../../src/ports.js';
import { createTestDesk, type TestDesk } from '../support/desk.js';

const YAML = (csat = '') => `
people:
  agent1: { name: Agent One, console: agent1, slack: UA1 }
  rita: { name: Rita Requester, console: rita, slack: URITA }
  sam: { name: Sam Someone, console: sam }
tiers:
  - { id: L1, name: Help desk, agents: [agent1], channels: { console: l1-desk, slack: CL1 } }
${csat}
`;

let desk: TestDesk;
afterEach(async () => {
  await desk.close();
});

async function resolved(csat = ''): Promise<void> {
  desk = await createTestDesk({ yaml: YAML(csat) });
  await desk.say('rita', '/ticket new Printer on fire');
  await desk.say('agent1', '/ticket claim 1');
  await desk.say('agent1', '/ticket resolve 1 replaced the fuser');
}

describe('satisfaction surveys', () => {
  it('asks the requester after resolution, alerts the tier and the assignee on a low rating, and takes changes until close', async () => {
    await resolved();
    const survey = desk.dm('rita').find((m) => m.startsWith('⭐ Rate #1'));
    expect(survey).toMatch(/from 1 \(poor\) to 5 \(great\)[\s\S]*\[1 poor\] \/ticket rate 1 1[\s\S]*\[5 great\] \/ticket rate 1 5/);
    expect(await desk.say('rita', '/ticket rate 1 2 took --three days')).toBe('Thanks: you rated #1 2/5.');
    const alert = /Low rating on #1: 2\/5[\s\S]*Rita Requester rated the resolution of #1 "Printer on fire" 2\/5\.\n“took --three days”/;
    expect(desk.channel('l1-desk').join('\n')).toMatch(alert);
    expect(desk.dm('agent1').join('\n')).toMatch(alert);
    expect(await desk.say('rita', '/ticket rate 1 4')).toBe('Thanks: your rating of #1 is now 4/5.');
    expect(await desk.say('agent1', '/ticket history 1')).toMatch(/rated/);
    expect(await desk.say('rita', '/ticket confirm 1')).toMatch(/closed/);
    expect(await desk.say('rita', '/ticket rate 1 5')).toMatch(/#1 is closed: ratings are taken until a ticket closes/);
    expect(await desk.say('agent1', '/ticket stats')).toMatch(/Satisfaction by tier[^\n]*\n.*\n.*\nL1 +1 +1 +100 +4 +0 +0 +0 +1 +0\n/);
  });

  it('lets only the requester rate, only a resolved ticket, with a score from 1 to 5', async () => {
    desk = await createTestDesk({ yaml: YAML() });
    await desk.say('rita', '/ticket new Printer on fire');
    expect(await desk.say('rita', '/ticket rate 1 5')).toMatch(/#1 is not resolved yet/);
    await desk.say('agent1', '/ticket resolve 1 fixed');
    expect(await desk.say('sam', '/ticket rate 1 5')).toMatch(/Only Rita Requester, who raised #1, can rate it/);
    expect(await desk.say('agent1', '/ticket rate 1 5')).toMatch(/Only Rita Requester/);
    expect(await desk.say('rita', '/ticket rate 1 6')).toMatch(/a whole number from 1 \(poor\) to 5 \(great\)/);
    expect(await desk.say('rita', '/ticket rate 1')).toMatch(/a whole number from 1/);
    expect(desk.channel('l1-desk').join('\n')).not.toMatch(/Low rating/);
  });

  it('asks again after a reopen and a second resolution, and once only per resolution', async () => {
    await resolved();
    await desk.advance(60_000);
    await desk.say('rita', '/ticket reopen 1 still jams');
    await desk.say('agent1', '/ticket resolve 1 new drum');
    expect(desk.dm('rita').filter((m) => m.startsWith('⭐ Rate #1'))).toHaveLength(2);
  });

  it('asks at close instead when configured so, and never when disabled', async () => {
    await resolved('csat: { ask: on_close }');
    expect(desk.dm('rita').some((m) => m.startsWith('⭐ Rate'))).toBe(false);
    await desk.say('rita', '/ticket confirm 1');
    expect(desk.dm('rita').some((m) => m.startsWith('⭐ Rate'))).toBe(true);
    expect(await desk.say('rita', '/ticket rate 1 5')).toBe('Thanks: you rated #1 5/5.');
    await desk.close();
    await resolved('csat: { enabled: false }');
    expect(desk.dm('rita').some((m) => m.startsWith('⭐ Rate'))).toBe(false);
    expect(await desk.say('rita', '/ticket rate 1 5')).toMatch(/not collected/);
  });

  it('opens the comment form when a rating button is pressed on Slack, unless comments are off', async () => {
    const fromSlack = async (csat = '') => {
      desk = await createTestDesk({ yaml: YAML(csat) });
      await desk.desk.handle({
        key: `k${Math.random()}`,
        at: desk.clock.now(),
        kind: 'command',
        name: 'ticket',
        text: 'new Printer on fire',
        from: { platform: 'slack', space: 'T1', id: 'URITA', name: 'rita' },
        place: { platform: 'slack', space: 'T1', channel: 'DRITA' },
      } as Inbound);
      await desk.say('agent1', '/ticket resolve 1 replaced the fuser');
    };
    await fromSlack();
    const press = (): Promise<Reply | void> =>
      desk.desk.handle({
        key: `k${Math.random()}`,
        at: desk.clock.now(),
        kind: 'action',
        action: 'rate',
        value: '1 3',
        from: { platform: 'slack', space: 'T1', id: 'URITA', name: 'rita' },
        place: { platform: 'slack', space: 'T1', channel: 'DRITA' },
      } as Inbound);
    const form = (await press())?.form;
    expect(form?.fields.map((f) => f.name)).toEqual(['comment']);
    expect(form?.submit.args).toEqual({ sub: 'rate', number: '1', score: '3' });
    await desk.close();
    await fromSlack('csat: { comment: false }');
    expect((await press())?.text).toBe('Thanks: you rated #1 3/5.');
  });

  it('refuses a misconfigured csat section with its key path', async () => {
    await expect(createTestDesk({ yaml: YAML('csat: { ask: sometimes, alert_below: 9 }') })).rejects.toThrow(/csat\.ask[\s\S]*csat\.alert_below/);
    desk = await createTestDesk({ yaml: YAML() });
  });
});

describe('satisfaction in the report', () => {
  const DAY = 86_400_000;

  /** Three resolutions a week apart: #1 (Agent One, P2) rated 5, #2 (unassigned, P3) rated 2, #3 (Agent One, P3) not rated. */
  async function rated(): Promise<{ from: number; to: number }> {
    desk = await createTestDesk({ yaml: YAML(), now: '2024-06-03T09:00:00Z' });
    const from = desk.clock.now();
    await desk.say('rita', '/ticket new Printer on fire --urgency high --impact high');
    await desk.say('agent1', '/ticket claim 1');
    await desk.say('agent1', '/ticket resolve 1 new fuser');
    await desk.say('rita', '/ticket rate 1 5');
    await desk.advance(7 * DAY);
    await desk.say('rita', '/ticket new Scanner jams');
    await desk.say('agent1', '/ticket resolve 2 cleaned it');
    await desk.say('rita', '/ticket rate 2 2 slow');
    await desk.say('rita', '/ticket new Mouse squeaks');
    await desk.say('agent1', '/ticket claim 3');
    await desk.say('agent1', '/ticket resolve 3 oiled it');
    return { from, to: desk.clock.now() + 1 };
  }

  it('gives the average, the distribution, the response rate by tier, agent, priority and period', async () => {
    const range = await rated();
    const csat = async (by: 'tier' | 'agent' | 'priority' | 'week' | 'month') => (await slaReport(desk.desk.core, { ...range, by })).csat!.rows;
    expect(await csat('tier')).toEqual([
      { group: 'L1', asked: 3, rated: 2, responseRatePct: 66.7, average: 3.5, distribution: [0, 1, 0, 0, 1] },
      { group: 'all', asked: 3, rated: 2, responseRatePct: 66.7, average: 3.5, distribution: [0, 1, 0, 0, 1] },
    ]);
    expect((await csat('agent')).map((r) => [r.group, r.asked, r.rated, r.average])).toEqual([
      ['Agent One', 2, 1, 5],
      ['unassigned', 1, 1, 2],
      ['all', 3, 2, 3.5],
    ]);
    expect((await csat('priority')).map((r) => [r.group, r.rated, r.distribution])).toEqual([
      ['P1', 1, [0, 0, 0, 0, 1]],
      ['P3', 1, [0, 1, 0, 0, 0]],
      ['all', 2, [0, 1, 0, 0, 1]],
    ]);
    expect((await csat('week')).map((r) => [r.group, r.asked, r.responseRatePct])).toEqual([
      ['2024-W23', 1, 100],
      ['2024-W24', 2, 50],
      ['all', 3, 66.7],
    ]);
    expect((await csat('month')).map((r) => r.group)).toEqual(['2024-06', 'all']);
    // A report of one tier counts that tier's surveys only, as its SLA rows do.
    const ofTier = async (tier: string) => (await slaReport(desk.desk.core, { ...range, by: 'tier', tier })).csat!.rows;
    expect(await ofTier('L2')).toEqual([{ group: 'all', asked: 0, rated: 0, responseRatePct: null, average: null, distribution: [0, 0, 0, 0, 0] }]);
    expect((await ofTier('L1')).at(-1)).toMatchObject({ asked: 3, rated: 2, average: 3.5 });
    expect(await desk.say('agent1', '/ticket stats --by week')).toMatch(
      /Satisfaction by week.*\n.*\n.*\n2024-W23 +1 +1 +100 +5 +0 +0 +0 +0 +1\n2024-W24 +2 +1 +50 +2 +0 +1 +0 +0 +0/,
    );
  });

  it('prints them in the table, the JSON and the CSV of tierdesk report', async () => {
    const range = await rated();
    const report = await slaReport(desk.desk.core, { ...range, by: 'agent' });
    expect(formatReport(report, 'table')).toMatch(
      /Satisfaction by agent.*\ngroup +asked +rated +response % +average +1 +2 +3 +4 +5\n[- ]+\nAgent One +2 +1 +50 +5 +0 +0 +0 +0 +1\n/,
    );
    const json = JSON.parse(formatReport(report, 'json')) as { csat: { rows: Array<{ group: string; average: number | null }> } };
    expect(json.csat.rows.map((r) => [r.group, r.average])).toEqual([
      ['Agent One', 5],
      ['unassigned', 2],
      ['all', 3.5],
    ]);
    const csv = formatReport(report, 'csv').split('\n');
    const header = csv.indexOf('satisfaction group,asked,rated,response %,average,rated 1,rated 2,rated 3,rated 4,rated 5');
    expect(header).toBeGreaterThan(0);
    expect(csv.slice(header + 1, header + 4)).toEqual([
      'Agent One,2,1,50,5,0,0,0,0,1',
      'unassigned,1,1,100,2,0,1,0,0,0',
      'all,3,2,66.7,3.5,0,1,0,0,1',
    ]);
  });

  it('leaves satisfaction out when csat is off', async () => {
    desk = await createTestDesk({ yaml: YAML('csat: { enabled: false }') });
    const now = desk.clock.now();
    const report = await slaReport(desk.desk.core, { from: now - DAY, to: now, by: 'tier' });
    expect(report.csat).toBeUndefined();
    expect(formatReport(report, 'table')).not.toMatch(/Satisfaction/);
  });
});
