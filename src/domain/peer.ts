/**
 * Peer-support rules that need no database: who may mark a solution, what a thanks is, and how many
 * points an award is worth once the caps have had their say.
 */

/** The ✅ reaction as each platform names it. */
export function isSolutionEmoji(emoji: string): boolean {
  return emoji === '✅' || emoji === 'white_check_mark' || emoji === 'heavy_check_mark' || emoji === '✔️';
}

const THANKS = /(?:^|[^\p{L}])(thanks|thank\s+you|thank\s+u|thx|ty|tysm|cheers|merci|danke|gracias)(?:$|[^\p{L}])/iu;

/** Does the message say thank you? */
export function saysThanks(text: string): boolean {
  return THANKS.test(text);
}

/**
 * The people a message mentions, by platform id: Slack `<@U123>` / `<@U123|name>`, Discord `<@123>` /
 * `<@!123>`, the console's `@name`.
 */
export function mentionedIds(text: string, platform: string): string[] {
  const ids = new Set<string>();
  if (platform === 'console') {
    for (const m of text.matchAll(/(?<![\w.])@([A-Za-z0-9][A-Za-z0-9._-]{0,63})/g)) ids.add(m[1]!.replace(/[.]+$/, ''));
  } else {
    for (const m of text.matchAll(/<@!?([A-Z0-9]+)(?:\|[^>]*)?>/gi)) ids.add(m[1]!);
  }
  return [...ids];
}

export interface PointCaps {
  /** Most points one helper may earn on one question. */
  perThread: number;
  /** Most points one helper may earn in one UTC day. */
  perDay: number;
}

/**
 * How many of `wanted` points an award is worth, given what the helper already earned on this
 * question and today. Never negative.
 */
export function cappedPoints(wanted: number, earned: { thread: number; day: number }, caps: PointCaps): number {
  return Math.max(0, Math.min(wanted, caps.perThread - earned.thread, caps.perDay - earned.day));
}

export type LeaderboardPeriod = 'week' | 'month' | 'all';

/** The start of a leaderboard period ending now: the last 7 days, the last 30 days, or ever. */
export function periodStart(period: LeaderboardPeriod, now: number): number {
  if (period === 'week') return now - 7 * 86_400_000;
  if (period === 'month') return now - 30 * 86_400_000;
  return 0;
}

export function isPeriod(text: string): text is LeaderboardPeriod {
  return text === 'week' || text === 'month' || text === 'all';
}

/** Midnight UTC of the day `at` falls in: the per-day cap counts from here. */
export function dayStart(at: number): number {
  return at - (((at % 86_400_000) + 86_400_000) % 86_400_000);
}
