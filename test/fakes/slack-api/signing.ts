import { createHmac } from 'node:crypto';

/**
 * How a request is signed. Leave everything out for a request Slack would send; set `secret` to
 * a wrong one for a bad signature, or `timestampSec` to more than 5 minutes ago for a stale one.
 */
export interface SigningOverrides {
  secret?: string;
  /** Epoch seconds for `x-slack-request-timestamp` (default: now, read from `Date.now()`). */
  timestampSec?: number;
  /** Sends this exact `x-slack-signature` value instead of computing one. */
  signature?: string;
  /** Sends no signature headers at all. */
  unsigned?: boolean;
}

/**
 * Slack's v0 request signature: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` under the
 * app's signing secret. The body must be signed byte for byte as it is sent.
 */
export function slackSignature(signingSecret: string, timestampSec: number, rawBody: string): string {
  const hmac = createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${rawBody}`);
  return `v0=${hmac.digest('hex')}`;
}

/**
 * The two headers Bolt verifies. The timestamp must be within 5 minutes of the clock *Bolt* reads
 * (`Date.now()`), so it defaults to `Date.now()` at call time rather than to the fake's own clock:
 * under `vi.useFakeTimers()` both sides then see the same faked Date.
 */
export function signingHeaders(signingSecret: string, rawBody: string, overrides: SigningOverrides = {}): Record<string, string> {
  if (overrides.unsigned) return {};
  const timestampSec = overrides.timestampSec ?? Math.floor(Date.now() / 1000);
  const signature = overrides.signature ?? slackSignature(overrides.secret ?? signingSecret, timestampSec, rawBody);
  return { 'x-slack-request-timestamp': String(timestampSec), 'x-slack-signature': signature };
}
