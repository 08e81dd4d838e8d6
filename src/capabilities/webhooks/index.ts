/**
 * Outbound webhooks: a listener on every lifecycle hook that queues, in the same unit of work, one
 * outbox row per configured webhook subscribed to the event (op `webhook`, the webhook lane). The
 * dispatcher delivers, retries with backoff and keeps each webhook's events in order per ticket;
 * adapters/webhook signs and POSTs them. Nothing is queued for an event nobody subscribed to.
 */
import type { Capability, Hook, HookName, HookPayloads } from '../../core/capability.js';
import type { Core, Work } from '../../core/work.js';
import { WEBHOOK_EVENTS, type WebhookEvent } from '../../config/webhooks.js';
import { loadTicket, type Ticket } from '../tickets/ticket-model.js';

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/** What an integration is told about a ticket: its fields, never its conversation or notes. */
function ticketFields(core: Core, t: Ticket): Record<string, unknown> {
  return {
    number: t.number,
    title: t.title,
    status: t.status,
    priority: t.priority,
    tier: t.tier,
    assignee: t.assignee ? { id: t.assignee, name: t.assigneeName ?? core.directory.nameOf(t.assignee) } : null,
    category: t.category ?? null,
    product: t.product ?? null,
    version: t.version ?? null,
    createdAt: iso(t.createdAt),
    resolvedAt: iso(t.resolvedAt),
  };
}

async function queueEvent<K extends HookName>(core: Core, work: Work, event: K, payload: HookPayloads[K]): Promise<void> {
  const subscribed = core.config.webhooks.filter((w) => w.events.includes(event as WebhookEvent));
  if (subscribed.length === 0) return;
  const ticket = await loadTicket(work.db, payload.ticket);
  const extra = 'clock' in payload ? { clock: payload.clock, dueAt: iso(payload.dueAt) } : {};
  const body = { event, occurredAt: iso(work.now), ticket: ticketFields(core, ticket), ...extra };
  for (const w of subscribed) {
    // One id per delivery: receivers use it to ignore a repeat (delivery is at least once).
    const id = core.newId();
    await work.webhook(w.name, { id, event, body: { id, ...body } }, payload.ticket);
  }
}

const hooks = Object.fromEntries(
  WEBHOOK_EVENTS.map((name) => [name, ((core, work, payload) => queueEvent(core, work, name, payload)) as Hook<typeof name>]),
) as { [K in HookName]?: Hook<K> };

export const webhooks: Capability = {
  name: 'webhooks',
  summary: 'Outbound webhooks',
  hooks,
};
