import { afterEach, describe, expect, it } from 'vitest';
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
    expect(await desk.say('agent1', '/ticket stats')).toMatch(/Satisfaction by tier[\s\S]*L1: 4\.00\/5, 1\/1 answered \(100%\), 0 · 0 · 0 · 1 · 0/);
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
