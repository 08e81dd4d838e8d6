/**
 * What Bolt's HTTP receiver does not do for us: it rejects requests signed more than 5 minutes ago,
 * but not those dated in the future (clock skew both ways, as Slack advises), and it writes a warning
 * for each rejected request, which a flood turns into a flood of log lines.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../src/ports.js';
import { processCounters } from '../../src/core/operations.js';

/** Slack's window for `X-Slack-Request-Timestamp`, either side of our clock. */
export const MAX_SKEW_SECONDS = 5 * 60;

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Refuse (401) a request whose timestamp is more than 5 minutes ahead of `now` before Bolt reads it;
 * Bolt itself refuses those more than 5 minutes behind. `receiver` is Bolt's HTTPReceiver, whose
 * server calls `requestListener` for each request.
 */
export function refuseFutureRequests(receiver: { requestListener: RequestListener }, now: () => number, rejected: (why: string) => void): void {
  const inner = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    const header = req.headers['x-slack-request-timestamp'];
    const sec = Number(Array.isArray(header) ? header[0] : header);
    if (Number.isFinite(sec) && sec > Math.floor(now() / 1000) + MAX_SKEW_SECONDS) {
      rejected('x-slack-request-timestamp is more than 5 minutes in the future');
      req.resume(); // drain the body so the connection can be reused
      res.writeHead(401).end();
      return;
    }
    inner(req, res);
  };
}

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
