import { YAML } from './support.js';

/** The dashboard's people, with an on-call schedule for L1 (led by lena) and the KB written by L2. */
export const PAGES_YAML = `${YAML.replace(
  '{ id: L1, name: Help desk, agents: [agent1], leads: [lena], channels: { console: l1-desk } }',
  '{ id: L1, name: Help desk, agents: [agent1], leads: [lena], channels: { console: l1-desk }, oncall_schedule: l1-rota, escalation_policy: l1-pager }',
)}
schedules:
  l1-rota:
    zone: UTC
    layers:
      - { name: days, users: [agent1, lena], start: "2024-06-03T08:00", turn: 1 day }
      - { name: weekend, users: [agent2], start: "2024-06-01T00:00", turn: 2 days, restrict: [ { days: [sat], from: "00:00", to: "24:00" } ] }
escalation_policies:
  l1-pager: { steps: [ { notify: { schedule: l1-rota } } ] }
kb:
  authors: [L2]
`;
