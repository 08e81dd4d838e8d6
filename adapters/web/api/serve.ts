/**
 * /api/v1: a personal API token (`Authorization: Bearer tdk_…`) names the person, who is then the
 * same Viewer the dashboard builds from a session; the route's zod shapes check the input. Every
 * answer is JSON; an expected failure is `{error: {code, message, field?}}` with its status.
 */
import { DATABASE_UNAVAILABLE_REPLY, isDatabaseUnavailable } from '../../../src/store/connect.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { Desk } from '../../../src/core/desk.js';
import { apiTokenOwner } from '../api-tokens.js';
import { viewerOf, type Viewer } from '../viewer.js';
import { deskRoutes } from './desk-routes.js';
import { openApiDocument } from './openapi.js';
import { ApiError, pathMatcher, type ApiRoute } from './route.js';
import { ticketRoutes } from './ticket-routes.js';

export const API_BASE = '/api/v1';
const MAX_BODY = 64 * 1024;
const HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

/** Every route of the API, from the desk's declarations. */
export function apiRoutes(desk: Desk): ApiRoute[] {
  return [...ticketRoutes(desk.core), ...deskRoutes()];
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...HEADERS, ...headers });
  res.end(JSON.stringify(body));
}

/** The first problem zod found, as one line naming the field. */
function invalid(error: z.ZodError, where: string): ApiError {
  const issue = error.issues[0]!;
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const field = keys[0] ?? (issue.path.length > 0 ? issue.path.join('.') : undefined);
  const message = keys.length > 0 ? `${where} has a field it does not take: ${keys.join(', ')}.` : `${field ?? where}: ${issue.message}`;
  return new ApiError(422, 'invalid', message, field);
}

async function bodyOf(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ApiError(413, 'too_large', `The body is over ${MAX_BODY / 1024} KB.`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new ApiError(415, 'not_json', 'Send the body as application/json.');
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, 'bad_json', 'The body is not valid JSON.');
  }
}

export class Api {
  readonly routes: ApiRoute[];
  private readonly matchers: Array<{ route: ApiRoute; match: ReturnType<typeof pathMatcher> }>;

  constructor(private readonly desk: Desk) {
    this.routes = apiRoutes(desk);
    this.matchers = this.routes.map((route) => ({ route, match: pathMatcher(route.path) }));
  }

  /** Answer a request under /api/v1; anything unexpected is logged with a reference, never shown. */
  async answer(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    try {
      await this.route(req, res, path.slice(API_BASE.length) || '/', query);
    } catch (err) {
      if (res.headersSent) return void res.end();
      if (err instanceof ApiError) {
        const error = { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) };
        return json(res, err.status, { error }, err.status === 401 ? { 'www-authenticate': 'Bearer realm="tierdesk"' } : {});
      }
      if (isDatabaseUnavailable(err))
        return json(res, 503, { error: { code: 'unavailable', message: DATABASE_UNAVAILABLE_REPLY } }, { 'retry-after': '30' });
      const ref = Math.random().toString(36).slice(2, 10);
      this.desk.core.logger.error('API request failed', { ref, path, error: err instanceof Error ? err.message : String(err) });
      json(res, 500, { error: { code: 'internal', message: `Something went wrong on our side (reference ${ref}).` } });
    }
  }

  private async viewer(req: IncomingMessage): Promise<{ viewer: Viewer; tokenId: string; scope: string }> {
    const header = req.headers.authorization ?? '';
    const bearer = /^Bearer\s+(\S+)$/i.exec(header);
    if (!bearer) throw new ApiError(401, 'no_token', 'Send a personal API token: "Authorization: Bearer tdk_…" (create one on /tokens).');
    const core = this.desk.core;
    const owner = await apiTokenOwner(core.db, bearer[1]!, core.clock.now());
    const viewer = owner && (await viewerOf(core, { person: owner.person, csrf: '', tokenHash: `api:${owner.id}` }));
    if (!owner || !viewer) throw new ApiError(401, 'bad_token', 'That API token is unknown or revoked.');
    return { viewer, tokenId: owner.id, scope: owner.scope };
  }

  private async route(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const method = req.method ?? 'GET';
    if (path === '/openapi.json' && method === 'GET') return json(res, 200, openApiDocument(this.routes));
    const found = this.matchers.map((m) => ({ route: m.route, params: m.match(path) })).filter((m) => m.params !== undefined);
    const hit = found.find((m) => m.route.method === method);
    if (!hit) {
      if (found.length > 0)
        throw new ApiError(405, 'method_not_allowed', `${path.slice(0, 80)} takes ${found.map((m) => m.route.method).join(', ')}.`);
      throw new ApiError(404, 'no_such_route', `There is no ${API_BASE}${path.slice(0, 80)}: see ${API_BASE}/openapi.json.`);
    }
    const { route } = hit;
    const who = await this.viewer(req);
    if (route.scope === 'write' && who.scope !== 'write')
      throw new ApiError(403, 'read_only_token', 'This token is read-only: create one with write scope.');
    const params = route.params ? route.params.safeParse(hit.params) : { success: true as const, data: {} };
    if (!params.success) throw invalid(params.error, 'the path');
    const raw = Object.fromEntries(query);
    const q = route.query ? route.query.safeParse(raw) : { success: true as const, data: {} };
    if (!q.success) throw invalid(q.error, 'the query');
    const rawBody = route.body ? await bodyOf(req) : {};
    const body = route.body ? route.body.safeParse(rawBody) : { success: true as const, data: {} };
    if (!body.success) throw invalid(body.error, 'the body');
    const key = req.headers['idempotency-key'];
    const answer = await route.run({
      desk: this.desk,
      viewer: who.viewer,
      tokenId: who.tokenId,
      ...(typeof key === 'string' && key.length > 0 && key.length <= 200 ? { idempotencyKey: key } : {}),
      params: params.data as Record<string, string>,
      query: q.data as Record<string, unknown>,
      body: body.data as Record<string, unknown>,
    });
    json(res, 200, answer);
  }
}
