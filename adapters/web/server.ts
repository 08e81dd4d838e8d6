/**
 * The dashboard over node:http: server-rendered pages, one small script for live updates, every
 * asset served here. Every request is checked for who is signed in; every state change for its
 * CSRF token and origin. The pages run the desk's use cases (adapters/web/actions.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Desk } from '../../src/core/desk.js';
import type { Core } from '../../src/core/work.js';
import { APP_CSS, LIVE_JS } from './assets.js';
import {
  AttemptLimiter,
  csrfMatches,
  endSession,
  readCookie,
  redeemLoginToken,
  SESSION_COOKIE,
  sessionCookie,
  sessionOf,
  startSession,
} from './auth.js';
import { messagePage, type PageAnswer } from './html.js';
import { LiveHub } from './live.js';
import { isTicketAction, runTicketAction } from './actions.js';
import { BadQuery, queueHtml } from './queue-page.js';
import { ARTICLE_ACTIONS, articleHtml, kbHtml } from './kb-page.js';
import { oncallHtml, overrideArgs } from './oncall-page.js';
import { reportsHtml } from './reports-page.js';
import { runAs } from './run-as.js';
import { ticketHtml, transcriptDownload } from './ticket-page.js';
import { chromeOf, viewerOf, type Viewer } from './viewer.js';
import { WebIntegrations } from './integrations.js';
import { PlatformSignIn } from './platform-sign-in.js';
import type { SignInProvider } from './sign-in-providers.js';

export interface WebOptions {
  desk: Desk;
  /** The HMAC secret of sign-in links (adapters/web/auth.ts signingSecret). */
  secret: string;
  /** Cookies are Secure when the public URL is https (behind the operator's TLS proxy). */
  secure: boolean;
  /** Failed sign-ins allowed per client address per 15 minutes. */
  signInAttempts?: number;
  /** Sign in with Slack / Discord, when configured (adapters/web/sign-in-providers.ts). */
  signInProviders?: SignInProvider[];
  /** TIERDESK_PUBLIC_URL without its trailing slash: where the platforms send the browser back. */
  publicUrl?: string;
}

const MAX_BODY = 64 * 1024;
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface WebServer {
  server: Server;
  live: LiveHub;
  api: WebIntegrations['api'];
  close(): Promise<void>;
}

export function createWebServer(options: WebOptions): WebServer {
  const app = new WebApp(options);
  const server = createServer((req, res) => void app.answer(req, res));
  return {
    server,
    live: app.live,
    api: app.integrations.api,
    async close() {
      app.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', ...headers }).end(body);
}

function redirect(res: ServerResponse, to: string, headers: Record<string, string> = {}): void {
  res.writeHead(303, { ...SECURITY_HEADERS, location: to, ...headers }).end();
}

/** The routes, and what they share: the live hub, the sign-in limiter, one-line notices after a form. */
class WebApp {
  readonly live: LiveHub;
  readonly integrations: WebIntegrations;
  private readonly core: Core;
  private readonly limiter: AttemptLimiter;
  private readonly platforms: PlatformSignIn;
  private readonly flashes = new Map<string, string>();
  private readonly off: () => void;

  constructor(private readonly options: WebOptions) {
    this.core = options.desk.core;
    this.live = new LiveHub(this.core);
    const { desk, secret, secure, publicUrl } = options;
    this.integrations = new WebIntegrations({ desk, secret, secure, send, ...(publicUrl ? { publicUrl } : {}) });
    this.limiter = new AttemptLimiter(options.signInAttempts ?? 10);
    this.platforms = new PlatformSignIn({
      core: this.core,
      secret: options.secret,
      secure: options.secure,
      limiter: this.limiter,
      providers: options.signInProviders ?? [],
      ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    });
    this.off = options.desk.onTicketsChanged((tickets) => {
      this.live.changed(tickets).catch((err: unknown) => this.core.logger.warn('live update failed', { error: String(err) }));
    });
  }

  close(): void {
    this.off();
    this.live.close();
  }

  /** Answer one request; expected failures are one line, anything else is logged with a reference. */
  async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.route(req, res);
    } catch (err) {
      if (res.headersSent) return void res.end();
      if (err instanceof HttpError) return send(res, err.status, messagePage('Sorry', err.message));
      if (err instanceof BadQuery) return send(res, 400, messagePage('Sorry', err.message));
      const ref = Math.random().toString(36).slice(2, 10);
      this.core.logger.error('dashboard request failed', {
        ref,
        path: (req.url ?? '').split('?')[0],
        error: err instanceof Error ? err.message : String(err),
      });
      send(res, 500, messagePage('Sorry', `Something went wrong on our side (reference ${ref}).`));
    }
  }

  private async viewer(req: IncomingMessage): Promise<Viewer | undefined> {
    const session = await sessionOf(this.core.db, readCookie(req.headers.cookie, SESSION_COOKIE), this.core.clock.now());
    return session ? viewerOf(this.core, session) : undefined;
  }

  /** The posted form: from this site, at most 64 KB, and with the session's CSRF token when signed in. */
  private async formOf(req: IncomingMessage, v?: Viewer): Promise<URLSearchParams> {
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== 'null' && new URL(origin).host !== req.headers.host)
      throw new HttpError(403, 'That form came from another site.');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) throw new HttpError(413, `That form is over ${MAX_BODY / 1024} KB.`);
      chunks.push(chunk as Buffer);
    }
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    if (v && !csrfMatches(v.session, form.get('_csrf') ?? undefined))
      throw new HttpError(403, 'This form has expired: reload the page and try again.');
    return form;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://dashboard');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (method === 'GET' && path === '/assets/live.js') return send(res, 200, LIVE_JS, { 'content-type': 'text/javascript; charset=utf-8' });
    if (method === 'GET' && path === '/assets/app.css') return send(res, 200, APP_CSS, { 'content-type': 'text/css; charset=utf-8' });
    if (await this.integrations.answerOpen(req, res, url)) return;
    if (path === '/login') return method === 'POST' ? this.signIn(req, res) : send(res, 200, this.platforms.page(url.searchParams.get('token')));
    const platform = /^\/login\/([a-z]+)(\/callback)?$/.exec(path);
    if (platform && method === 'GET') return this.platformSignIn(req, res, platform[1]!, platform[2] !== undefined, url.searchParams);
    const v = await this.viewer(req);
    if (!v) {
      if (path === '/events') throw new HttpError(401, 'Sign in first.');
      return send(res, 401, this.platforms.page(null));
    }
    if (method === 'POST' && path === '/logout') {
      await this.formOf(req, v);
      await endSession(this.core.db, readCookie(req.headers.cookie, SESSION_COOKIE));
      return redirect(res, '/login', { 'set-cookie': sessionCookie('', this.options.secure, 0) });
    }
    if (method === 'GET' && path === '/events') return this.live.open(res, v);
    if (await this.integrations.answerTokens(req, res, v, path, () => this.formOf(req, v))) return;
    if (method === 'GET' && path === '/') return send(res, 200, await queueHtml(this.core, v, url.searchParams));
    if (method === 'GET' && path === '/reports') return this.sendAnswer(res, v, await reportsHtml(this.core, v, url.searchParams));
    if (method === 'GET' && path === '/oncall') return this.sendAnswer(res, v, await oncallHtml(this.core, v, this.takeFlash(v)));
    if (method === 'POST' && path === '/oncall/override') {
      const form = overrideArgs(await this.formOf(req, v));
      this.setFlash(v, await runAs(this.options.desk, v, 'oncall', 'override', form));
      return redirect(res, '/oncall');
    }
    if (path === '/kb' || path.startsWith('/kb/')) return this.kbRoute(req, res, v, url);
    const ticket = /^\/tickets\/(\d{1,9})(?:\/([a-z]+))?$/.exec(path);
    if (ticket) return this.ticketRoute(req, res, v, Number(ticket[1]), ticket[2]);
    throw new HttpError(404, `There is no page ${path.slice(0, 80)} here.`);
  }

  /** `/kb`, `/kb/N` and their forms: each form is the `/kb` sub-command of its name, the article's id fixed. */
  private async kbRoute(req: IncomingMessage, res: ServerResponse, v: Viewer, url: URL): Promise<void> {
    const path = url.pathname;
    if (req.method === 'GET' && path === '/kb') return this.sendAnswer(res, v, await kbHtml(this.core, v, url.searchParams, this.takeFlash(v)));
    if (req.method === 'POST' && path === '/kb/new') {
      this.setFlash(v, await runAs(this.options.desk, v, 'kb', 'add', await this.formOf(req, v)));
      return redirect(res, '/kb');
    }
    const article = /^\/kb\/(\d{1,9})(?:\/([a-z]+))?$/.exec(path);
    const id = Number(article?.[1]);
    if (article && req.method === 'GET' && article[2] === undefined)
      return this.sendAnswer(res, v, await articleHtml(this.core, v, id, url.searchParams, this.takeFlash(v)));
    if (article && req.method === 'POST' && article[2] !== undefined && ARTICLE_ACTIONS.has(article[2])) {
      const form = await this.formOf(req, v);
      this.setFlash(v, await runAs(this.options.desk, v, 'kb', article[2], form, { id: String(id) }));
      return redirect(res, article[2] === 'delete' ? '/kb' : `/kb/${id}`);
    }
    throw new HttpError(404, `There is no page ${path.slice(0, 80)} here.`);
  }

  /** A page, or its one line of refusal with the navigation around it. */
  private sendAnswer(res: ServerResponse, v: Viewer, answer: PageAnswer): void {
    if (answer.status === 200) return send(res, 200, answer.html);
    const title = answer.status === 400 ? 'Sorry' : answer.status === 403 ? 'Not for you' : 'Not here';
    send(res, answer.status, messagePage(title, answer.text, chromeOf(v)));
  }

  /** The one line a form's answer left for the person's next page, taken once (a live refresh by the page's script leaves it). */
  private takeFlash(v: Viewer, req?: IncomingMessage): string | undefined {
    if (req?.headers['x-tierdesk-refresh']) return undefined;
    const flash = this.flashes.get(v.session.tokenHash);
    this.flashes.delete(v.session.tokenHash);
    return flash;
  }

  private setFlash(v: Viewer, text: string): void {
    this.flashes.set(v.session.tokenHash, text);
    if (this.flashes.size > 10_000) this.flashes.delete(this.flashes.keys().next().value!);
  }

  private async ticketRoute(req: IncomingMessage, res: ServerResponse, v: Viewer, n: number, action: string | undefined): Promise<void> {
    if (req.method === 'GET' && (action === undefined || action === 'transcript')) {
      const answer = action ? await transcriptDownload(this.core, v, n) : await ticketHtml(this.core, v, n, this.takeFlash(v, req));
      if ('file' in answer) return send(res, 200, answer.file.content, { 'content-disposition': `attachment; filename="${answer.file.name}"` });
      return this.sendAnswer(res, v, answer);
    }
    if (req.method === 'POST' && action !== undefined && isTicketAction(action)) {
      this.setFlash(v, await runTicketAction(this.options.desk, v, n, action, await this.formOf(req, v)));
      return redirect(res, `/tickets/${n}`);
    }
    throw new HttpError(404, `There is no page ${(req.url ?? '').slice(0, 80)} here.`);
  }

  /** `/login/{platform}` and its callback (adapters/web/platform-sign-in.ts); a platform not configured has no such page. */
  private async platformSignIn(
    req: IncomingMessage,
    res: ServerResponse,
    platform: string,
    callback: boolean,
    query: URLSearchParams,
  ): Promise<void> {
    const answer = await this.platforms.answer(req, platform, callback, query);
    if (!answer) throw new HttpError(404, `Signing in with ${platform.slice(0, 20)} is not set up here.`);
    const headers = { ...SECURITY_HEADERS, ...answer.headers, ...(answer.cookies ? { 'set-cookie': answer.cookies } : {}) };
    if (answer.location) res.writeHead(answer.status, { ...headers, location: answer.location }).end();
    else res.writeHead(answer.status, { ...headers, 'content-type': 'text/html; charset=utf-8' }).end(answer.page ?? '');
  }

  private async signIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const client = req.socket.remoteAddress ?? 'unknown';
    const now = this.core.clock.now();
    const wait = this.limiter.blockedFor(client, now);
    if (wait > 0)
      return send(res, 429, messagePage('Too many attempts', `Too many sign-in attempts: try again in ${Math.ceil(wait / 60_000)} minutes.`), {
        'retry-after': String(Math.ceil(wait / 1000)),
      });
    const form = await this.formOf(req);
    const person = await redeemLoginToken(this.core.db, this.options.secret, form.get('token') ?? '', now);
    if (!person || !this.core.directory.person(person)) {
      this.limiter.failed(client, now);
      return send(
        res,
        401,
        messagePage('Sign in', 'That sign-in link is invalid, used or expired: ask for a new one with "tierdesk login-link PERSON".'),
      );
    }
    // Rotate: whatever session this browser had is ended; the new one has a fresh token.
    await endSession(this.core.db, readCookie(req.headers.cookie, SESSION_COOKIE));
    const { token } = await startSession(this.core.db, person, now);
    return redirect(res, '/', { 'set-cookie': sessionCookie(token, this.options.secure) });
  }
}
