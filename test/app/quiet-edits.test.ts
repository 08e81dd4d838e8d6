import { afterEach, describe, expect, it } from 'vitest';
import { createTestDesk, type TestDesk } from '../support/desk.js';

const YAML = `
people:
  requester: { name: Requester, console: requester }
  agent1: { name: Agent One, console: agent1 }
tiers:
  - { id: L1, name: Help desk, agents: [agent1], channels: { console: l1-desk } }
calendars:
  office: { zone: UTC, hours: 24x7 }
sla:
  policies:
    - { priority: P2, first_response: 1 hour, resolution: 8 hours, calendar: office, warnings: [50%, 75%] }
`;

let desk: TestDesk;
afterEach(async () => {
  await desk.close();
});

describe('no platform call that changes nothing', () => {
  it('does not edit the requester card on SLA warnings and breaches it does not show; the agents card follows its clocks', async () => {
    desk = await createTestDesk({ yaml: YAML, now: '2024-06-03T09:00:00Z' });
    await desk.say('requester', '/ticket new Printer on fire --urgency high');
    const anchor = () => desk.adapter.messages.find((m) => m.place.channel === 'dm:requester' && m.place.thread === undefined)!;
    const agentCard = () => desk.adapter.messages.find((m) => m.place.channel === 'l1-desk' && m.place.thread === undefined)!;
    const [requesterBefore, agentsBefore] = [anchor().versions.length, agentCard().versions.length];
    await desk.advance(30 * 60_000); // 50%
    await desk.advance(15 * 60_000); // 75%
    await desk.advance(20 * 60_000); // breach
    expect(anchor().versions.length).toBe(requesterBefore);
    expect(agentCard().versions.length).toBeGreaterThanOrEqual(agentsBefore + 3);
    // A change the requester can see still reaches their card.
    await desk.say('agent1', '/ticket claim 1');
    expect(anchor().versions.length).toBe(requesterBefore + 1);
    expect(anchor().card.fallback).toMatch(/claimed/);
  });
});
