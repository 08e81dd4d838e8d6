import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Recording } from '../recording.js';
import { announceUpload, completeUpload, receiveUpload } from './files.js';
import { METHODS, type ApiArgs } from './web-api-methods.js';
import { missingScopes } from './scopes.js';
import { FakeSlackOpenId, type OpenIdClient } from './openid.js';
import { SlackApiError, type FakeMessage, type Workspace } from './workspace.js';

/**
 * What the next call(s) of a method should get instead of a normal answer:
 * an HTTP status (`{ status: 429, retryAfter: 1 }` sends `Retry-After: 1`; 5xx sends a text body),
 * or a Slack error answered the Slack way, HTTP 200 `{ ok: false, error }`.
 */
export type Fault = { status: number; retryAfter?: number } | { error: string; extra?: Record<string, unknown> };

/** One Web API call as the fake saw it. `at` is the fake clock's epoch ms. */
export interface RecordedCall {
  method: string;
  args: ApiArgs;
  token: string | undefined;
  at: number;
  status: number;
  /** The JSON body sent back, or the text body of an injected HTTP failure. */
  response: Record<string, unknown> | string;
}

/** One POST to a response_url (what Bolt's `respond()` sends). */
export interface RecordedResponse {
  url: string;
  body: Record<string, unknown>;
  at: number;
}

export interface WebApiOptions {
  botToken: string;
  appToken?: string;
  workspace: Workspace;
  /** Issues a Socket Mode URL for `apps.connections.open`. */
  socketUrl?: () => string;
  /**
   * The scopes the bot token was granted, sent as `x-oauth-scopes` on every answer to a bot-token
   * call (WebClient exposes them as `response_metadata.scopes`). Default: `FULL_BOT_SCOPES`.
   */
  scopes?: readonly string[];
  /** The app's client id and secret for Sign in with Slack; without them the OpenID endpoints refuse. */
  openId?: OpenIdClient;
}

/** Every bot scope tierdesk's manifest asks for: a workspace that installed the app as printed. */
export const FULL_BOT_SCOPES = [
  'commands',
  'chat:write',
  'files:write',
  'im:write',
  'im:history',
  'channels:history',
  'groups:history',
  'reactions:read',
  'reactions:write',
  'users:read',
  'usergroups:read',
  'usergroups:write',
] as const;

/** Slack accepts a response_url five times within 30 minutes. */
const RESPONSE_URL_USES = 5;
const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;
/** Arguments WebClient JSON-encodes inside its form bodies; the fake decodes them for inspection. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata', 'unfurls', 'files']);

/** The Slack Web API (`/api/<method>`) and response_url hooks (`/hooks/...`) on 127.0.0.1. */
export class FakeSlackWebApi {
  readonly workspace: Workspace;
  readonly #options: WebApiOptions;
  readonly #server: Server;
  readonly #calls = new Recording<RecordedCall>();
  readonly #responses = new Recording<RecordedResponse>();
  readonly #faults = new Map<string, Fault[]>();
  readonly #outages: Array<{ until: number; fault: Fault; methods: ReadonlySet<string> | undefined; every: number; calls: number }> = [];
  readonly #hooks = new Map<string, { issuedAt: number; uses: number }>();
  /** Sign in with Slack: `openId.consentAs(user)` picks who grants the next authorization. */
  readonly openId: FakeSlackOpenId;
  /** The bot token's scopes (see `WebApiOptions.scopes`); tests may change them, as a reinstall would. */
  scopes: string[];
  #port = 0;
  #hookSeq = 0;

  private constructor(options: WebApiOptions) {
    this.#options = options;
    this.workspace = options.workspace;
    this.openId = new FakeSlackOpenId(options.workspace, options.openId);
    this.scopes = [...(options.scopes ?? FULL_BOT_SCOPES)];
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake Slack crashed: ${String(error)}`);
      });
    });
  }

  /** Starts listening on an ephemeral loopback port. */
  static async start(options: WebApiOptions): Promise<FakeSlackWebApi> {
    const api = new FakeSlackWebApi(options);
    api.#server.listen(0, '127.0.0.1');
    await once(api.#server, 'listening');
    api.#port = (api.#server.address() as AddressInfo).port;
    return api;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** The value for WebClient's `slackApiUrl` (ends with a slash). */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  /** Every call so far (failed ones too), oldest first; only one method's when given. */
  calls(method?: string): readonly RecordedCall[] {
    return method ? this.#calls.all.filter((c) => c.method === method) : this.#calls.all;
  }

  /** The messages stored in a channel (bot posts and user messages), thread replies included, in ts order. */
  messagesIn(channel: string): readonly FakeMessage[] {
    return this.workspace.messagesIn(channel);
  }

  /** Resolves with the first call of `method` (already made or still to come) that matches. */
  waitForCall(method: string, predicate: (call: RecordedCall) => boolean = () => true): Promise<RecordedCall> {
    return this.#calls.waitFor(`a ${method} call`, (c) => c.method === method && predicate(c));
  }

  /** Makes the next `times` calls of `method` fail with `fault`, in order after earlier faults. */
  failNext(method: string, fault: Fault, times = 1): void {
    const queue = this.#faults.get(method) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(fault);
    this.#faults.set(method, queue);
  }

  /**
   * An outage: calls get `fault` until the fake's clock reaches `until` (epoch ms), e.g.
   * `failUntil(t + 20_000, { status: 500 })`. `methods`: only these (default every Web API method);
   * `every`: only every n-th call of them in that time (`every: 2`: the 2nd, 4th, … fail; default 1,
   * all), a flaky API rather than a dead one. Several may be set up in advance: while more than one is
   * on, the one set up first answers, so `failUntil(t + 20_000, { status: 500 })` then
   * `failUntil(t + 40_000, { status: 429, retryAfter: 5 })` answers 500 for 20 s, then 429 for 20 s.
   * Faults queued with `failNext` come first.
   */
  failUntil(until: number, fault: Fault, options: { methods?: readonly string[]; every?: number } = {}): void {
    this.#outages.push({
      until,
      fault,
      methods: options.methods ? new Set(options.methods) : undefined,
      every: Math.max(1, options.every ?? 1),
      calls: 0,
    });
  }

  /** A fresh response_url on this server, like `https://hooks.slack.com/commands/T…/…/…`. */
  issueResponseUrl(kind: 'commands' | 'actions'): string {
    const { teamId } = this.workspace.team;
    this.#hookSeq += 1;
    const url = `${this.baseUrl}/hooks/${kind}/${teamId}/${this.#hookSeq}/${randomBytes(12).toString('base64url')}`;
    this.#hooks.set(new URL(url).pathname, { issuedAt: this.workspace.now(), uses: 0 });
    return url;
  }

  /** What was posted to response_urls (to one of them when given). */
  responses(url?: string): readonly RecordedResponse[] {
    return url ? this.#responses.all.filter((r) => r.url === url) : this.#responses.all;
  }

  waitForResponse(url?: string, predicate: (r: RecordedResponse) => boolean = () => true): Promise<RecordedResponse> {
    const what = `a POST to ${url ?? 'a response_url'}`;
    return this.#responses.waitFor(what, (r) => (url === undefined || r.url === url) && predicate(r));
  }

  /** Forgets recorded calls and responses (not the workspace's messages). */
  clearRecordings(): void {
    this.#calls.clear();
    this.#responses.clear();
  }

  async stop(): Promise<void> {
    this.#calls.close(() => `Calls seen: ${this.#calls.all.map((c) => c.method).join(', ') || 'none'}.`);
    this.#responses.close(() => `response_url POSTs seen: ${this.#responses.all.length}.`);
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    if (url.pathname.startsWith('/upload/v1/') && req.method === 'POST') return this.#upload(url, req, res);
    const body = await readBody(req);
    if (url.pathname.startsWith('/api/')) return this.#api(url.pathname.slice('/api/'.length), req, url, body, res);
    if (url.pathname.startsWith('/hooks/') && req.method === 'POST') return this.#hook(url, body, res);
    if (url.pathname === '/openid/connect/authorize' && req.method === 'GET') return this.openId.authorize(url, res);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }

  #api(method: string, req: IncomingMessage, url: URL, body: string, res: ServerResponse): void {
    const record = (args: ApiArgs, token: string | undefined, status: number, response: RecordedCall['response']) =>
      this.#calls.add({ method, args, token, at: this.workspace.now(), status, response });
    let args: ApiArgs = {};
    let token: string | undefined;
    try {
      args = parseArgs(req.headers['content-type'], body, url.searchParams);
      token = bearer(req.headers.authorization) ?? (typeof args.token === 'string' ? args.token : undefined);
      delete args.token;
      const now = this.workspace.now();
      const outage = this.#outages.find((o) => now < o.until && (!o.methods || o.methods.has(method)));
      const fault = this.#faults.get(method)?.shift() ?? (outage && ++outage.calls % outage.every === 0 ? outage.fault : undefined);
      if (fault && 'status' in fault) {
        const text = fault.status === 429 ? '{"ok":false,"error":"ratelimited"}' : `fake Slack: injected HTTP ${fault.status}`;
        const headers: Record<string, string> = { 'content-type': fault.status === 429 ? 'application/json' : 'text/plain' };
        if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
        record(args, token, fault.status, text);
        res.writeHead(fault.status, headers).end(text);
        return;
      }
      if (fault) throw new SlackApiError(fault.error, fault.extra);
      // Sign in with Slack's two methods take client credentials or a user token, not the bot's.
      if (method === 'openid.connect.token' || method === 'openid.connect.userInfo') {
        const result = { ok: true, ...(method === 'openid.connect.token' ? this.openId.token(args) : this.openId.userInfo(token)) };
        record(args, token, 200, result);
        return sendJson(res, result);
      }
      this.#authorize(method, token);
      const missing = token === this.#options.botToken ? missingScopes(method, args, this.scopes) : [];
      if (missing.length > 0) throw new SlackApiError('missing_scope', { needed: missing.join(','), provided: this.scopes.join(',') });
      const result = { ok: true, ...this.#answer(method, args) };
      record(args, token, 200, result);
      sendJson(res, result, token === this.#options.botToken ? { 'x-oauth-scopes': this.scopes.join(','), 'x-accepted-oauth-scopes': '' } : {});
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error;
      const result = { ok: false, error: error.code, ...error.extra };
      record(args, token, 200, result);
      sendJson(res, result);
    }
  }

  #answer(method: string, args: ApiArgs): Record<string, unknown> {
    if (method === 'apps.connections.open') {
      if (!this.#options.socketUrl) throw new SlackApiError('fake_socket_mode_not_started');
      return { url: this.#options.socketUrl() };
    }
    if (method === 'files.getUploadURLExternal') return announceUpload(this.workspace, args, (id) => `${this.baseUrl}/upload/v1/${id}`);
    if (method === 'files.completeUploadExternal') {
      const { files, share } = completeUpload(this.workspace, args);
      if (share) {
        const ws = this.workspace;
        const bot = { user: ws.team.botUserId, bot_id: ws.team.botId, app_id: ws.team.appId };
        ws.addMessage({
          channel: share.channel,
          ...bot,
          text: share.text,
          files,
          upload: true,
          ...(share.threadTs ? { thread_ts: share.threadTs } : {}),
        });
      }
      return { files: files.map((f) => ({ id: f.id, title: f.title })) };
    }
    const handler = METHODS[method];
    if (!handler) throw new SlackApiError('unknown_method', { req_method: method });
    return handler(this.workspace, args);
  }

  /** Slack answers auth problems with HTTP 200 and `ok: false`, never 401. */
  #authorize(method: string, token: string | undefined): void {
    if (!token) throw new SlackApiError('not_authed');
    const { botToken, appToken } = this.#options;
    const wantsAppToken = method === 'apps.connections.open';
    if (token === (wantsAppToken ? appToken : botToken)) return;
    if (token === (wantsAppToken ? botToken : appToken)) throw new SlackApiError('not_allowed_token_type');
    throw new SlackApiError('invalid_auth');
  }

  /** An upload URL (files.getUploadURLExternal): the file's bytes, recorded as a call named `upload`. */
  async #upload(url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBytes(req);
    const id = url.pathname.slice('/upload/v1/'.length);
    const answer = await receiveUpload(this.workspace, id, req.headers['content-type'], raw);
    this.#calls.add({
      method: 'upload',
      args: { file_id: id, bytes: raw.length },
      token: bearer(req.headers.authorization),
      at: this.workspace.now(),
      status: answer.status,
      response: answer.text,
    });
    res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.text);
  }

  #hook(url: URL, body: string, res: ServerResponse): void {
    const hook = this.#hooks.get(url.pathname);
    if (!hook) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('invalid_url');
    if (this.workspace.now() - hook.issuedAt > RESPONSE_URL_LIFETIME_MS) {
      return void res.writeHead(404, { 'content-type': 'text/plain' }).end('expired_url');
    }
    if (hook.uses >= RESPONSE_URL_USES) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('used_url');
    hook.uses += 1;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return void res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
    }
    this.#responses.add({ url: url.href, body: parsed, at: this.workspace.now() });
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  }
}

function readBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function bearer(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
}

/** WebClient sends form bodies; Slack also accepts JSON bodies and GET query strings. */
function parseArgs(contentType: string | undefined, body: string, query: URLSearchParams): ApiArgs {
  const args: ApiArgs = Object.fromEntries(query);
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') {
    try {
      return { ...args, ...(JSON.parse(body || '{}') as ApiArgs) };
    } catch {
      throw new SlackApiError('invalid_json');
    }
  }
  if (type !== 'application/x-www-form-urlencoded' && body !== '') throw new SlackApiError('invalid_form_data');
  for (const [key, value] of new URLSearchParams(body)) args[key] = JSON_FIELDS.has(key) ? jsonOrText(value) : value;
  return args;
}

function jsonOrText(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function sendJson(res: ServerResponse, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
}
