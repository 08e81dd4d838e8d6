import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { oncall } from '../../src/capabilities/oncall/index.js';
import { PermanentDeliveryError, type Card, type ChatAdapter, type Inbound, type Person, type Place, type Reply } from '../../src/ports.js';
import { createTestDesk, type TestDesk } from '../support/desk.js';

// On-call handles through the outbox, on both dialects: a platform whose groups are given member by
// member (as Discord's roles are), that fails once. Ann and Bob take l1-rota in turn, a day each.
const ROLE = '300000000000000002';
const ANN = '100000000000000001';
const BOB = '100000000000000002';
const YAML = `
people:
  ann: { name: Ann, discord: "${ANN}" }
  bob: { name: Bob, discord: "${BOB}" }
tiers:
  - { id: L1, agents: [ann, bob], oncall_schedule: l1-rota, leads: [ann], oncall_handle: { discord: "${ROLE}" } }
schedules:
  l1-rota: { zone: UTC, layers: [ { name: daily, users: [ann, bob], start: "2024-06-03T09:00", turn: 1 day } ] }
`;

/** Role holders by user id; `failures` are thrown by the next calls. */
class RolePlatform implements ChatAdapter {
  readonly platform = 'discord' as const;
  readonly holders = new Set<string>();
  readonly calls: string[] = [];
  readonly failures: Error[] = [];
  /** Failures thrown right after the role was given (as a crash between the platform call and its record would). */
  readonly failuresAfterGiving: Error[] = [];
  async start(_deliver: (event: Inbound) => Promise<Reply | void>): Promise<void> {}
  async stop(): Promise<void> {}
  async post(place: Place, _card: Card) {
    return { messageId: 'm', place };
  }
  async edit(): Promise<void> {}
  async openDirect(p: Person): Promise<Place> {
    return { platform: 'discord', space: p.space, channel: `dm:${p.id}` };
  }
  async addToGroup(p: Person, group: string): Promise<boolean> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.calls.push(`add ${p.id} ${group}`);
    if (this.holders.has(p.id)) return false;
    this.holders.add(p.id);
    const after = this.failuresAfterGiving.shift();
    if (after) throw after;
    return true;
  }
  async removeFromGroup(p: Person, group: string): Promise<void> {
    this.calls.push(`remove ${p.id} ${group}`);
    this.holders.delete(p.id);
  }
}

let d: TestDesk;
let roles: RolePlatform;
beforeEach(async () => {
  roles = new RolePlatform();
  d = await createTestDesk({ yaml: YAML, adapters: [roles] });
  await oncall.start!(d.desk.core); // what desk.start runs for the capability
});
afterEach(async () => {
  await d.close();
});

const grants = async () => (await d.db.selectFrom('oncall_handle_grants').select(['grp', 'user_id']).execute()).map((r) => `${r.grp}:${r.user_id}`);

describe('on-call handles through the outbox', () => {
  it('retries a failed change, remembers what it gave, and moves the role at the handoff', async () => {
    roles.failures.push(new Error('503 from the platform'));
    await d.desk.dispatcher.drain();
    expect([...roles.holders]).toEqual([]); // the first try failed; the row waits for its retry
    await d.advance(1_000);
    expect([...roles.holders]).toEqual([ANN]);
    expect(await grants()).toEqual([`${ROLE}:${ANN}`]);

    await d.advance(24 * 3_600_000); // Tuesday 09:00: Bob's turn
    expect([...roles.holders]).toEqual([BOB]);
    expect(await grants()).toEqual([`${ROLE}:${BOB}`]);
    expect(roles.calls).toEqual([`add ${ANN} ${ROLE}`, `add ${BOB} ${ROLE}`, `remove ${ANN} ${ROLE}`]);
  });

  it('a change given up is tried again at the next start (the members are recorded only once applied)', async () => {
    roles.failures.push(new PermanentDeliveryError('discord: missing permissions'));
    await d.desk.dispatcher.drain();
    expect([...roles.holders]).toEqual([]);
    expect(await d.db.selectFrom('outbox').select('status').where('op', '=', 'handle').execute()).toEqual([{ status: 'dead' }]);

    await oncall.start!(d.desk.core);
    await d.desk.dispatcher.drain();
    expect([...roles.holders]).toEqual([ANN]);
    expect(await grants()).toEqual([`${ROLE}:${ANN}`]);
  });

  it('a crash between giving the role and recording it: the retry knows the role is its own, and the handoff takes it back', async () => {
    roles.failuresAfterGiving.push(new Error('process died after the PUT'));
    await d.desk.dispatcher.drain();
    expect([...roles.holders]).toEqual([ANN]);
    await d.advance(1_000); // the retry finds the role present, on a grant recorded as pending
    expect(await grants()).toEqual([`${ROLE}:${ANN}`]);

    await d.advance(24 * 3_600_000); // Bob's turn: Ann's role was tierdesk's, so it is taken back
    expect([...roles.holders]).toEqual([BOB]);
    expect(await grants()).toEqual([`${ROLE}:${BOB}`]);
  });

  it('sends nothing when a start or a handoff changes nobody', async () => {
    await d.desk.dispatcher.drain();
    await oncall.start!(d.desk.core); // a second start: the role is right already
    await d.desk.dispatcher.drain();
    expect(roles.calls).toEqual([`add ${ANN} ${ROLE}`]);
    const rows = await d.db.selectFrom('outbox').select('op').where('op', '=', 'handle').execute();
    expect(rows).toHaveLength(1);
  });

  it('an override starting now moves the role at once; one that someone held already is not taken back', async () => {
    await d.desk.dispatcher.drain();
    roles.holders.add(BOB); // given by someone else
    expect(await d.say('ann', '/oncall override bob --from 2024-06-03T09:00:00Z --to 2024-06-03T12:00:00Z')).toMatch(/Bob is on call/);
    await d.desk.dispatcher.drain();
    expect([...roles.holders]).toEqual([BOB]);
    await d.advance(3 * 3_600_000); // the override ends: Ann again, and Bob keeps what tierdesk did not give
    expect([...roles.holders].sort()).toEqual([ANN, BOB]);
    expect(await grants()).toEqual([`${ROLE}:${ANN}`]);
  });
});
