/**
 * The webhook lane, which the desk runs itself when `webhooks:` is configured (it needs no platform
 * SDK, only fetch, so it lives beside the dispatcher rather than among the chat adapters): outbox rows of op `webhook` are POSTed as JSON to the configured URL, signed
 * `X-Tierdesk-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` with the webhook's secret,
 * the timestamp (Unix seconds) in `X-Tierdesk-Timestamp` so a receiver can refuse old replays. The
 * dispatcher retries what fails here: a 5xx, a timeout or a refused connection is retried with
 * backoff, a 429 after its Retry-After, any other 4xx is given up (the receiver refuses it for good).
 * Errors and logs name the webhook, never its secret or its URL (a URL may carry a token).
 */
import { createHmac } from 'node:crypto';
import type { WebhookConfig } from '../config/webhooks.js';
import { PermanentDeliveryError, RateLimitedError, type Card, type ChatAdapter, type OutboundEvent, type Person, type Place } from '../ports.js';

export interface WebhookLaneOptions {
  webhooks: readonly WebhookConfig[];
  /** Epoch ms (the signature's timestamp). */
  now: () => number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The signature header's value for `body` sent at `timestamp` (Unix seconds). */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

function noMessages(): never {
  throw new PermanentDeliveryError('the webhook lane takes events, not messages');
}

export function createWebhookLane(options: WebhookLaneOptions): ChatAdapter {
  const byName = new Map(options.webhooks.map((w) => [w.name, w]));
  const send = options.fetch ?? fetch;
  return {
    platform: 'webhook',
    async start() {},
    async stop() {},
    post: async (_place: Place, _card: Card) => noMessages(),
    edit: async () => noMessages(),
    openDirect: async (_person: Person) => noMessages(),
    async deliverEvent(place: Place, event: OutboundEvent): Promise<void> {
      const hook = byName.get(place.channel);
      if (!hook) throw new PermanentDeliveryError(`no webhook "${place.channel}" is configured any more`);
      const body = JSON.stringify(event.body);
      const timestamp = Math.floor(options.now() / 1000);
      let res: Response;
      try {
        res = await send(hook.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'tierdesk-webhooks',
            'x-tierdesk-event': event.event,
            'x-tierdesk-delivery': event.id,
            'x-tierdesk-timestamp': String(timestamp),
            'x-tierdesk-signature': webhookSignature(hook.secret, timestamp, body),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
        await res.arrayBuffer().catch(() => undefined);
      } catch (err) {
        const why = err instanceof Error && err.name === 'TimeoutError' ? 'timed out' : 'could not be reached';
        throw new Error(`webhook "${hook.name}" ${why}`);
      }
      if (res.status >= 200 && res.status < 300) return;
      if (res.status === 429) {
        const after = Number(res.headers.get('retry-after'));
        throw new RateLimitedError(Number.isFinite(after) && after > 0 ? Math.min(after, 3600) * 1000 : 60_000);
      }
      if (res.status >= 500 || res.status === 408) throw new Error(`webhook "${hook.name}" answered ${res.status}`);
      throw new PermanentDeliveryError(`webhook "${hook.name}" refused the event with ${res.status}`);
    },
  };
}
