import { describe, expect, it } from 'vitest';
import { ConfigError, DEMO_CONFIG_YAML, loadConfig } from '../src/config.js';

function problems(yaml: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    loadConfig({ text: yaml, env });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('configuration', () => {
  it('loads the demo: three tiers, four people, SQLite at ./data/tierdesk.db', () => {
    const c = loadConfig({ text: DEMO_CONFIG_YAML, env: {} });
    expect(c.tiers.map((t) => `${t.id}:${t.agents.join(',')}:${t.channels.console}`)).toEqual(['L1:agent1:l1-desk', 'L2:agent2:l2-desk', 'L3:specialist:l3-desk']);
    expect(c.people.map((p) => p.id)).toEqual(['requester', 'agent1', 'agent2', 'specialist']);
    expect(c.database.url).toBe('./data/tierdesk.db');
    expect(c.tickets.reopenWindowMs).toBe(7 * 86_400_000);
  });

  it('takes the database from DATABASE_URL', () => {
    expect(loadConfig({ text: DEMO_CONFIG_YAML, env: { DATABASE_URL: ':memory:' } }).database.url).toBe(':memory:');
  });

  it('reports every problem at once, each with its key path', () => {
    const found = problems(`
people:
  agent1: { name: Agent One, discord: 12345, pager: yes }
tiers:
  - { id: L1, agents: [agent1, ghost], channels: { console: l1, teams: x } }
  - { id: L1, name: Again }
  - { name: No id }
tickets:
  default_urgency: asap
  reopen_window: soon
  categories: [hardware]
priority:
  matrix:
    high: { high: P0, medium: P2, low: P3 }
    medium: { high: P2, medium: P3, low: P4 }
routing:
  - { category: network, tier: L9 }
slackk: {}
`);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^slackk: unknown section/),
        expect.stringMatching(/^people\.agent1\.pager: unknown key/),
        expect.stringMatching(/^people\.agent1\.discord: a Discord user id is a snowflake/),
        expect.stringMatching(/^tiers\[0\]\.agents\[1\]: "ghost" is not a person under people/),
        expect.stringMatching(/^tiers\[0\]\.channels\.teams: unknown platform/),
        expect.stringMatching(/^tiers\[1\]\.id: L1 is used by another tier/),
        expect.stringMatching(/^tiers\[2\]\.id: is required/),
        expect.stringMatching(/^tickets\.default_urgency: must be one of high, medium, low/),
        expect.stringMatching(/^tickets\.reopen_window: must be a positive duration/),
        expect.stringMatching(/^priority\.matrix\.high\.high: must be one of P1\.\.P5/),
        expect.stringMatching(/^priority\.matrix\.low: is missing/),
        expect.stringMatching(/^routing\[0\]\.category: network is not in tickets\.categories/),
        expect.stringMatching(/^routing\[0\]\.tier: L9 is not a tier id/),
      ]),
    );
    expect(found).toHaveLength(13);
  });

  it('asks for at least one tier', () => {
    expect(problems('people: {}')).toEqual([expect.stringMatching(/^tiers: must list at least one tier/)]);
  });

  it('reports YAML syntax errors instead of crashing', () => {
    expect(problems('tiers: [ { id: L1 ')[0]).toMatch(/^YAML:/);
  });

  it('refuses a PostgreSQL URL until that support lands, saying so', () => {
    expect(problems(DEMO_CONFIG_YAML, { DATABASE_URL: 'postgres://x@localhost/db' })).toEqual([expect.stringMatching(/^DATABASE_URL: PostgreSQL is not supported yet/)]);
  });
});
