import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Recording } from '../recording.js';
import { ApiError, notFound, unauthorized } from './api-error.js';
import type { UploadedFile } from './messages.js';
import { parseBody } from './multipart.js';
import { matchRoute, type Route } from './route.js';
import type { DiscordWorld } from './world.js';
import type { FakeDiscordOAuth } from './oauth2.js';

/**
 * What the next matching request(s) get instead of a normal answer.
 * - `{ status: 429, retryAfter: 0.05 }`: a rate limit; `retryAfter` seconds go in the `Retry-After`
 *   header (discord.js reads only the header), the JSON `retry_after`, and `X-RateLimit-Reset-After`
 *   with `X-RateLimit-Remaining: 0`. `global: true` adds `X-RateLimit-Global` (scope `global`).
 * - `{ status: 500 }` (any 5xx): `{ message, code: 0 }`; discord.js retries these itself (`rest.retries`).
 * - `{ status: 403, code: 50013, message: 'Missing Permissions' }`: a Discord error body.
 */
export type RestFault =
  | { status: 429; retryAfter: number; global?: boolean; scope?: 'user' | 'shared' | 'global' }
  | { status: number; code?: number; message?: string; errors?: Record<string, unknown> };

/** One request as the fake saw it. `at` is the fake clock's epoch ms. */
export interface RecordedCall {
  method: string;
  /** The path after `/api/v10`, e.g. `/channels/123/messages`. */
  path: string;
  /** `METHOD /template`, e.g. `POST /channels/:channel/messages`; `unknown` when no route matched. */
  route: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  files: UploadedFile[];
  /** Request headers, lower case, without `authorization`. */
  headers: Record<string, string>;
  /** `bot`: `Authorization: Bot <the token>`; `bearer`: an OAuth2 access token; `none`: no header; `invalid`: anything else. */
  auth: 'bot' | 'bearer' | 'none' | 'invalid';
  /** `X-Audit-Log-Reason`, decoded. */
  reason?: string;
  status: number;
  response: unknown;
  injected: boolean;
  at: number;
}

/**
 * Selects calls: `'POST /channels/:channel/messages'` (a route), `'POST /channels/123/messages'` (a
 * concrete path), either without the method (any method), or a predicate.
 */
export type CallMatch = string | ((call: RecordedCall) => boolean);

export interface RestOptions {
  world: DiscordWorld;
  token: string;
  routes: Route[];
  /** OAuth2 (sign-in with Discord): the authorize page, the token endpoint, Bearer tokens for `/users/@me`. */
  oauth?: FakeDiscordOAuth;
}

/** Discord's HTTP API under `http://127.0.0.1:PORT/api/v10`, recording every request. */
export class FakeDiscordRest {
  readonly #options: RestOptions;
  readonly #server: Server;
  readonly #calls = new Recording<RecordedCall>();
  readonly #faults: { match: CallMatch; fault: RestFault }[] = [];
  readonly #holds: { match: CallMatch; arrived: (call: RecordedCall) => void; released: Promise<void> }[] = [];
  #port = 0;

  private constructor(options: RestOptions) {
    this.#options = options;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake Discord crashed: ${error instanceof Error ? error.stack : String(error)}`);
      });
    });
  }

  static async start(options: RestOptions): Promise<FakeDiscordRest> {
    const rest = new FakeDiscordRest(options);
    rest.#server.listen(0, '127.0.0.1');
    await once(rest.#server, 'listening');
    rest.#port = (rest.#server.address() as AddressInfo).port;
    return rest;
  }

  /** `http://127.0.0.1:PORT/api`: the Client's `rest.api` option (discord.js appends `/v10`). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.#port}/api`;
  }

  /** Every request so far (failed and unknown ones too), oldest first; only matching ones when given. */
  calls(match?: CallMatch): readonly RecordedCall[] {
    return match === undefined ? this.#calls.all : this.#calls.all.filter((c) => matches(match, c));
  }

  /** Requests no route answered (404): routes an adapter uses that the fake lacks. */
  get unhandled(): readonly RecordedCall[] {
    return this.calls((c) => c.route === 'unknown');
  }

  /** Resolves with the first matching call, already made or still to come, once it has been answered. */
  waitForCall(match: CallMatch, predicate: (call: RecordedCall) => boolean = () => true): Promise<RecordedCall> {
    return this.#calls.waitFor(`a call matching ${String(match)}`, (c) => matches(match, c) && predicate(c));
  }

  /** Makes the next `times` matching requests fail with `fault`, in order after earlier faults. */
  failNext(match: CallMatch, fault: RestFault, times = 1): void {
    for (let i = 0; i < times; i += 1) this.#faults.push({ match, fault });
  }

  /**
   * Holds the next matching request before it is answered: `arrived` resolves (with the call so far)
   * when it comes in, and it is answered only after `release()`. For "the reply is slow" tests.
   */
  holdNext(match: CallMatch): { arrived: Promise<Pick<RecordedCall, 'method' | 'path' | 'route' | 'body'>>; release: () => void } {
    let release!: () => void;
    let arrived!: (call: RecordedCall) => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const arrival = new Promise<RecordedCall>((resolve) => (arrived = resolve));
    this.#holds.push({ match, arrived, released });
    return { arrived: arrival, release };
  }

  clearRecordings(): void {
    this.#calls.clear();
  }

  async stop(): Promise<void> {
    this.#calls.close(() => `Calls seen: ${this.#calls.all.map((c) => `${c.method} ${c.path}`).join(', ') || 'none'}.`);
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { world, token, routes } = this.#options;
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${this.#port}`);
    const method = (req.method ?? 'GET').toUpperCase();
    // The browser's step of OAuth2: discord.com/oauth2/authorize, or the same under /api/v10 (OAuth2Routes.authorizationURL).
    if (method === 'GET' && (url.pathname === '/oauth2/authorize' || url.pathname === '/api/v10/oauth2/authorize') && this.#options.oauth)
      return this.#options.oauth.authorize(url, res);
    const { body, files } = parseBody(req.headers['content-type'], await readBody(req));
    const { authorization, ...headers } = req.headers;
    const versioned = url.pathname.startsWith('/api/v10/');
    const path = versioned ? url.pathname.slice('/api/v10'.length) : url.pathname;
    const found = versioned ? matchRoute(routes, method, path) : undefined;
    const reason = req.headers['x-audit-log-reason'];
    const call: RecordedCall = {
      method,
      path,
      route: found ? `${method} ${found.route.template}` : 'unknown',
      params: found?.params ?? {},
      query: Object.fromEntries(url.searchParams),
      body,
      files,
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)])),
      auth: authOf(authorization, token, this.#options.oauth),
      ...(typeof reason === 'string' ? { reason: decodeURIComponent(reason) } : {}),
      status: 0,
      response: undefined,
      injected: false,
      at: world.now(),
    };
    const hold = this.#take(this.#holds, call);
    if (hold) {
      hold.arrived(call);
      await hold.released;
    }
    const fault = this.#take(this.#faults, call)?.fault;
    if (fault) return this.#answer(res, call, ...faultAnswer(fault, call.route), true);
    const oauth = this.#options.oauth;
    if (oauth && method === 'POST' && path === '/oauth2/token') {
      const answer = oauth.token(body, authorization);
      return this.#answer(res, { ...call, route: 'POST /oauth2/token' }, answer.status, {}, answer.body);
    }
    if (oauth && method === 'GET' && decodeURIComponent(path) === '/users/@me' && call.auth === 'bearer') {
      return this.#answer(res, call, 200, {}, world.user(oauth.userOf(bearerOf(authorization)!)!));
    }
    try {
      if (!found) throw notFound();
      if (found.route.auth === 'bot' && call.auth !== 'bot') throw unauthorized();
      const answer = await found.route.handle({ world, method, path, params: found.params, query: url.searchParams, body, files });
      this.#answer(res, call, answer === undefined ? 204 : 200, found.route.auth === 'bot' ? bucketHeaders(call.route) : {}, answer);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.#answer(res, call, error.status, {}, error.body);
    }
  }

  #take<T extends { match: CallMatch }>(queue: T[], call: RecordedCall): T | undefined {
    const index = queue.findIndex((entry) => matches(entry.match, call));
    return index < 0 ? undefined : queue.splice(index, 1)[0];
  }

  #answer(res: ServerResponse, call: RecordedCall, status: number, headers: Record<string, string>, body: unknown, injected = false): void {
    Object.assign(call, { status, response: body, injected });
    if (body === undefined) res.writeHead(status, headers).end();
    else res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    this.#calls.add(call);
  }
}

const bearerOf = (authorization: string | undefined) => /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];

function authOf(authorization: string | undefined, token: string, oauth: FakeDiscordOAuth | undefined): RecordedCall['auth'] {
  if (authorization === undefined) return 'none';
  if (authorization === `Bot ${token}`) return 'bot';
  const bearer = bearerOf(authorization);
  return bearer && oauth?.userOf(bearer) !== undefined ? 'bearer' : 'invalid';
}

function matches(match: CallMatch, call: RecordedCall): boolean {
  if (typeof match === 'function') return match(call);
  const space = match.indexOf(' ');
  const method = space < 0 ? undefined : match.slice(0, space).toUpperCase();
  const path = space < 0 ? match : match.slice(space + 1);
  if (method !== undefined && method !== call.method) return false;
  return path === call.path || `${call.method} ${path}` === call.route;
}

function faultAnswer(fault: RestFault, route: string): [number, Record<string, string>, unknown] {
  if (fault.status === 429 && 'retryAfter' in fault) {
    const seconds = String(fault.retryAfter);
    const scope = fault.scope ?? (fault.global ? 'global' : 'user');
    const headers: Record<string, string> = fault.global
      ? { 'retry-after': seconds, 'x-ratelimit-global': 'true', 'x-ratelimit-scope': scope }
      : {
          'retry-after': seconds,
          'x-ratelimit-limit': '5',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Date.now() / 1000 + fault.retryAfter),
          'x-ratelimit-reset-after': seconds,
          'x-ratelimit-bucket': bucketOf(route),
          'x-ratelimit-scope': scope,
        };
    return [429, headers, { message: 'You are being rate limited.', retry_after: fault.retryAfter, global: fault.global ?? false }];
  }
  const f = fault as { status: number; code?: number; message?: string; errors?: Record<string, unknown> };
  const body = { message: f.message ?? `${f.status}: fake Discord injected failure`, code: f.code ?? 0, ...(f.errors ? { errors: f.errors } : {}) };
  return [f.status, {}, body];
}

/** One bucket per route, like Discord's opaque per-route hashes. */
const bucketOf = (route: string) => Buffer.from(route).toString('hex').slice(-32);

/**
 * Every answer carries its bucket, as Discord's do, so the client knows the bucket before any 429
 * (and keeps a 429's "remaining 0" for the next request). The budget shown never runs out: the
 * fake limits only through `failNext`.
 */
function bucketHeaders(route: string): Record<string, string> {
  return {
    'x-ratelimit-bucket': bucketOf(route),
    'x-ratelimit-limit': '50',
    'x-ratelimit-remaining': '49',
    'x-ratelimit-reset-after': '1',
    'x-ratelimit-scope': 'user',
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
