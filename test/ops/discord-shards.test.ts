import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { createDiscordAdapter } from '../../adapters/discord/discord-adapter.js';
import { main } from '../../src/cli.js';
import { createCatalogue } from '../../src/capabilities/index.js';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { readDiscordShards } from '../../src/config/discord-shards.js';
import { createMemoryLogger } from '../../src/logger.js';
import type { ChatAdapter, Inbound } from '../../src/ports.js';
import { chatInputCommand, guild, startFakeDiscord, textChannel, user, type FakeDiscord } from '../fakes/discord/index.js';
import { shardOf } from '../fakes/discord/snowflake.js';
import { DISCORD_YAML } from '../adapters/discord/support.js';

const TOKEN = 'fake-discord-token';
const APP = '900000000000000001';

/** The problems readDiscordShards lists, or [] when it accepts the environment. */
function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    readDiscordShards({ DISCORD_TOKEN: TOKEN, ...env });
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

describe('TIERDESK_DISCORD_SHARDS and TIERDESK_DISCORD_SHARD_COUNT', () => {
  it('reads ids, ranges and both together; the count alone runs every shard; neither: discord.js defaults', () => {
    const read = (shards: string | undefined, count: string | undefined) =>
      readDiscordShards({
        DISCORD_TOKEN: TOKEN,
        ...(shards !== undefined ? { TIERDESK_DISCORD_SHARDS: shards } : {}),
        ...(count !== undefined ? { TIERDESK_DISCORD_SHARD_COUNT: count } : {}),
      });
    expect(read('0,2', '4')).toEqual({ shards: [0, 2], shardCount: 4 });
    expect(read('0-1', '2')).toEqual({ shards: [0, 1], shardCount: 2 });
    expect(read(' 4, 0-2 ,1 ', '6')).toEqual({ shards: [0, 1, 2, 4], shardCount: 6 });
    expect(read('3 - 5', '8')).toEqual({ shards: [3, 4, 5], shardCount: 8 });
    expect(read(undefined, '3')).toEqual({ shardCount: 3 });
    expect(read(undefined, undefined)).toEqual({});
    expect(read('', ' ')).toEqual({});
  });

  it('lists every problem by variable name, in words an operator can act on', () => {
    expect(problems({ TIERDESK_DISCORD_SHARDS: '0,1' })).toEqual([
      'TIERDESK_DISCORD_SHARDS: needs TIERDESK_DISCORD_SHARD_COUNT too: the total number of shards across every replica',
    ]);
    expect(problems({ TIERDESK_DISCORD_SHARDS: '0,4', TIERDESK_DISCORD_SHARD_COUNT: '4' })).toEqual([
      'TIERDESK_DISCORD_SHARDS: shard 4 does not exist: with TIERDESK_DISCORD_SHARD_COUNT=4 the ids run from 0 to 3',
    ]);
    expect(problems({ TIERDESK_DISCORD_SHARDS: 'one, 3-1, -2', TIERDESK_DISCORD_SHARD_COUNT: 'many' })).toEqual([
      'TIERDESK_DISCORD_SHARD_COUNT: must be the total number of shards, a whole number of at least 1, not "many"',
      'TIERDESK_DISCORD_SHARDS: "one" is not a shard id or range; list ids and ranges such as 0,2 or 0-3',
      'TIERDESK_DISCORD_SHARDS: the range 3-1 runs backwards; write 1-3',
      'TIERDESK_DISCORD_SHARDS: "-2" is not a shard id or range; list ids and ranges such as 0,2 or 0-3',
    ]);
    expect(problems({ TIERDESK_DISCORD_SHARD_COUNT: '0' })).toEqual([
      'TIERDESK_DISCORD_SHARD_COUNT: must be the total number of shards, a whole number of at least 1, not "0"',
    ]);
    expect(problems({ TIERDESK_DISCORD_SHARDS: '1.5', TIERDESK_DISCORD_SHARD_COUNT: '2' })).toEqual([
      'TIERDESK_DISCORD_SHARDS: "1.5" is not a shard id or range; list ids and ranges such as 0,2 or 0-3',
    ]);
    expect(problems({ DISCORD_TOKEN: '', TIERDESK_DISCORD_SHARDS: '0', TIERDESK_DISCORD_SHARD_COUNT: '2' })).toEqual([
      'TIERDESK_DISCORD_SHARDS: is set but the Discord adapter is not (DISCORD_TOKEN is missing)',
    ]);
  });

  it('`tierdesk check` refuses a bad value with the variable named, and exits 1; accepts a good one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tierdesk-shards-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const configFile = join(dir, 'tierdesk.yaml');
    writeFileSync(configFile, DISCORD_YAML);
    const check = async (shards: string) => {
      let out = '';
      let err = '';
      const code = await main({
        argv: ['check'],
        env: {
          TIERDESK_CONFIG: configFile,
          DATABASE_URL: ':memory:',
          DISCORD_TOKEN: TOKEN,
          DISCORD_APPLICATION_ID: APP,
          TIERDESK_DISCORD_SHARDS: shards,
          TIERDESK_DISCORD_SHARD_COUNT: '2',
        },
        stdin: process.stdin,
        stdout: { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WritableStream,
        stderr: { write: (s: string) => ((err += s), true) } as unknown as NodeJS.WritableStream,
      });
      return { code, out, err };
    };

    const bad = await check('0-2');
    expect(bad).toEqual({
      code: 1,
      out: '',
      err: 'environment: 1 problem in the configuration:\n  - TIERDESK_DISCORD_SHARDS: shard 2 does not exist: with TIERDESK_DISCORD_SHARD_COUNT=2 the ids run from 0 to 1\n',
    });
    const good = await check('1');
    expect(good.code).toBe(0);
    expect(good.err).toBe('');
  });
});

describe('a replica connects only its shards (fake Discord gateway)', () => {
  // Two guilds on different shards of two: Discord routes a guild's events by (guild_id >> 22) % 2.
  const owner = user({ id: '100000000000000001', username: 'olga' });
  const firstId = '400000000000000001';
  const secondId = (BigInt(firstId) + (1n << 22n)).toString();
  const guilds = [
    guild({ id: firstId, name: 'First', owner, channels: [textChannel({ id: '200000000000000001', name: 'help' })] }),
    guild({ id: secondId, name: 'Second', owner, channels: [textChannel({ id: '200000000000000002', name: 'help' })] }),
  ];
  const shardOfGuild = (id: string) => shardOf(id, 2);

  let discord: FakeDiscord | undefined;
  const adapters: ChatAdapter[] = [];
  afterEach(async () => {
    for (const a of adapters.splice(0)) await a.stop();
    await discord?.stop();
  });

  async function replica(shards: number[]) {
    const received: Inbound[] = [];
    const adapter = createDiscordAdapter({
      token: TOKEN,
      applicationId: APP,
      apiUrl: discord!.apiUrl,
      guilds: guilds.map((g) => g.id),
      surface: createCatalogue().surface('discord', loadConfig({ text: DISCORD_YAML, env: {} })),
      platformGroups: [],
      logger: createMemoryLogger(),
      now: () => Date.now(),
      shards,
      shardCount: 2,
    });
    adapters.push(adapter);
    await adapter.start(async (event) => {
      received.push(event);
      return { text: 'ok' };
    });
    return received;
  }

  it("identifies with [shard, count] for each of its shards, and gets only its guilds' interactions", async () => {
    expect(new Set(guilds.map((g) => shardOfGuild(g.id))).size).toBe(2); // the premise: one guild per shard
    discord = await startFakeDiscord({ token: TOKEN, applicationId: APP, guilds });

    const [onZero, onOne] = [await replica([0]), await replica([1])];

    expect(discord.gateway.sessions.map((s) => s.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    for (const g of guilds) {
      const ctx = discord.context({ channel: g.channels[0]!.id, user: owner.id });
      const payload = chatInputCommand(ctx, { name: 'ticket', subcommand: 'list' });
      await discord.gateway.interactionCreate(payload);
      // Answered: by the replica whose shard carries this guild.
      await discord.rest.waitForCall('POST /interactions/:interaction/:token/callback', (c) => c.params.interaction === payload.id);
    }
    const spaces = (events: Inbound[]) => events.map((e) => e.from.space);
    const byShard = Object.fromEntries(guilds.map((g) => [shardOfGuild(g.id), g.id]));
    expect(spaces(onZero)).toEqual([byShard[0]]);
    expect(spaces(onOne)).toEqual([byShard[1]]);
  });

  it('several shards in one replica: one gateway session each', async () => {
    discord = await startFakeDiscord({ token: TOKEN, applicationId: APP, guilds });
    await replica([0, 1]);
    expect(discord.gateway.sessions.map((s) => s.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
  });
});
