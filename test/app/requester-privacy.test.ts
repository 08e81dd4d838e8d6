import { afterEach, describe, expect, it } from 'vitest';
import { createTestDesk, type TestDesk } from '../support/desk.js';
import { seededRandom } from '../support/seeded-random.js';

// L2 pages through a policy, so escalating a P1 into it writes page events to the ticket's log.
const YAML = `
people: { requester: {}, agent1: { name: Agent One }, agent2: { name: Agent Two } }
tiers:
  - { id: L1, name: Help desk, agents: [agent1] }
  - { id: L2, name: Second level, agents: [agent2], escalation_policy: l2-default }
escalation_policies:
  l2-default:
    steps:
      - notify: { user: agent2 }
      - wait: 5m
paging:
  escalated_into: [P1, P2]
`;
const desks: TestDesk[] = [];
afterEach(async () => {
  for (const d of desks.splice(0)) await d.close();
});

/** A reason nobody could guess, so finding it anywhere is a leak: `zq` words from a seeded generator. */
function secretWords(random: () => number, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `zq${i}${Math.floor(random() * 1e9).toString(36)}`);
}

const INTERNAL = /page_|paged|escalated it|internal note|changed the priority|SLA |acknowledged the page/i;

describe('what a requester sees of a ticket', () => {
  for (const seed of [1, 2, 3]) {
    it(`never holds an agent's reasons, notes or page events (seed ${seed})`, async () => {
      const d = await createTestDesk({ yaml: YAML });
      desks.push(d);
      const [escalation, note, reopen] = secretWords(seededRandom(seed), 3);
      await d.say('requester', '/ticket new Database down --urgency high --impact high');
      await d.say('agent1', '/ticket claim 1');
      await d.say('agent1', `/ticket note 1 the customer is ${note}`);
      await d.say('agent1', '/ticket priority 1 --priority P2');
      await d.say('agent1', `/ticket escalate 1 customer is a known ${escalation}`);
      await d.say('agent2', '/ticket ack 1');
      await d.say('agent2', '/ticket reply 1 Restarted the primary');
      await d.say('agent2', '/ticket resolve 1 Restarted the primary');
      await d.say('agent2', `/ticket reopen 1 ${reopen}`);

      const agentHistory = (await d.say('agent2', '/ticket history 1')) ?? '';
      for (const secret of [escalation, note, reopen]) expect(agentHistory).toContain(secret);
      expect(agentHistory).toMatch(/paged L2/);

      const seen = [
        (await d.say('requester', '/ticket history 1')) ?? '',
        (await d.say('requester', '/ticket show 1')) ?? '',
        (await d.say('requester', '/ticket list --status all')) ?? '',
        (await d.say('requester', '/home')) ?? '',
        ...d.adapter.messages.filter((m) => m.place.channel === 'dm:requester').flatMap((m) => m.versions.map((v) => v.fallback)),
      ].join('\n');
      for (const secret of [escalation, note, reopen]) expect(seen).not.toContain(secret);
      expect(seen).not.toMatch(INTERNAL);
      // The public history is still there, in the requester's words.
      const history = (await d.say('requester', '/ticket history 1')) ?? '';
      expect(history).toMatch(/opened it[\s\S]*claimed it[\s\S]*moved it to Second level[\s\S]*replied: Restarted the primary/);
      expect(history).toMatch(/resolved it: Restarted the primary[\s\S]*reopened it$/);
    });
  }

  it("shows the requester's own reopen reason back to them", async () => {
    const d = await createTestDesk({ yaml: YAML });
    desks.push(d);
    await d.say('requester', '/ticket new Printer jammed');
    await d.say('agent1', '/ticket resolve 1 Cleared the tray');
    await d.say('requester', '/ticket reopen 1 it jammed again');
    expect(await d.say('requester', '/ticket history 1')).toMatch(/reopened it: it jammed again/);
  });
});
