/** Discord's epoch: the first millisecond of 2015 (UTC). Snowflake ids count milliseconds from it. */
export const DISCORD_EPOCH = 1_420_070_400_000;

/**
 * Snowflake ids from a clock: `(ms since DISCORD_EPOCH) << 22 | increment`. Ids strictly increase even
 * when the clock stands still (a fake clock often does) or steps back: the increment absorbs the tie.
 */
export class Snowflakes {
  readonly #now: () => number;
  #lastMs = 0;
  #increment = 0;

  constructor(now: () => number) {
    this.#now = now;
  }

  next(): string {
    const ms = Math.max(this.#now() - DISCORD_EPOCH, 0);
    if (ms > this.#lastMs) {
      this.#lastMs = ms;
      this.#increment = 0;
    } else if (++this.#increment > 0xfff) {
      this.#lastMs += 1;
      this.#increment = 0;
    }
    return ((BigInt(this.#lastMs) << 22n) | BigInt(this.#increment)).toString();
  }
}

/** The instant (epoch ms) a snowflake was made at. */
export function snowflakeTime(id: string): number {
  return Number(BigInt(id) >> 22n) + DISCORD_EPOCH;
}

/** Which shard receives a guild's events: `(guild_id >> 22) % shard_count`. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}
