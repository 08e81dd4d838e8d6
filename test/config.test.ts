import { describe, expect, it } from 'vitest';
import { ConfigError, DEMO_CONFIG_YAML, loadConfig } from '../src/config/config.js';

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
    expect(c.tiers.map((t) => `${t.id}:${t.agents.join(',')}:${t.channels.console}`)).toEqual([
      'L1:agent1:l1-desk',
      'L2:agent2:l2-desk',
      'L3:specialist:l3-desk',
    ]);
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

  it('takes a PostgreSQL URL as it is', () => {
    expect(loadConfig({ text: DEMO_CONFIG_YAML, env: { DATABASE_URL: ' postgres://x@localhost/db ' } }).database.url).toBe(
      'postgres://x@localhost/db',
    );
    expect(problems(DEMO_CONFIG_YAML, { DATABASE_URL: 'postgresql://x@localhost:5433/db?sslmode=require' })).toEqual([]);
  });
});

describe('calendars and SLA policies in config', () => {
  const base = `
people: { ada: {} }
tiers: [ { id: L1, agents: [ada] } ]
`;
  it('accepts calendars and policies, with the built-in 24x7 and 12x5', () => {
    const c = loadConfig({
      env: {},
      text: `${base}
calendars:
  berlin: { zone: Europe/Berlin, hours: { mon: ["09:00-17:00"] }, holidays: ["2024-12-25"] }
sla:
  warnings: [80%]
  groups: { gold: { people: [ada], ids: ["slack:U1"], discord_roles: ["300000000000000001"] } }
  policies:
    - { priority: P1, first_response: 30 minutes, resolution: 4 hours, calendar: 24x7 }
    - { priorities: [P2, P3], first_response: 2 hours, resolution: 2 days, calendar: berlin }
    - { priority: P1, group: gold, first_response: 10 minutes, resolution: 1 hour, calendar: 12x5, warnings: [50%, 90%] }
`,
    });
    expect([...c.calendars.keys()].sort()).toEqual(['12x5', '24x7', 'berlin']);
    expect(
      c.sla?.policies.map((p) => `${p.name}:${p.firstResponseMinutes}/${p.resolutionMinutes}@${p.calendar.name}:${p.warnings.join(',')}`),
    ).toEqual(['P1:30/240@24x7:0.8', 'P2+P3:120/2880@berlin:0.8', 'P1/gold:10/60@12x5:0.5,0.9']);
  });

  it('names the key of every bad calendar or policy; nothing is clamped', () => {
    const found = problems(`${base}
calendars:
  bad: { zone: Mars/Olympus, hours: { mon: ["25:00-26:00", "17:00-09:00"], tue: ["09:00-12:00", "11:00-13:00"] }, holidays: ["2024-02-30"] }
sla:
  policies:
    - { priority: P1, first_response: 0 minutes, resolution: -4 hours, calendar: nowhere }
    - { priority: P9, group: platinum, first_response: 1 hour, resolution: 2 hours, calendar: 24x7, warnings: [120%] }
`);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^calendars\.bad\.zone: "Mars\/Olympus" is not a known IANA time zone/),
        expect.stringMatching(/^calendars\.bad\.hours\.mon\[0\]/),
        expect.stringMatching(/^calendars\.bad\.hours\.mon\[1\]/),
        expect.stringMatching(/^calendars\.bad\.hours\.tue/),
        expect.stringMatching(/^calendars\.bad\.holidays\[0\]: "2024-02-30" is not a valid date/),
        expect.stringMatching(/^sla\.policies\[0\]\.first_response: must be a positive duration/),
        expect.stringMatching(/^sla\.policies\[0\]\.resolution: must be a positive duration/),
        expect.stringMatching(/^sla\.policies\[0\]\.calendar: "nowhere" is not a calendar/),
        expect.stringMatching(/^sla\.policies\[1\]\.priority: must be one of P1, P2, P3, P4, P5/),
        expect.stringMatching(/^sla\.policies\[1\]\.group: "platinum" is not a group/),
        expect.stringMatching(/^sla\.policies\[1\]\.warnings\[0\]: "120%" is not a percentage between 0% and 100%/),
      ]),
    );
  });
});

describe('Slack settings and credentials', () => {
  const base = `
people: { ann: { slack: U0ANN } }
tiers: [ { id: L1, agents: [ann], slack_usergroup: S0DESK, channels: { slack: C0L1DESK } } ]
slack: { reaction_channels: [C0GENERAL], reaction: ":ticket:" }
`;
  it('reads the reaction channels, the tier user group and the credentials from the environment', () => {
    const c = loadConfig({ text: base, env: { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'shh', PORT: '8080' } });
    expect(c.slack).toEqual({ reactionChannels: ['C0GENERAL'], reaction: 'ticket' });
    expect(c.tiers[0]?.slackUsergroup).toBe('S0DESK');
    expect(c.secrets.slack).toEqual({ botToken: 'xoxb-1', signingSecret: 'shh' });
    expect(c.port).toBe(8080);
    expect(loadConfig({ text: base, env: {} }).secrets.slack).toBeUndefined();
  });

  it('names the variable that is wrong, never its value', () => {
    const bad = problems(base, { SLACK_BOT_TOKEN: 'xoxp-user-token-secret', SLACK_APP_TOKEN: 'nope-secret', PORT: 'eighty' });
    expect(bad).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SLACK_BOT_TOKEN: must be a bot token starting with xoxb-/),
        expect.stringMatching(/^SLACK_APP_TOKEN: must be an app-level token starting with xapp-/),
        expect.stringMatching(/^PORT: must be a TCP port number/),
      ]),
    );
    expect(bad.join('\n')).not.toMatch(/user-token-secret|nope-secret/);
    expect(problems(base, { SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([expect.stringMatching(/^SLACK_SIGNING_SECRET: is missing/)]);
    expect(problems(base, { SLACK_SIGNING_SECRET: 'x' })).toEqual([expect.stringMatching(/^SLACK_BOT_TOKEN: is missing/)]);
  });

  it('dashboard sign-in credentials come in pairs: one half alone is named, never its value', () => {
    expect(problems(base, { SLACK_CLIENT_ID: '1.2' })).toEqual([
      expect.stringMatching(/^SLACK_CLIENT_SECRET: is missing: Sign in with Slack needs both/),
    ]);
    const bad = problems(base, { SLACK_CLIENT_SECRET: 'client-secret-value', DISCORD_CLIENT_SECRET: 'other-secret-value' });
    expect(bad).toEqual([expect.stringMatching(/^SLACK_CLIENT_ID: is missing/), expect.stringMatching(/^DISCORD_CLIENT_ID: is missing/)]);
    expect(bad.join('\n')).not.toMatch(/secret-value/);
    expect(
      problems(base, { SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 's', DISCORD_CLIENT_ID: '900000000000000001', DISCORD_CLIENT_SECRET: 's' }),
    ).toEqual([]);
  });

  it('checks the ids it is given', () => {
    expect(
      problems(`
people: {}
tiers: [ { id: L1, slack_usergroup: everyone } ]
slack: { reaction_channels: ["#general"], tokens: x }
`),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^tiers\[0\]\.slack_usergroup: a Slack user group id looks like S0123ABCD/),
        expect.stringMatching(/^slack\.reaction_channels\[0\]: "#general" is not a Slack channel id/),
        expect.stringMatching(/^slack\.tokens: unknown key .*tokens belong in the environment/),
      ]),
    );
  });
});

describe('on-call settings', () => {
  const base = `
people: { agent1: {}, agent2: {}, lead1: {} }
tiers:
  - { id: L2, agents: [agent2], escalation_policy: l2-default, oncall_schedule: l2-primary, hours: 24x7, leads: [lead1] }
schedules:
  l2-primary: { zone: UTC, layers: [ { name: weekly, users: [agent1, agent2], start: "2024-01-01T00:00", turn: 1 week } ] }
escalation_policies:
  l2-default: { steps: [ { notify: { schedule: l2-primary } }, { wait: 5m }, { notify: { user: lead1 } } ], repeat: 1 }
paging: { sla_breach: [P1, P2], escalated_into: all, handoff_to_channel: true }
`;
  it('reads schedules, policies, paging rules and the tiers\u2019 references to them', () => {
    const c = loadConfig({ text: base, env: {} });
    expect([...c.oncall.schedules.keys()]).toEqual(['l2-primary']);
    expect([...c.oncall.policies.keys()]).toEqual(['l2-default']);
    expect(c.oncall.paging).toEqual({
      openedOutsideHours: [],
      slaWarning: [],
      slaBreach: ['P1', 'P2'],
      escalatedInto: ['P1', 'P2', 'P3', 'P4', 'P5'],
    });
    expect(c.oncall.handoffToChannel).toBe(true);
    expect(c.tiers[0]).toMatchObject({ escalationPolicy: 'l2-default', oncallSchedule: 'l2-primary', hours: '24x7', leads: ['lead1'] });
  });

  it('names the key of every broken reference and rule', () => {
    const found = problems(`
people: { agent1: {} }
tiers: [ { id: L2, escalation_policy: nope, oncall_schedule: gone, hours: never, leads: [ghost] } ]
schedules:
  s1: { zone: UTC, layers: [ { name: w, users: [], start: "2024-01-01T00:00", turn: 0 days } ] }
escalation_policies:
  p1: { steps: [ { notify: { user: stranger } } ] }
paging: { sla_breach: [P9], when_bored: [P1] }
`);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^tiers\[0\]\.leads\[0\]: "ghost" is not a person/),
        expect.stringMatching(/^tiers\[0\]\.escalation_policy: "nope" is not under escalation_policies/),
        expect.stringMatching(/^tiers\[0\]\.oncall_schedule: "gone" is not under schedules/),
        expect.stringMatching(/^tiers\[0\]\.hours: "never" is not a calendar/),
        expect.stringMatching(/^schedules\.s1\.layers\[0\]\.users/),
        expect.stringMatching(/^schedules\.s1\.layers\[0\]\.turn/),
        expect.stringMatching(/^escalation_policies\.p1\.steps\[0\]/),
        expect.stringMatching(/^paging\.sla_breach\[0\]: must be one of P1/),
        expect.stringMatching(/^paging\.when_bored: unknown rule/),
      ]),
    );
  });
});

describe('on-call handles', () => {
  const schedule = 'schedules:\n  s1: { zone: UTC, layers: [ { name: w, users: [agent1], start: "2024-01-01T00:00", turn: 1 week } ] }\n';
  it('reads a tier\u2019s Slack user group and Discord role', () => {
    const c = loadConfig({
      text: `people: { agent1: {} }\ntiers: [ { id: L1, oncall_schedule: s1, oncall_handle: { slack: S0ONCALL, discord: "300000000000000002" } } ]\n${schedule}`,
      env: {},
    });
    expect(c.tiers[0]?.oncallHandle).toEqual({ slack: 'S0ONCALL', discord: '300000000000000002' });
  });

  it('names each handle that is the wrong shape, lacks a schedule, or belongs to two tiers', () => {
    const found = problems(`people: { agent1: {} }
tiers:
  - { id: L1, oncall_schedule: s1, oncall_handle: { slack: "@oncall", discord: "role-1", teams: x } }
  - { id: L2, oncall_handle: { slack: S0TWO } }
  - { id: L3, oncall_schedule: s1, oncall_handle: { slack: S0TWO } }
  - { id: L4, oncall_schedule: s1, oncall_handle: S0ONCALL }
${schedule}`);
    expect(found).toEqual([
      'tiers[0].oncall_handle.teams: unknown platform (known: slack, discord)',
      'tiers[0].oncall_handle.slack: a Slack user group id looks like S0123ABCD',
      'tiers[0].oncall_handle.discord: a Discord role id is a snowflake of 15 to 21 digits (quote it)',
      'tiers[3].oncall_handle: must be a mapping like { slack: S0123ABCD, discord: "300000000000000001" }',
      'tiers[1].oncall_handle: needs oncall_schedule: the handle follows who is on call on it',
      'tiers[2].oncall_handle.slack: S0TWO is already the on-call handle of tier L2',
    ]);
  });
});

describe('Discord settings', () => {
  it('needs the channel where private ticket threads are created when Discord runs', () => {
    const yaml = 'people: {}\ntiers: [ { id: L1, channels: { discord: "200000000000000002" } } ]\ndiscord: { guilds: ["400000000000000001"] }\n';
    expect(problems(yaml, { DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '900000000000000001' })).toEqual([
      expect.stringMatching(/^discord\.tickets_channel: is required to run the Discord adapter/),
    ]);
    expect(
      problems(`${yaml.replace('] }', '], tickets_channel: "200000000000000009" }')}`, {
        DISCORD_TOKEN: 't',
        DISCORD_APPLICATION_ID: '900000000000000001',
      }),
    ).toEqual([]);
  });
});

describe('peer support and knowledge base settings', () => {
  const tiers = 'people: { a: { name: A } }\ntiers: [ { id: L1, agents: [a] }, { id: L2 }, { id: L3 } ]\n';

  it('reads them, with defaults: points 10/2 capped 15 per question and 50 a day, KB authors every tier but the first', () => {
    const c = loadConfig({
      text: `${tiers}calendars: { office: { zone: UTC, hours: 12x5 } }\npeer:\n  channels: { console: [peer], slack: C0PEER, discord: ["300000000000000001"] }\n  moderators: [a]\n  helper_group: { slack: S0HELP, discord: "400000000000000001" }\n  helper_threshold: 30\n  unanswered: { ping_after: 30m, ticket_after: 4h, calendar: office, tier: l2 }\n  stale: { ask_after: 3 days, close_after: 2 days }\n`,
      env: {},
    });
    expect(c.peer.channels).toEqual({ console: ['peer'], slack: ['C0PEER'], discord: ['300000000000000001'] });
    expect(c.peer.points).toEqual({ solution: 10, thanks: 2, perThread: 15, perDay: 50 });
    expect(c.peer).toMatchObject({
      moderators: ['a'],
      helperGroup: { slack: 'S0HELP', discord: '400000000000000001' },
      helperThreshold: 30,
      stale: { askAfterMs: 3 * 86_400_000, closeAfterMs: 2 * 86_400_000 },
    });
    expect(c.peer.unanswered).toMatchObject({ pingAfterMs: 1_800_000, ticketAfterMs: 14_400_000, calendarName: 'office', tier: 'L2' });
    expect(c.kb).toEqual({ authors: ['L2', 'L3'], deflection: true });
    expect(loadConfig({ text: DEMO_CONFIG_YAML, env: {} }).peer.channels).toEqual({ console: ['peer'] });
  });

  it('lists every mistake with its key path', () => {
    expect(
      problems(
        `${tiers}peer:\n  channels: { teams: [x], discord: [general] }\n  moderators: [ghost]\n  helper_group: { slack: helpers, discord: "12" }\n  points: { solution: -1, bonus: 3 }\n  helper_threshold: 0\n  unanswered: { ping_after: 4h, ticket_after: 30m, calendar: nope, tier: L9 }\n  stale: { ask_after: soon }\n  tags: { open: "A very long tag name indeed" }\n  colour: blue\nkb: { authors: [L7], deflection: maybe }\n`,
      ),
    ).toEqual(
      expect.arrayContaining([
        'peer.colour: unknown key (known: channels, moderators, helper_group, points, helper_threshold, unanswered, stale, tags)',
        'peer.channels.teams: unknown platform (known: console, slack, discord)',
        'peer.channels.discord[0]: a Discord forum channel id is a snowflake of 15 to 21 digits',
        'peer.moderators[0]: "ghost" is not a person under people',
        'peer.helper_group.slack: a Slack user group id looks like S0123ABCD',
        'peer.helper_group.discord: a Discord role id is a snowflake of 15 to 21 digits',
        'peer.points.solution: must be a whole number from 0 to 1000000, not -1',
        'peer.points.bonus: unknown key (known: solution, thanks, per_thread, per_day)',
        'peer.helper_threshold: must be at least 1 point',
        'peer.unanswered.ticket_after: must be longer than ping_after: the helpers are asked first',
        'peer.unanswered.calendar: "nope" is not a calendar under calendars (known: 24x7, 12x5)',
        'peer.unanswered.tier: "L9" is not a tier (known: L1, L2, L3)',
        'peer.stale.ask_after: must be a duration like 30m, 4h or 2d, not "soon"',
        'peer.tags.open: a Discord forum tag name is at most 20 characters',
        'kb.authors[0]: "L7" is not a tier (known: L1, L2, L3)',
        'kb.deflection: must be true or false',
      ]),
    );
  });

  it('the example file is valid', () => {
    expect(() =>
      loadConfig({ path: 'tierdesk.example.yaml', env: { TIERDESK_WEBHOOK_SECRET: 'the-webhook-secret-from-the-environment' } }),
    ).not.toThrow();
  });
});
