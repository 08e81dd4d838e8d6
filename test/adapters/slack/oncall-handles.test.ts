import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ANN, BOB, SLACK_YAML, startSlackDesk, type SlackDesk } from './support.js';

// The L1 on-call handle on Slack: the user group S0ONCALL, whose members tierdesk sets to who is on
// call on l1-primary (Ann and Bob in turn, a day each from Monday 09:00 UTC, 09:00-17:00 only). Ann leads L1.
const YAML = `${SLACK_YAML.replace(
  'channels: { slack: C0L1DESK } }',
  'channels: { slack: C0L1DESK }, leads: [ann], oncall_schedule: l1-primary, oncall_handle: { slack: S0ONCALL } }',
)}
schedules:
  l1-primary:
    zone: UTC
    layers: [ { name: daily, users: [ann, bob], start: "2024-06-03T09:00", turn: 1 day, restrict: [ { from: "09:00", to: "17:00" } ] } ]
`;

let t: SlackDesk;
beforeEach(async () => {
  t = await startSlackDesk({ yaml: YAML });
  await t.desk.dispatcher.drain();
});
afterEach(async () => {
  await t.close();
});

const members = () => t.slack.web.workspace.usergroups.get('S0ONCALL');
const disabled = () => t.slack.web.workspace.disabledUsergroups.has('S0ONCALL');
const updates = () => t.slack.web.calls('usergroups.users.update').map((c) => c.args.users);

async function at(iso: string): Promise<void> {
  t.clock.set(iso);
  await t.desk.scheduler.tick();
  await t.desk.dispatcher.drain();
}

describe('the on-call user group on Slack', () => {
  it('is set at start and at each handoff (usergroups.users.update), disabled while nobody is on call, and not sent again when nothing changed', async () => {
    expect(YAML).toContain('oncall_handle'); // the replace above found its place
    expect(members()).toEqual([ANN]); // Olga, put there by hand, is gone: the group is tierdesk's
    await at('2024-06-03T17:00:00Z');
    // Nobody on call: Slack cannot empty a group, so it is disabled (nobody is notified by its mention).
    expect(disabled()).toBe(true);
    await at('2024-06-04T09:00:00Z');
    expect(disabled()).toBe(false);
    expect(members()).toEqual([BOB]);
    await at('2024-06-04T15:00:00Z');
    expect(updates()).toEqual([ANN, BOB]);
    expect(t.slack.web.calls('usergroups.disable')).toHaveLength(1);
    // Enabled before each update, the one after the disabled night included.
    const order = t.slack.web.calls().filter((c) => c.method.startsWith('usergroups.') && c.method !== 'usergroups.users.list');
    expect(order.map((c) => `${c.method} ${c.status}:${String((c.response as { ok?: boolean }).ok)}`)).toEqual([
      'usergroups.enable 200:true',
      'usergroups.users.update 200:true',
      'usergroups.disable 200:true',
      'usergroups.enable 200:true',
      'usergroups.users.update 200:true',
    ]);
  });

  it('an override moves the group at once, and its end moves it back', async () => {
    const sent = await t.sender.slashCommand({
      command: '/oncall',
      text: 'override bob --from 2024-06-03T09:00:00Z --to 2024-06-03T12:00:00Z',
      user_id: ANN,
      channel_id: 'C0L1DESK',
    });
    const { reply } = await t.handled(sent.triggerId);
    expect(reply?.text).toMatch(/Bob Backline is on call in l1-primary/);
    await t.desk.dispatcher.drain();
    expect(members()).toEqual([BOB]);

    await at('2024-06-03T12:00:00Z');
    expect(members()).toEqual([ANN]);
    expect(updates()).toEqual([ANN, BOB, ANN]);
  });
});
