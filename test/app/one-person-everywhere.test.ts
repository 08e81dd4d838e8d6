import { afterEach, describe, expect, it } from 'vitest';
import type { Inbound } from '../../src/ports.js';
import { createTestDesk, type TestDesk } from '../support/desk.js';

const YAML = `
people:
  agent1: { name: Agent One, console: agent1 }
  ann: { name: Ann Asker, console: ann, slack: UANN }
  sam: { name: Sam Someone, console: sam }
tiers:
  - { id: L1, name: Help desk, agents: [agent1], channels: { console: l1-desk } }
`;

let desk: TestDesk;
afterEach(async () => {
  await desk.close();
});

/** The same configured person, signed in to the dashboard (people id, space `web`). */
function onWeb(personId: string, n: number, body: Record<string, unknown>): Inbound {
  const from = { platform: 'web' as const, space: 'web', id: personId, name: personId };
  return {
    key: `web-test:${personId}:${n}`,
    at: desk.clock.now(),
    from,
    place: { platform: 'web', space: 'web', channel: 'web' },
    ...body,
  } as Inbound;
}

describe('one configured person is one requester on every platform', () => {
  it('lets ann, who raised #1 in the console, reply, rate and confirm it signed in elsewhere; sam may not', async () => {
    desk = await createTestDesk({ yaml: YAML });
    await desk.say('ann', '/ticket new Printer on fire');
    await desk.send(onWeb('ann', 1, { kind: 'message', ticket: 1, text: 'It smells of toner' }));
    expect(desk.thread('l1-desk', 1).join('\n')).toMatch(/It smells of toner/);
    expect(await desk.send(onWeb('sam', 2, { kind: 'message', ticket: 1, text: 'me too' }))).toMatch(/not yours/);
    await desk.say('agent1', '/ticket resolve 1 new toner');
    expect(await desk.send(onWeb('ann', 3, { kind: 'command', name: 'ticket', args: { sub: 'rate', number: '1', score: '5' } }))).toMatch(
      /you rated #1 5\/5/,
    );
    expect(await desk.send(onWeb('ann', 4, { kind: 'command', name: 'ticket', args: { sub: 'confirm', number: '1' } }))).toMatch(/closed/);
  });

  it('tells whoever listens which tickets each commit changed', async () => {
    desk = await createTestDesk({ yaml: YAML });
    const heard: number[][] = [];
    const off = desk.desk.onTicketsChanged((t) => heard.push([...t]));
    await desk.say('ann', '/ticket new Printer on fire');
    await desk.say('ann', '/ticket new Mouse gone');
    await desk.say('agent1', '/ticket claim 2');
    await desk.say('agent1', '/help');
    off();
    await desk.say('agent1', '/ticket claim 1');
    expect(heard).toEqual([[1], [2], [2]]);
  });
});
