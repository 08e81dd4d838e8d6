/**
 * Escalation policies: reading them, the timeline a page follows if nobody acknowledges, and the page
 * state machine the app drives with durable timers. Offsets are worked out from the waits by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  advancePage,
  nextStep,
  parseEscalationPolicies,
  parseEscalationPolicy,
  planPage,
  startPage,
  type EscalationPolicy,
  type PageEvent,
  type PageState,
} from '../../src/domain/escalation-policy.js';
import { createSchedule, type Schedule } from '../../src/domain/oncall-schedule.js';

const MIN = 60_000;
const at = (iso: string): number => Date.parse(iso);
const NAMES = { schedules: new Set(['l2-primary', 'nights']), users: new Set(['lead1', 'agent1', 'agent2']), tiers: new Set(['L1', 'L2']) };
const ISSUE_POLICY = {
  steps: [{ notify: { schedule: 'l2-primary' } }, { wait: '5m' }, { notify: { user: 'lead1' } }, { wait: '15m' }],
  repeat: 2,
};
const policyOf = (raw: unknown): EscalationPolicy => {
  const { policy, problems } = parseEscalationPolicy('p', raw, NAMES);
  if (!policy) throw new Error(problems.join('\n'));
  return policy;
};
const issuePolicy = policyOf(ISSUE_POLICY);

/** The issue's l2-primary without restriction or override: agent1 until 2024-11-05T06:00Z, then agent2. */
const schedules = new Map<string, Schedule>([
  [
    'l2-primary',
    createSchedule('l2-primary', { zone: 'America/Chicago', layers: [{ users: ['agent1', 'agent2'], start: '2024-10-29T00:00', turn: '1 week' }] }),
  ],
  [
    'nights',
    createSchedule('nights', {
      zone: 'UTC',
      layers: [{ users: ['agent1'], start: '2024-01-01T00:00', turn: '1 week', restrict: [{ from: '22:00', to: '06:00' }] }],
    }),
  ],
]);

describe('reading escalation_policies', () => {
  it('reads the issue example', () => {
    expect(issuePolicy).toEqual({
      name: 'p',
      steps: [
        { kind: 'notify', target: { kind: 'schedule', schedule: 'l2-primary' } },
        { kind: 'wait', ms: 5 * MIN },
        { kind: 'notify', target: { kind: 'user', user: 'lead1' } },
        { kind: 'wait', ms: 15 * MIN },
      ],
      repeat: 2,
    });
    expect(JSON.parse(JSON.stringify(issuePolicy))).toEqual(issuePolicy); // a page can snapshot it as JSON
  });

  it.each([
    ['5m', 5 * MIN],
    ['15 minutes', 15 * MIN],
    ['1h', 60 * MIN],
    ['90s', 1.5 * MIN],
  ])('wait %j is %i ms', (wait, ms) => {
    expect(policyOf({ steps: [{ notify: { channel: 'L2' } }, { wait }] }).steps[1]).toEqual({ kind: 'wait', ms });
  });

  it.each([
    [
      { steps: [{ notify: { schedule: 'l3-primary' } }] },
      'escalation_policies.p.steps[0].notify.schedule: "l3-primary" is not a schedule under schedules',
    ],
    [{ steps: [{ notify: { user: 'bob' } }] }, 'escalation_policies.p.steps[0].notify.user: "bob" is not a person under people'],
    [{ steps: [{ notify: { channel: 'L9' } }] }, 'escalation_policies.p.steps[0].notify.channel: "L9" is not a tier id under tiers'],
    [
      { steps: [{ notify: { team: 'x' } }] },
      'escalation_policies.p.steps[0].notify: {"team":"x"} must be one of { schedule: NAME }, { user: ID } or { channel: TIER }',
    ],
    [{ steps: [{ wait: '5m' }] }, 'escalation_policies.p.steps: has no notify step; a policy must notify someone'],
    [{ steps: [] }, 'escalation_policies.p.steps: must list steps such as [{ notify: { schedule: l2-primary } }, { wait: 5m }]'],
    [
      { steps: [{ notify: { user: 'lead1' } }, { wait: '0m' }] },
      'escalation_policies.p.steps[1].wait: "0m" must be longer than zero; give minutes or hours such as 5m, "15 minutes" or 1h',
    ],
    [
      { steps: [{ notify: { user: 'lead1' } }, { wait: '-5m' }] },
      'escalation_policies.p.steps[1].wait: "-5m" must be longer than zero; give minutes or hours such as 5m, "15 minutes" or 1h',
    ],
    [
      { steps: [{ notify: { user: 'lead1' } }, { wait: 5 }] },
      'escalation_policies.p.steps[1].wait: 5 is not a duration; give minutes or hours such as 5m, "15 minutes" or 1h',
    ],
    [
      { steps: [{ notify: { user: 'lead1' }, wait: '5m' }] },
      'escalation_policies.p.steps[0]: a step is either { notify: { schedule | user | channel: ... } } or { wait: DURATION }, not {"notify":{"user":"lead1"},"wait":"5m"}',
    ],
    [
      { steps: [{ notify: { user: 'lead1' } }, { wait: '5m' }], repeat: -1 },
      'escalation_policies.p.repeat: -1 is not a number of extra runs from 0 to 20',
    ],
    [
      { steps: [{ notify: { user: 'lead1' } }], repeat: 2 },
      'escalation_policies.p.repeat: the steps have no wait, so every repeat would fire at the same instant; add a wait step',
    ],
    [{ steps: [{ notify: { user: 'lead1' } }], retries: 2 }, 'escalation_policies.p.retries: unknown key (expected steps, repeat)'],
  ])('%j → %s', (raw, expected) => {
    expect(parseEscalationPolicy('p', raw, NAMES).problems).toEqual([expected]);
  });

  it('reports every problem at once and keeps the good policies', () => {
    const { policies, problems } = parseEscalationPolicies(
      {
        'l2-default': ISSUE_POLICY,
        broken: { steps: [{ notify: { schedule: 'gone' } }, { wait: '0m' }, { notify: { user: 'bob' } }], repeat: 'twice' },
      },
      NAMES,
    );
    expect([...policies.keys()]).toEqual(['l2-default']);
    expect(problems.map((p) => p.slice(0, p.indexOf(': ')))).toEqual([
      'escalation_policies.broken.steps[0].notify.schedule',
      'escalation_policies.broken.steps[1].wait',
      'escalation_policies.broken.steps[2].notify.user',
      'escalation_policies.broken.repeat',
    ]);
  });
});

describe('the timeline if nobody acknowledges', () => {
  const plan = (policy: EscalationPolicy, start: string) =>
    planPage(policy, schedules, at(start)).map(
      (n) => `+${n.offsetMs / MIN}m run ${n.run} step ${n.step} ${n.target.kind}: ${n.who.join(',') || (n.skipped ? 'skipped' : '-')}`,
    );

  it('waits, repeats, and resolves a schedule when the step fires, across a handoff', () => {
    // Started at 05:50Z: agent1 is on call until 06:00Z, so the second and third runs reach agent2.
    expect(plan(issuePolicy, '2024-11-05T05:50:00Z')).toEqual([
      '+0m run 0 step 0 schedule: agent1',
      '+5m run 0 step 2 user: lead1',
      '+20m run 1 step 0 schedule: agent2',
      '+25m run 1 step 2 user: lead1',
      '+40m run 2 step 0 schedule: agent2',
      '+45m run 2 step 2 user: lead1',
    ]);
  });

  it('nobody on call: the step is skipped and the page goes on; a channel step reaches the channel', () => {
    const policy = policyOf({
      steps: [{ wait: '2m' }, { notify: { schedule: 'nights' } }, { notify: { channel: 'L2' } }, { wait: '1h' }],
      repeat: 1,
    });
    // nights is on call 22:00-06:00 UTC. Run 0 fires at 21:02 (nobody); run 1 after the 1h wait and its own
    // leading 2m, at 22:04 (agent1).
    expect(plan(policy, '2024-06-03T21:00:00Z')).toEqual([
      '+2m run 0 step 1 schedule: skipped',
      '+2m run 0 step 2 channel: -',
      '+64m run 1 step 1 schedule: agent1',
      '+64m run 1 step 2 channel: -',
    ]);
    expect(planPage(policy, schedules, at('2024-06-03T21:00:00Z'))[0]).toMatchObject({
      index: 1,
      atMs: at('2024-06-03T21:02:00Z'),
      who: [],
      skipped: true,
    });
  });

  it('a schedule no longer known reaches nobody (skipped) rather than failing the page', () => {
    expect(planPage(issuePolicy, new Map(), at('2024-11-05T05:50:00Z'))[0]).toMatchObject({ who: [], skipped: true });
  });
});

describe('nextStep: the unrolled steps over every run', () => {
  const t = at('2024-11-05T05:50:00Z');
  it.each([
    [-1, t, { index: 0, dueAt: t }], // the page start fires the first notify step at once
    [0, t, { index: 2, dueAt: t + 5 * MIN }],
    [2, t + 5 * MIN, { index: 4, dueAt: t + 20 * MIN }], // run 1, step 0: after the trailing 15m wait
    [0, t + 3 * MIN, { index: 2, dueAt: t + 8 * MIN }], // a step that fired late still gets its full wait
    [10, t, undefined], // run 2, step 2 is the last notify step
  ])('after step %i fired at %i: %j', (index, firedAt, expected) => {
    expect(nextStep(issuePolicy, index, firedAt)).toEqual(expected);
  });

  it('a leading wait delays the first step', () => {
    expect(nextStep(policyOf({ steps: [{ wait: '2m' }, { notify: { user: 'lead1' } }] }), -1, t)).toEqual({ index: 1, dueAt: t + 2 * MIN });
  });
});

describe('the page state machine', () => {
  const t = at('2024-11-05T05:50:00Z');
  const run = (events: PageEvent[], from: PageState = startPage(issuePolicy, t)) => {
    const notified: number[] = [];
    let state = from;
    for (const event of events) {
      const step = advancePage(issuePolicy, state, event);
      if (step.notify !== undefined) notified.push(step.notify);
      state = JSON.parse(JSON.stringify(step.state)) as PageState; // stored and read back, as across a restart
    }
    return { state, notified };
  };

  it('starts with the first step armed', () => {
    expect(startPage(issuePolicy, t)).toEqual({ status: 'paging', fired: -1, next: { index: 0, dueAt: t } });
  });

  it('climbs through every step when nobody acknowledges, then stays open for an acknowledgement', () => {
    const dues = [0, 5, 20, 25, 40, 45];
    const { state, notified } = run([0, 2, 4, 6, 8, 10].map((index, i) => ({ kind: 'due', index, at: t + dues[i]! * MIN })));
    expect(notified).toEqual([0, 2, 4, 6, 8, 10]);
    expect(state).toEqual({ status: 'paging', fired: 10 });
    expect(run([{ kind: 'ack', by: 'lead1', at: t + 50 * MIN }], state).state).toMatchObject({ status: 'acknowledged', fired: 10 });
  });

  it.each([
    [0, 0], // acknowledged after the first notification
    [5, 2],
    [20, 4],
  ])('acknowledged %i minutes in (after step %i): no further step fires, even from a stale timer', (minutes, lastFired) => {
    const fired = [0, 2, 4].filter((index) => index <= lastFired);
    const dues = [0, 5, 20];
    const events: PageEvent[] = fired.map((index, i) => ({ kind: 'due', index, at: t + dues[i]! * MIN }));
    const { state, notified } = run([
      ...events,
      { kind: 'ack', by: 'agent1', at: t + minutes * MIN + 1 },
      { kind: 'due', index: lastFired + 2, at: t + 60 * MIN },
    ]);
    expect(notified).toEqual(fired);
    expect(state).toEqual({ status: 'acknowledged', fired: lastFired, by: 'agent1', at: t + minutes * MIN + 1 });
  });

  it('release returns to the acknowledged step at once, then climbs on with full waits', () => {
    const released = t + 30 * MIN;
    const { state, notified } = run([
      { kind: 'due', index: 0, at: t },
      { kind: 'due', index: 2, at: t + 5 * MIN },
      { kind: 'ack', by: 'lead1', at: t + 6 * MIN },
      { kind: 'release', at: released },
      { kind: 'due', index: 2, at: released },
    ]);
    expect(notified).toEqual([0, 2, 2]);
    expect(state).toEqual({ status: 'paging', fired: 2, next: { index: 4, dueAt: released + 15 * MIN } });
  });

  it('released before any step fired, the page starts over', () => {
    const policy = policyOf({ steps: [{ wait: '10m' }, { notify: { user: 'lead1' } }] });
    let state = startPage(policy, t);
    state = advancePage(policy, state, { kind: 'ack', by: 'lead1', at: t + MIN }).state;
    state = advancePage(policy, state, { kind: 'release', at: t + 3 * MIN }).state;
    expect(state).toEqual({ status: 'paging', fired: -1, next: { index: 1, dueAt: t + 13 * MIN } });
  });

  it('resolve stops the page from any state; later events change nothing', () => {
    const resolved = run([
      { kind: 'due', index: 0, at: t },
      { kind: 'resolve', at: t + MIN },
      { kind: 'due', index: 2, at: t + 5 * MIN },
      { kind: 'ack', by: 'x', at: t + 6 * MIN },
    ]);
    expect(resolved).toEqual({ state: { status: 'resolved', at: t + MIN }, notified: [0] });
    const afterAck = run([
      { kind: 'due', index: 0, at: t },
      { kind: 'ack', by: 'agent1', at: t + MIN },
      { kind: 'resolve', at: t + 2 * MIN },
    ]);
    expect(afterAck.state).toEqual({ status: 'resolved', at: t + 2 * MIN });
  });

  it('a timer that fires twice (restart) or early notifies once', () => {
    const { notified, state } = run([
      { kind: 'due', index: 0, at: t },
      { kind: 'due', index: 0, at: t + 1 },
      { kind: 'due', index: 2, at: t + 4 * MIN }, // before its due time
      { kind: 'due', index: 2, at: t + 5 * MIN },
      { kind: 'due', index: 2, at: t + 5 * MIN },
    ]);
    expect(notified).toEqual([0, 2]);
    expect(state).toEqual({ status: 'paging', fired: 2, next: { index: 4, dueAt: t + 20 * MIN } });
  });
});
