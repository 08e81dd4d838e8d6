import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ann, bob, community, DISCORD_YAML, oncallRole, startDiscordDesk, type DiscordDesk } from './support.js';

// The L1 on-call handle on Discord: a role tierdesk gives to who is on call on l1-primary (Ann and Bob
// in turn, a day each from Monday 09:00 UTC) and takes back at the handoff, only from those it gave it to.
const YAML = `${DISCORD_YAML.replace(
  'channels: { discord: "200000000000000001" } }',
  `channels: { discord: "200000000000000001" }, oncall_schedule: l1-primary, oncall_handle: { discord: "${oncallRole.id}" } }`,
)}
schedules:
  l1-primary: { zone: UTC, layers: [ { name: daily, users: [ann, bob], start: "2024-06-03T09:00", turn: 1 day } ] }
`;

let t: DiscordDesk;
beforeEach(async () => {
  t = await startDiscordDesk({ yaml: YAML });
  await t.desk.dispatcher.drain();
});
afterEach(async () => {
  await t.close();
});

const holders = () => [ann.id, bob.id].filter((id) => t.discord.world.rolesOf(community.id, id).includes(oncallRole.id));
const roleCalls = (method: 'PUT' | 'DELETE') =>
  t.discord.rest.calls(`${method} /guilds/:guild/members/:user/roles/:role`).map((c) => [c.params.user, c.params.role, c.status]);

/** Move the fake clock to `iso`, fire what came due, deliver what it queued. */
async function at(iso: string): Promise<void> {
  t.clock.set(iso);
  await t.desk.scheduler.tick();
  await t.desk.dispatcher.drain();
}

describe('the on-call role on Discord', () => {
  it('is given at start to who is on call, and moves to the next person at the handoff', async () => {
    expect(YAML).toContain('oncall_handle'); // the replace above found its place
    expect(holders()).toEqual([ann.id]);
    expect(t.discord.rest.calls('PUT /guilds/:guild/members/:user/roles/:role')[0]?.reason).toBe('tierdesk: on call for the tier');

    await at('2024-06-04T08:59:00Z');
    expect(holders()).toEqual([ann.id]);
    await at('2024-06-04T09:00:00Z');
    expect(holders()).toEqual([bob.id]);
    expect(roleCalls('DELETE')).toEqual([[ann.id, oncallRole.id, 204]]);

    await at('2024-06-05T09:00:00Z');
    expect(holders()).toEqual([ann.id]);
  });

  it('catches up a handoff that came while tierdesk was stopped', async () => {
    expect(holders()).toEqual([ann.id]);
    await t.restart(() => t.clock.set('2024-06-04T10:30:00Z')); // stopped over Tuesday's 09:00 handoff
    await t.desk.scheduler.tick();
    await t.desk.dispatcher.drain();
    expect(holders()).toEqual([bob.id]);
    // Caught up once: the late handoff timer found the role already right.
    expect(roleCalls('PUT').filter(([user]) => user === bob.id)).toHaveLength(1);
    expect(roleCalls('DELETE')).toEqual([[ann.id, oncallRole.id, 204]]);
  });

  it('keeps the role of someone a moderator gave it to, when their turn ends', async () => {
    await t.discord.gateway.memberRole(community.id, bob.id, oncallRole.id, true); // given by a moderator before his turn
    await at('2024-06-04T09:00:00Z');
    expect(holders()).toEqual([bob.id]);
    expect(roleCalls('PUT').map(([user]) => user)).toEqual([ann.id]); // he had it: tierdesk gave nothing

    await at('2024-06-05T09:00:00Z');
    expect(holders()).toEqual([ann.id, bob.id]); // Ann's turn again; Bob keeps what tierdesk did not give
    expect(roleCalls('DELETE').map(([user]) => user)).toEqual([ann.id]);
  });
});

describe('the on-call role and someone who is not in the guild', () => {
  it('skips them and still takes the role back from the one whose turn ended', async () => {
    await t.close();
    const outsider = '100000000000000099'; // configured, but not a member of the community
    t = await startDiscordDesk({
      yaml: YAML.replace('bob: { name: Bob Backline,', `zed: { name: Zed, discord: "${outsider}" }\n  bob: { name: Bob Backline,`).replace(
        'users: [ann, bob]',
        'users: [ann, zed]',
      ),
    });
    await t.desk.dispatcher.drain();
    expect(holders()).toEqual([ann.id]);

    await at('2024-06-04T09:00:00Z'); // Zed's turn
    expect(holders()).toEqual([]);
    expect(roleCalls('DELETE')).toEqual([[ann.id, oncallRole.id, 204]]);
    const rows = await t.db.selectFrom('outbox').select('status').where('op', '=', 'handle').execute();
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent']);
  });
});
