/**
 * On call, the knowledge base, the reports and who the token is, under /api/v1. Each read checks
 * what chat checks: the `/ticket stats` declaration for reports, the article's own read rule for
 * the knowledge base; on-call schedules are for anyone, as `/oncall` is.
 */
import { z } from 'zod';
import { findDocs } from '../../../src/capabilities/kb/search.js';
import { assertCanRead, loadArticle } from '../../../src/capabilities/kb/model.js';
import { currentSchedules } from '../../../src/capabilities/oncall/schedules.js';
import { scheduleOf } from '../../../src/capabilities/oncall/view.js';
import { slaReport } from '../../../src/capabilities/sla/report.js';
import { findSub } from '../../../src/core/catalogue.js';
import { authorize } from '../../../src/core/run-command.js';
import type { Core } from '../../../src/core/work.js';
import { isUserError } from '../../../src/domain/errors.js';
import { nextChange, shifts, whoIsOnCall } from '../../../src/domain/oncall-schedule.js';
import type { Viewer } from '../viewer.js';
import { ApiError, type ApiCall, type ApiRoute } from './route.js';
import { statusOfRefusal } from './ticket-routes.js';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const person = z.object({ id: z.string(), name: z.string() });
const shiftShape = z.object({ from: z.string(), to: z.string(), people: z.array(person) });

/** Run a use-case check; its refusal (a UserError) becomes the API's error with the matching status. */
async function checked<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isUserError(err)) throw new ApiError(statusOfRefusal(err.code), err.code, err.message, err.field);
    throw err;
  }
}

const people = (core: Core, ids: readonly string[]) => ids.map((id) => ({ id, name: core.directory.nameOf(id) }));
const request = (v: Viewer) => ({ actor: v.actor, place: { platform: 'web' as const, space: 'web', channel: 'api' } });

async function oncallNow(call: ApiCall): Promise<unknown> {
  const core = call.desk.core;
  const now = core.clock.now();
  const schedules = await currentSchedules(core, core.db);
  const tiers = [];
  for (const tier of core.directory.tiers) {
    const s = scheduleOf(core, tier.id, schedules);
    if (!s) continue;
    const until = nextChange(s.schedule, now);
    tiers.push({
      tier: tier.id,
      schedule: s.name,
      people: people(core, whoIsOnCall(s.schedule, now)),
      until: until === undefined ? null : iso(until),
    });
  }
  return { at: iso(now), tiers };
}

async function scheduleShifts(call: ApiCall): Promise<unknown> {
  const core = call.desk.core;
  const schedule = (await currentSchedules(core, core.db)).get(call.params.name!);
  if (!schedule) throw new ApiError(404, 'no_such_schedule', `There is no schedule "${call.params.name!.slice(0, 40)}".`);
  const now = core.clock.now();
  const days = Number(call.query.days ?? 14);
  return {
    schedule: call.params.name,
    shifts: shifts(schedule, now, now + days * DAY).map((s) => ({ from: iso(s.from), to: iso(s.to), people: people(core, s.users) })),
  };
}

async function kbSearch(call: ApiCall): Promise<unknown> {
  const core = call.desk.core;
  // Solved peer questions stay in the community they were asked in: the web is none of them.
  const docs = await findDocs(core, core.db, String(call.query.q), 10, { platform: 'web', space: 'web' });
  return { results: docs.map((d) => ({ id: d.ref, title: d.title, snippet: d.snippet })) };
}

async function kbArticle(call: ApiCall): Promise<unknown> {
  const core = call.desk.core;
  const a = await checked(async () => {
    const found = await loadArticle(core.db, Number(call.params.id));
    assertCanRead(core, call.viewer.actor, found);
    return found;
  });
  return { id: a.id, title: a.title, body: a.body, tags: a.tags, state: a.state, version: a.version, updatedAt: iso(a.updatedAt) };
}

async function slaReportRoute(call: ApiCall): Promise<unknown> {
  const core = call.desk.core;
  const stats = findSub(core.catalogue.command('ticket')!, 'stats')!;
  await checked(() => authorize(core, request(call.viewer), stats, {}));
  const now = core.clock.now();
  const days = Number(call.query.days ?? 30);
  const report = await slaReport(core, {
    from: now - days * DAY,
    to: now,
    by: (call.query.by as 'tier' | 'priority' | 'agent' | undefined) ?? 'tier',
  });
  return { from: iso(report.from), to: iso(report.to), by: report.by, rows: report.rows, backlog: report.backlog };
}

export function deskRoutes(): ApiRoute[] {
  return [...personAndOncallRoutes(), ...kbAndReportRoutes()];
}

function personAndOncallRoutes(): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/me',
      operationId: 'me',
      summary: 'Who the token signs in, and what they are to the desk',
      tag: 'people',
      scope: 'read',
      response: z.object({ id: z.string(), name: z.string(), role: z.enum(['lead', 'agent', 'requester']), tiers: z.array(z.string()) }),
      run: async ({ viewer: v }) => ({ id: v.personId, name: v.actor.name, role: v.role, tiers: v.queueTiers }),
    },
    {
      method: 'GET',
      path: '/oncall',
      operationId: 'oncall_now',
      summary: 'Who is on call now for each tier, and until when (overrides applied)',
      tag: 'oncall',
      scope: 'read',
      response: z.object({
        at: z.string(),
        tiers: z.array(z.object({ tier: z.string(), schedule: z.string(), people: z.array(person), until: z.string().nullable() })),
      }),
      run: oncallNow,
    },
    {
      method: 'GET',
      path: '/oncall/schedules/{name}',
      operationId: 'oncall_schedule',
      summary: "A schedule's shifts from now (overrides applied)",
      tag: 'oncall',
      scope: 'read',
      params: z.object({ name: z.string().max(100) }),
      query: z.object({
        days: z
          .string()
          .regex(/^([1-9]|[1-5]\d|60)$/, 'must be a whole number of days from 1 to 60')
          .optional()
          .describe('default 14'),
      }),
      response: z.object({ schedule: z.string(), shifts: z.array(shiftShape) }),
      run: scheduleShifts,
    },
  ];
}

function kbAndReportRoutes(): ApiRoute[] {
  const id = z.object({ id: z.string().regex(/^\d{1,9}$/, 'must be an article number') });
  return [
    {
      method: 'GET',
      path: '/kb/search',
      operationId: 'kb_search',
      summary: 'Search the published articles',
      tag: 'kb',
      scope: 'read',
      query: z.object({ q: z.string().trim().min(1, 'write some words to search for').max(500) }),
      response: z.object({ results: z.array(z.object({ id: z.int(), title: z.string(), snippet: z.string() })) }),
      run: kbSearch,
    },
    {
      method: 'GET',
      path: '/kb/articles/{id}',
      operationId: 'kb_article',
      summary: 'One article (drafts for knowledge-base authors only)',
      tag: 'kb',
      scope: 'read',
      params: id,
      response: z.object({
        id: z.int(),
        title: z.string(),
        body: z.string(),
        tags: z.array(z.string()),
        state: z.string(),
        version: z.int(),
        updatedAt: z.string(),
      }),
      run: kbArticle,
    },
    {
      method: 'GET',
      path: '/reports/sla',
      operationId: 'sla_report',
      summary: 'SLA attainment, breaches, response and resolution times and backlog (agents, as /ticket stats)',
      tag: 'reports',
      scope: 'read',
      query: z.object({
        days: z
          .string()
          .regex(/^\d{1,4}$/, 'must be a whole number of days')
          .optional()
          .describe('over the last N days (default 30)'),
        by: z.enum(['tier', 'priority', 'agent']).optional(),
      }),
      response: z.object({
        from: z.string(),
        to: z.string(),
        by: z.string(),
        rows: z.array(z.record(z.string(), z.unknown())),
        backlog: z.record(z.string(), z.int()),
      }),
      run: slaReportRoute,
    },
  ];
}
