import * as discord from '../adapters/discord/support.js';
import * as slack from '../adapters/slack/support.js';

/**
 * One deployment that serves every platform: the same people, tiers, SLA policies and limits; only
 * each person's and channel's platform ids differ. Every driver runs the contract on this config.
 */
export const CONTRACT_YAML = `
people:
  ann: { name: Ann Agent, slack: ${slack.ANN}, discord: "${discord.ann.id}" }
  bob: { name: Bob Backline, slack: ${slack.BOB}, discord: "${discord.bob.id}" }
tiers:
  - { id: L1, name: Help desk, agents: [ann], escalation_policy: l1-default, oncall_schedule: l1-primary, channels: { console: l1-desk, slack: ${slack.L1_DESK}, discord: "${discord.l1Desk.id}" } }
  - { id: L2, name: Second level, agents: [bob], channels: { console: l2-desk, slack: ${slack.L2_DESK}, discord: "${discord.l2Desk.id}" } }
discord:
  guilds: ["${discord.community.id}"]
  tickets_channel: "${discord.support.id}"
schedules:
  l1-primary: { zone: UTC, layers: [ { name: all-year, users: [ann], start: "2024-01-01T00:00", turn: 52 weeks } ] }
escalation_policies:
  l1-default: { steps: [ { notify: { schedule: l1-primary } }, { wait: 5m }, { notify: { channel: L1 } } ] }
calendars:
  office: { zone: UTC, hours: 24x7 }
sla:
  policies:
    - { priority: P2, first_response: 1 hour, resolution: 8 hours, calendar: office }
`;
