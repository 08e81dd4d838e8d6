/**
 * Rejected Slack requests (forged, stale, dated in the future): Bolt would write a warning for each,
 * which a flood turns into a flood of log lines. The front door (front.ts) refuses requests dated
 * more than 5 minutes either side of our clock, as Slack advises.
 */
import type { Logger } from '../../src/ports.js';
import { processCounters } from '../../src/core/operations.js';

/** Slack's window for `X-Slack-Request-Timestamp`, either side of our clock. */
export const MAX_SKEW_SECONDS = 5 * 60;

/**
 * Rejected requests, logged at most once per minute: the first at once, then one line per minute
 * with how many were rejected since, and each counted in `processCounters.slackRejected` (/metrics).
 */
export function rejectionLog(logger: Logger, now: () => number, everyMs = 60_000): (why: string) => void {
  let lastAt: number | undefined;
  let since = 0;
  return (why) => {
    processCounters.slackRejected++;
    since++;
    const at = now();
    if (lastAt !== undefined && at - lastAt < everyMs) return;
    logger.warn('slack request rejected', {
      why,
      rejected: since,
      ...(lastAt !== undefined ? { sinceSeconds: Math.round((at - lastAt) / 1000) } : {}),
    });
    lastAt = at;
    since = 0;
  };
}
