/**
 * The dashboard's doors for other programs and for a person's own keys: the API under /api/v1
 * (personal tokens), the on-call calendar feeds (a token in the URL, for calendar apps that have
 * no session), and `/tokens`, where a signed-in person manages both. Kept out of server.ts, which
 * routes the pages.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Desk } from '../../src/core/desk.js';
import { Api, API_BASE } from './api/serve.js';
import { feedAt } from './ical.js';
import { tokensAnswer } from './tokens-page.js';
import type { Viewer } from './viewer.js';

type Send = (res: ServerResponse, status: number, body: string, headers?: Record<string, string>) => void;

export interface IntegrationOptions {
  desk: Desk;
  secret: string;
  secure: boolean;
  publicUrl?: string;
  /** The server's answer, with its security headers. */
  send: Send;
}

export class WebIntegrations {
  readonly api: Api;

  constructor(private readonly o: IntegrationOptions) {
    this.api = new Api(o.desk);
  }

  /** Before any session: the API and the calendar feeds. True when it answered. */
  async answerOpen(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const path = url.pathname;
    if (path === API_BASE || path.startsWith(`${API_BASE}/`)) return (await this.api.answer(req, res, path, url.searchParams), true);
    if (req.method !== 'GET' || !/^\/oncall\/.+\.ics$/.test(path)) return false;
    const a = await feedAt(this.o.desk.core, this.o.secret, path, url.searchParams.get('token'));
    if (a.status === 200) this.o.send(res, 200, a.ics, { 'content-type': 'text/calendar; charset=utf-8' });
    else this.o.send(res, a.status, a.text, { 'content-type': 'text/plain; charset=utf-8' });
    return true;
  }

  /** `/tokens` and below for a signed-in person; `form` reads the posted form and checks its CSRF token. True when it answered. */
  async answerTokens(req: IncomingMessage, res: ServerResponse, v: Viewer, path: string, form: () => Promise<URLSearchParams>): Promise<boolean> {
    if (path !== '/tokens' && !path.startsWith('/tokens/')) return false;
    const base = this.o.publicUrl?.replace(/\/+$/, '') ?? `${this.o.secure ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`;
    const posted = req.method === 'POST' ? await form() : undefined;
    if (req.method !== 'POST' && req.method !== 'GET') return false;
    const answer = await tokensAnswer(this.o.desk.core, { secret: this.o.secret, base }, v, path, posted);
    if (!answer) return false;
    this.o.send(res, answer.status, answer.html, answer.headers);
    return true;
  }
}
