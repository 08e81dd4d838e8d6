/** Which Discord gateway shards this process runs, from the environment (several replicas split them). */
import { ConfigError } from './config.js';

export interface DiscordShards {
  /** The shard ids this process connects (each guild's events arrive on one shard). */
  shards?: number[];
  /** How many shards the bot runs in total, across every replica. */
  shardCount?: number;
}

const SHARDS = 'TIERDESK_DISCORD_SHARDS';
const COUNT = 'TIERDESK_DISCORD_SHARD_COUNT';

/**
 * `TIERDESK_DISCORD_SHARDS` (ids and ranges: `0,2`, `0-3`, `0-1,4`) and
 * `TIERDESK_DISCORD_SHARD_COUNT` (the total across replicas). The count alone runs every shard
 * here; the ids need the count (Discord routes a guild by `(guild_id >> 22) % count`, so every
 * replica must agree on it). Throws a ConfigError naming each variable that is wrong, never a value
 * of another variable.
 */
export function readDiscordShards(env: NodeJS.ProcessEnv): DiscordShards {
  const problems: string[] = [];
  const bad = (name: string, msg: string) => problems.push(`${name}: ${msg}`);
  const rawShards = env[SHARDS]?.trim() || undefined;
  const rawCount = env[COUNT]?.trim() || undefined;
  if (rawShards === undefined && rawCount === undefined) return {};
  if (!env.DISCORD_TOKEN?.trim()) bad(rawShards !== undefined ? SHARDS : COUNT, 'is set but the Discord adapter is not (DISCORD_TOKEN is missing)');

  let shardCount: number | undefined;
  if (rawCount !== undefined) {
    if (/^\d{1,6}$/.test(rawCount) && Number(rawCount) >= 1) shardCount = Number(rawCount);
    else bad(COUNT, `must be the total number of shards, a whole number of at least 1, not ${JSON.stringify(rawCount.slice(0, 20))}`);
  }

  let shards: number[] | undefined;
  if (rawShards !== undefined) {
    const ids = new Set<number>();
    for (const part of rawShards.split(',').map((p) => p.trim())) {
      const m = /^(\d{1,6})(?:\s*-\s*(\d{1,6}))?$/.exec(part);
      if (!m) {
        bad(SHARDS, `${JSON.stringify(part.slice(0, 20))} is not a shard id or range; list ids and ranges such as 0,2 or 0-3`);
        continue;
      }
      const from = Number(m[1]);
      const to = m[2] === undefined ? from : Number(m[2]);
      if (to < from) {
        bad(SHARDS, `the range ${part} runs backwards; write ${to}-${from}`);
        continue;
      }
      if (shardCount !== undefined && to >= shardCount) {
        bad(SHARDS, `shard ${to} does not exist: with ${COUNT}=${shardCount} the ids run from 0 to ${shardCount - 1}`);
        continue;
      }
      if (shardCount === undefined && to - from > 10_000) {
        bad(SHARDS, `the range ${part} is too large`);
        continue;
      }
      for (let id = from; id <= to; id++) ids.add(id);
    }
    if (rawCount === undefined) bad(SHARDS, `needs ${COUNT} too: the total number of shards across every replica`);
    shards = [...ids].sort((a, b) => a - b);
  }

  if (problems.length > 0) throw new ConfigError(problems, 'environment');
  return { ...(shards ? { shards } : {}), ...(shardCount !== undefined ? { shardCount } : {}) };
}
