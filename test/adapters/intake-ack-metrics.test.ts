import { afterEach, describe, expect, it } from 'vitest';
import { startOpsServer } from '../../src/ops-server.js';
import { createMemoryLogger } from '../../src/logger.js';
import { guild, member, textChannel } from '../fakes/discord/index.js';
import { answerOf, command, sendCommand } from './discord/interactions.js';
import { olga, requester, startDiscordDesk, support } from './discord/support.js';
import { EMPLOYEE, startSlackDesk } from './slack/support.js';

// The intake acknowledgement histogram counts real acks: a slash command on Slack (Bolt's receiver)
// and an interaction on Discord (discord.js), read back from `/metrics` over HTTP.

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** `tierdesk_intake_ack_seconds_count{platform=…}` and the `le="3"` bucket as /metrics serves them. */
async function ackCounts(url: string, platform: string): Promise<{ count: number; within3s: number }> {
  const res = await fetch(`${url}/metrics`);
  expect(res.status).toBe(200);
  const text = await res.text();
  // A platform with no ack yet has no sample: zero.
  const sample = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? 0);
  return {
    count: sample(new RegExp(`^tierdesk_intake_ack_seconds_count\\{platform="${platform}"\\} (\\d+)$`, 'm')),
    within3s: sample(new RegExp(`^tierdesk_intake_ack_seconds_bucket\\{le="3",platform="${platform}"\\} (\\d+)$`, 'm')),
  };
}

describe('intake acknowledgement time on /metrics', () => {
  it('a Slack slash command is counted once it is acked', async () => {
    const t = await startSlackDesk();
    cleanups.push(() => t.close());
    const ops = await startOpsServer(t.desk.core, [t.adapter], 0, createMemoryLogger(), '127.0.0.1');
    cleanups.push(() => ops.close());
    const before = await ackCounts(ops.url, 'slack');

    const sent = await t.sender.slashCommand({ command: '/ticket', text: 'new Printer on fire', user_id: EMPLOYEE, channel_id: 'C0RANDOM' });
    expect(sent.status).toBe(200);

    const after = await ackCounts(ops.url, 'slack');
    expect(after.count).toBe(before.count + 1);
    expect(after.within3s).toBe(after.count);
  });

  it('a Discord slash command is counted once it is answered', async () => {
    const t = await startDiscordDesk();
    cleanups.push(() => t.close());
    const ops = await startOpsServer(t.desk.core, [t.adapter], 0, createMemoryLogger(), '127.0.0.1');
    cleanups.push(() => ops.close());
    const before = await ackCounts(ops.url, 'discord');

    const answer = await command(t, requester, support.id, 'new', { title: 'Printer on fire' });
    expect(answer.text).toMatch(/^Ticket #1 opened/);

    const after = await ackCounts(ops.url, 'discord');
    expect(after.count).toBe(before.count + 1);
    expect(after.within3s).toBe(after.count);
  });

  it('a Discord interaction answered by the adapter alone (a server tierdesk does not serve) is counted too', async () => {
    const t = await startDiscordDesk();
    cleanups.push(() => t.close());
    const ops = await startOpsServer(t.desk.core, [t.adapter], 0, createMemoryLogger(), '127.0.0.1');
    cleanups.push(() => ops.close());
    const other = guild({
      name: 'Elsewhere',
      owner: olga,
      channels: [textChannel({ id: '200000000000000077', name: 'general' })],
      members: [member(requester)],
    });
    t.discord.world.addGuild(other);
    const before = await ackCounts(ops.url, 'discord');

    const { payload, record } = await sendCommand(t, requester, '200000000000000077', 'new', { title: 'Not here' });
    expect((await answerOf(t, payload, record)).text).toBe('tierdesk does not serve this server.');
    await command(t, requester, support.id, 'list'); // interactions are taken in order: the first one's ack is observed by now

    const after = await ackCounts(ops.url, 'discord');
    expect(after.count).toBe(before.count + 2);
  });
});
