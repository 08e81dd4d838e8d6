import { afterEach, describe, expect, it } from 'vitest';
import { createTestDesk, type TestDesk } from '../support/desk.js';

const YAML = `
people:
  agent1: { name: Agent One }
  bob: { name: Bob Backline }
  sam: { name: Sam Specialist }
  rita: { name: Rita Requester }
tiers:
  - { id: L1, name: Help desk, agents: [agent1], channels: { console: l1-desk } }
  - { id: L2, name: Second level, agents: [bob], channels: { console: l2-desk } }
  - { id: L3, name: Specialists, agents: [sam], channels: { console: l3-desk } }
kb: { authors: [L2, L3] }
`;

let desk: TestDesk;
afterEach(async () => {
  await desk.close();
});

/** `user` writes `text` in the thread under the consult card in `channel`. */
async function inConsultThread(channel: string, user: string, text: string) {
  const root = desk.adapter.messages.find((m) => m.place.channel === channel && m.card.title.startsWith('🤝 Consult C1'))!;
  return desk.send({
    key: `thread:${Math.random()}`,
    at: desk.clock.now(),
    from: { platform: 'console', space: 'local', id: user, name: user },
    place: { platform: 'console', space: 'local', channel, thread: root.id },
    kind: 'message',
    text,
    id: `said:${Math.random()}`,
  });
}

describe('consults between tiers', () => {
  it('asks the next tier with the ticket’s summary; an answer in the consult’s thread reaches the asking agents as a note', async () => {
    desk = await createTestDesk({ yaml: YAML });
    await desk.say('rita', '/ticket new VPN drops --description Every hour, since Monday');
    await desk.say('agent1', '/ticket claim 1');
    expect(await desk.say('agent1', '/ticket consult 1 Is this the known --verbose bug?')).toBe(
      "Consult C1 sent to Second level. The answer will appear in #1's thread as an internal note.",
    );
    const consultCard = desk.channel('l2-desk').find((m) => m.startsWith('🤝 Consult C1'));
    expect(consultCard).toMatch(
      /on #1 VPN drops \(open\)\nAgent One asks: Is this the known --verbose bug\?\n\nAbout #1 \(P3, L1\): Every hour, since Monday/,
    );
    expect(consultCard).toMatch(/\[Answer\] \/consult answer 1/);

    await inConsultThread('l2-desk', 'bob', 'Yes: update the client to 5.2.');
    expect(desk.thread('l1-desk', 1).join('\n')).toMatch(
      /🔒 Consult C1 answer from Bob Backline \(Second level\) on #1 \(not visible to the requester\)\nYes: update the client to 5\.2\./,
    );
    const show = await desk.say('agent1', '/ticket show 1');
    expect(show).toMatch(/Tier: L1 Help desk/);
    expect(show).toMatch(/Assignee: Agent One/);
    expect(desk.dm('rita').join('\n')).not.toMatch(/consult|5\.2/i);
  });

  it('answers with the form’s twin, closes, and saves the answer as a knowledge-base draft', async () => {
    desk = await createTestDesk({ yaml: YAML });
    await desk.say('rita', '/ticket new Disk full');
    await desk.say('agent1', '/ticket consult 1 Safe to purge /var/cache? --tier L3');
    expect(desk.channel('l3-desk').some((m) => m.startsWith('🤝 Consult C1'))).toBe(true);
    expect(await desk.say('sam', '/consult answer C1 Yes, apt clean is safe.')).toMatch(/internal note/);
    expect(await desk.say('sam', '/consult save C1')).toMatch(/Consult C1 closed; its answer is draft article 1/);
    expect(await desk.say('sam', '/kb show 1')).toMatch(/Safe to purge \/var\/cache\?[\s\S]*Yes, apt clean is safe\./);
    expect(await desk.say('sam', '/consult answer C1 more')).toBe('Consult C1 is closed.');
    expect(desk.channel('l3-desk').find((m) => m.startsWith('🤝 Consult C1'))).toMatch(/\(closed\)/);
  });

  it('is for agents only, names what is wrong, and shows in /ticket stats', async () => {
    desk = await createTestDesk({ yaml: YAML });
    await desk.say('rita', '/ticket new Printer');
    expect(await desk.say('rita', '/ticket consult 1 help?')).toMatch(/Only agents can do that/);
    expect(await desk.say('agent1', '/ticket consult 1')).toMatch(/A consult needs some text/);
    expect(await desk.say('agent1', '/ticket consult 1 why? --tier L1')).toMatch(/already with Help desk/);
    expect(await desk.say('bob', '/consult answer C9 hello')).toBe('There is no consult C9.');
    await desk.say('agent1', '/ticket consult 1 Toner or drum?');
    await desk.advance(20 * 60_000);
    await desk.say('bob', '/consult answer 1 Drum.');
    await desk.say('agent1', '/ticket consult 1 And the fuser?');
    expect(await desk.say('agent1', '/ticket stats')).toMatch(
      /Consults by tier asked: asked, answered, median time to answer\n {2}L2: 2 asked, 1 answered, median 20m/,
    );
  });
});
