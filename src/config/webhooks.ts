import { isRecord, type Bad } from './fields.js';

/** The events a webhook may subscribe to: the capabilities' lifecycle hooks (src/core/capability.ts). */
export const WEBHOOK_EVENTS = [
  'ticket.opened',
  'ticket.claimed',
  'ticket.resolved',
  'ticket.closed',
  'ticket.reopened',
  'sla.warning',
  'sla.breached',
  'page.started',
  'page.acknowledged',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** An outbound webhook: where events go, which ones, and the secret that signs them (from the environment). */
export interface WebhookConfig {
  name: string;
  url: string;
  events: WebhookEvent[];
  /** The HMAC-SHA256 key. Never logged, never stored in the outbox. */
  secret: string;
}

const ENV_REF = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/**
 * `webhooks: [{ name, url, events: [ticket.opened, ...], secret: ${ENV_VAR} }]`. The secret is the
 * name of an environment variable (secrets never live in this file); a name defaults to webhook-N.
 */
export function readWebhooks(raw: unknown, env: NodeJS.ProcessEnv, bad: Bad): WebhookConfig[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return (bad('webhooks', 'must be a list of { url, events, secret, name }'), []);
  const out: WebhookConfig[] = [];
  raw.forEach((w: unknown, i) => {
    const at = `webhooks[${i}]`;
    if (!isRecord(w)) return bad(at, 'must be a mapping like { url: https://…, events: [ticket.opened], secret: ${WEBHOOK_SECRET} }');
    const name = w.name === undefined ? `webhook-${i + 1}` : String(w.name).trim();
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) bad(`${at}.name`, 'must be 1-64 letters, digits, ".", "_" or "-"');
    else if (out.some((o) => o.name === name)) bad(`${at}.name`, `"${name}" is used by another webhook`);
    let url = '';
    try {
      const parsed = new URL(String(w.url ?? ''));
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') bad(`${at}.url`, 'must be an http:// or https:// URL');
      url = parsed.toString();
    } catch {
      bad(`${at}.url`, 'must be an http:// or https:// URL');
    }
    const events = Array.isArray(w.events) ? w.events.map(String) : [];
    if (events.length === 0) bad(`${at}.events`, `must list at least one of ${WEBHOOK_EVENTS.join(', ')}`);
    for (const e of events)
      if (!(WEBHOOK_EVENTS as readonly string[]).includes(e))
        bad(`${at}.events`, `"${e.slice(0, 40)}" is not an event (known: ${WEBHOOK_EVENTS.join(', ')})`);
    const ref = typeof w.secret === 'string' ? ENV_REF.exec(w.secret.trim()) : null;
    const secret = ref ? env[ref[1]!]?.trim() : undefined;
    if (!ref) bad(`${at}.secret`, 'must name an environment variable, like ${JIRA_WEBHOOK_SECRET}: secrets are never written in this file');
    else if (!secret) bad(`${at}.secret`, `the environment variable ${ref[1]} is not set`);
    else if (secret.length < 16) bad(`${at}.secret`, `the environment variable ${ref[1]} must hold at least 16 characters`);
    out.push({ name, url, events: events as WebhookEvent[], secret: secret ?? '' });
  });
  return out;
}
