/**
 * The tickets under /api/v1: the queue as JSON (the dashboard's filters and pages), one ticket with
 * its history (internal events for agents only), and every action the ticket page offers, each a
 * POST whose body is the sub-command's declared arguments. Actions are handed to the desk as the
 * Inbound event chat would send, so who may is decided by the same checks.
 */
import { UserError } from '../../../src/domain/errors.js';
import { z } from 'zod';
import { canSee, notYoursText, viewOf } from '../../../src/capabilities/tickets/access.js';
import { loadTicket, ticketFromRow, type Ticket } from '../../../src/capabilities/tickets/ticket-model.js';
import { historyFor } from '../../../src/capabilities/tickets/view-tickets.js';
import type { ArgSpec, SubcommandSpec } from '../../../src/core/capability.js';
import { findSub } from '../../../src/core/catalogue.js';
import type { Core } from '../../../src/core/work.js';
import type { Reply } from '../../../src/ports.js';
import { queuePage } from '../../../src/store/web.js';
import { ticketEvent } from '../actions.js';
import { BadQuery, PAGE_SIZE, queueFilter } from '../queue-page.js';
import { AGENT_ACTIONS } from '../ticket-page.js';
import type { Viewer } from '../viewer.js';
import { ApiError, type ApiCall, type ApiRoute } from './route.js';

const STATUSES = ['open', 'claimed', 'waiting_on_requester', 'resolved', 'closed'] as const;
const PRIORITIES = ['P1', 'P2', 'P3', 'P4', 'P5'] as const;
/** What a requester may do by API: reply in the conversation, rate, confirm, reopen. */
const REQUESTER_SUBS = ['rate', 'confirm', 'reopen'] as const;

const number = z.object({ number: z.string().regex(/^\d{1,9}$/, 'must be a ticket number') });

const ticketShape = z.object({
  number: z.int(),
  title: z.string(),
  status: z.enum(STATUSES),
  priority: z.string(),
  impact: z.string(),
  urgency: z.string(),
  tier: z.string(),
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
  requester: z.string().describe("the requester's display name"),
  category: z.string().nullable(),
  product: z.string().nullable(),
  version: z.string().nullable(),
  createdAt: z.string().describe('ISO 8601, UTC'),
  updatedAt: z.string(),
  resolvedAt: z.string().nullable(),
});
const eventShape = z.object({ id: z.string(), at: z.string(), kind: z.string(), by: z.string(), text: z.string() });
const actionAnswer = z.object({ message: z.string(), ticket: ticketShape });

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

export function ticketJson(core: Core, t: Ticket): z.infer<typeof ticketShape> {
  return {
    number: t.number,
    title: t.title,
    status: t.status,
    priority: t.priority,
    impact: t.impact,
    urgency: t.urgency,
    tier: t.tier,
    assignee: t.assignee ? { id: t.assignee, name: t.assigneeName ?? core.directory.nameOf(t.assignee) } : null,
    requester: t.requester.name,
    category: t.category ?? null,
    product: t.product ?? null,
    version: t.version ?? null,
    createdAt: new Date(t.createdAt).toISOString(),
    updatedAt: new Date(t.updatedAt).toISOString(),
    resolvedAt: iso(t.resolvedAt),
  };
}

/** The ticket, if the viewer may see it: 404 when there is none, 403 when it is not theirs. */
async function visibleTicket(core: Core, v: Viewer, n: number): Promise<Ticket> {
  let t: Ticket;
  try {
    t = await loadTicket(core.db, n);
  } catch (err) {
    // Only a missing ticket is a 404; anything else (the database away) is the server's failure.
    if (err instanceof UserError) throw new ApiError(404, err.code, err.message);
    throw err;
  }
  if (!canSee(core, v.actor, t)) throw new ApiError(403, 'not_yours', notYoursText(n));
  return t;
}

const FORBIDDEN = new Set(['not_agent', 'not_yours', 'not_lead', 'not_asker', 'not_requester', 'not_allowed', 'not_kb_author', 'article_draft']);

/** The status a refusal of the core answers with. */
export function statusOfRefusal(code: string): number {
  if (FORBIDDEN.has(code)) return 403;
  if (code.startsWith('no_such_')) return 404;
  if (code === 'busy') return 409;
  // Not the caller's fault: the database is away (try again), or a bug (the reference is in the message).
  if (code === 'unavailable') return 503;
  if (code === 'internal') return 500;
  return 422;
}

/** A reply of the desk as the API's answer: a refusal becomes an ApiError with its status. */
export function throwIfRefused(reply: Reply | void): void {
  if (reply?.refusal) throw new ApiError(statusOfRefusal(reply.refusal.code), reply.refusal.code, reply.text, reply.refusal.field);
}

/** A declared argument as a JSON body field. */
function fieldOf(core: Core, a: ArgSpec): z.ZodType {
  let f: z.ZodType;
  if (a.kind === 'boolean') f = z.boolean();
  else if (a.kind === 'integer')
    f = z
      .int()
      .min(a.min ?? Number.MIN_SAFE_INTEGER)
      .max(a.max ?? Number.MAX_SAFE_INTEGER);
  else if (a.kind === 'number') f = z.int().min(1);
  else if (a.kind === 'tier') f = z.enum(core.config.tiers.map((t) => t.id) as [string, ...string[]]);
  else if (a.kind === 'choice' && a.choices && a.choices.length > 0) f = z.enum(a.choices as [string, ...string[]]);
  else f = z.string().max(a.maxLength ?? (a.kind === 'text' ? 4000 : 200));
  f = f.describe(a.label ?? a.summary);
  return a.required ? f : f.optional();
}

function bodyOf(core: Core, sub: SubcommandSpec): z.ZodObject {
  return z.strictObject(Object.fromEntries((sub.args ?? []).filter((a) => a.name !== 'number').map((a) => [a.name, fieldOf(core, a)])));
}

async function act(call: ApiCall, action: string): Promise<z.infer<typeof actionAnswer>> {
  const { desk, viewer: v } = call;
  const n = Number(call.params.number);
  const values = (name: string) => {
    const value = call.body[name];
    return value === undefined || value === false ? undefined : String(value);
  };
  const key = call.idempotencyKey ? `api:${call.tokenId}:${call.idempotencyKey}` : undefined;
  const event = ticketEvent(desk, v, n, action, values, key);
  if (!event) throw new ApiError(404, 'no_such_action', `There is no action "${action}".`);
  const reply = await desk.handle(event);
  throwIfRefused(reply);
  const t = await visibleTicket(desk.core, v, n);
  return { message: reply?.text ?? 'Already done (the same Idempotency-Key was used before).', ticket: ticketJson(desk.core, t) };
}

function actionRoutes(core: Core): ApiRoute[] {
  const ticket = core.catalogue.command('ticket')!;
  const routes: ApiRoute[] = [];
  for (const name of [...AGENT_ACTIONS, ...REQUESTER_SUBS]) {
    const sub = findSub(ticket, name);
    if (!sub) continue;
    routes.push({
      method: 'POST',
      path: `/tickets/{number}/${name}`,
      operationId: `ticket_${name}`,
      summary: `${sub.summary} (as \`/ticket ${name}\` in chat; ${sub.who === 'requester' ? 'the requester' : 'agents'})`,
      tag: 'tickets',
      scope: 'write',
      params: number,
      body: bodyOf(core, sub),
      response: actionAnswer,
      run: (call) => act(call, name),
    });
  }
  routes.push({
    method: 'POST',
    path: '/tickets/{number}/messages',
    operationId: 'ticket_message',
    summary: "Write in the ticket's conversation: the requester's reply (an agent's is a public reply)",
    tag: 'tickets',
    scope: 'write',
    params: number,
    body: z.strictObject({ text: z.string().min(1).max(4000).describe('the message') }),
    response: actionAnswer,
    run: (call) => act(call, 'message'),
  });
  return routes;
}

const listQuery = z.object({
  tier: z.string().optional().describe('a tier of yours (agents: their tiers; leads: any)'),
  status: z.enum(STATUSES).optional(),
  priority: z.enum(PRIORITIES).optional(),
  assignee: z.string().optional().describe('a people id, or `none`'),
  page: z
    .string()
    .regex(/^\d{1,6}$/, 'must be a page number')
    .optional()
    .describe(`pages of ${PAGE_SIZE}, from 1`),
});

async function listTickets(call: ApiCall): Promise<unknown> {
  const core = call.desk.core;
  const q = new URLSearchParams();
  for (const [k, val] of Object.entries(call.query)) if (typeof val === 'string') q.set(k, val);
  let parsed: ReturnType<typeof queueFilter>;
  try {
    parsed = queueFilter(core, call.viewer, q);
  } catch (err) {
    if (err instanceof BadQuery) throw new ApiError(422, 'bad_query', err.message, err.field);
    throw err;
  }
  const { rows, total } = await queuePage(core.db, parsed.filter);
  return {
    tickets: rows.map((r) => ({ ...ticketJson(core, ticketFromRow(r)), nextDueAt: r.next_due === null ? null : new Date(r.next_due).toISOString() })),
    page: parsed.page,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    total,
  };
}

async function oneTicket(call: ApiCall): Promise<unknown> {
  const core = call.desk.core;
  const t = await visibleTicket(core, call.viewer, Number(call.params.number));
  const entries = await historyFor(core, t, viewOf(core, call.viewer.actor));
  const events: Array<z.infer<typeof eventShape>> = entries.map((e) => ({ ...e, at: new Date(e.at).toISOString() }));
  return { ticket: { ...ticketJson(core, t), description: t.description }, events };
}

export function ticketRoutes(core: Core): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/tickets',
      operationId: 'list_tickets',
      summary: "The queue: agents see their tiers' active tickets (leads every tier), requesters their own; next SLA deadline first",
      tag: 'tickets',
      scope: 'read',
      query: listQuery,
      response: z.object({
        tickets: z.array(ticketShape.extend({ nextDueAt: z.string().nullable() })),
        page: z.int(),
        pages: z.int(),
        total: z.int(),
      }),
      run: listTickets,
    },
    {
      method: 'GET',
      path: '/tickets/{number}',
      operationId: 'get_ticket',
      summary: 'One ticket and its history (internal notes and events for agents only)',
      tag: 'tickets',
      scope: 'read',
      params: number,
      response: z.object({ ticket: ticketShape.extend({ description: z.string() }), events: z.array(eventShape) }),
      run: oneTicket,
    },
    ...actionRoutes(core),
  ];
}
