import { afterEach, describe, expect, it } from 'vitest';
import { createTestDesk, type TestDesk } from '../support/desk.js';

// A configuration `check` accepts, on a date where the resolution target runs past what business-time
// arithmetic can reach (the year 9999): computing the due time fails at run time.
const YAML = `
people:
  requester: { name: Requester }
  agent1: { name: Agent One }
tiers:
  - { id: L1, name: Help desk, agents: [agent1], channels: { console: l1-desk } }
sla:
  policies:
    - { priorities: [P1, P2, P3, P4, P5], first_response: 1 hour, resolution: 4 weeks, calendar: 24x7 }
`;

let desk: TestDesk;
afterEach(async () => {
  await desk.close();
});

describe('an SLA due time that cannot be computed', () => {
  it('never refuses the ticket: it opens, the clock is flagged in its history, and the agents are told on the card', async () => {
    desk = await createTestDesk({ yaml: YAML, now: '9999-12-20T00:00:00Z' });
    const reply = await desk.say('requester', '/ticket new Printer on fire');
    expect(reply).toMatch(/#1/);
    expect(reply).not.toMatch(/went wrong/i);
    expect(desk.channel('l1-desk')[0]).toMatch(
      /SLA: not running: the P1\+P2\+P3\+P4\+P5 policy's due time cannot be computed \(.*year 9999.*\); run tierdesk check/,
    );
    expect(await desk.say('agent1', '/ticket history 1')).toMatch(/sla_clock_failed|clock/i);
    expect(await desk.say('agent1', '/ticket show 1')).toMatch(/Printer on fire/);
  });
});
