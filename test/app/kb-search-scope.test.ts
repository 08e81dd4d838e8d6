import { afterEach, describe, expect, it } from 'vitest';
import { questionsSeenFrom } from '../../src/capabilities/kb/search.js';
import { createTestDesk, type TestDesk } from '../support/desk.js';

// Whose solved questions a search shows is decided in one place, for chat and the dashboard alike.
const YAML = `
people:
  agent1: { name: Agent One, slack: U0AGENT1 }
  lena: { name: Lena Lead, slack: U0LENA }
  rita: { name: Rita Requester, slack: U0RITA }
tiers:
  - { id: L1, name: Help desk, agents: [agent1], leads: [lena], channels: { console: l1-desk } }
`;

let d: TestDesk;
afterEach(async () => {
  await d.close();
});

describe('the solved questions a search shows', () => {
  it('in chat: only the community searched from, whoever searches; on the dashboard: all for agents and leads, none for others', async () => {
    d = await createTestDesk({ yaml: YAML });
    const core = d.desk.core;
    const actor = (id: string) => core.directory.actor({ platform: 'web', space: 'web', id, name: id });
    const slackChannel = { platform: 'slack', space: 'T0WORK', channel: 'C0HELP' };
    const dashboard = { platform: 'web', space: 'web', channel: 'dashboard' };
    for (const who of ['agent1', 'lena', 'rita']) expect(questionsSeenFrom(core, actor(who), slackChannel), who).toBe(slackChannel);
    expect(questionsSeenFrom(core, actor('agent1'), dashboard)).toBeUndefined();
    expect(questionsSeenFrom(core, actor('lena'), dashboard)).toBeUndefined();
    expect(questionsSeenFrom(core, actor('rita'), dashboard)).toBe(dashboard);
  });
});
