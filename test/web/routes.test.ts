import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ApiRoute } from '../../adapters/web/api/route.js';
import { createApiToken } from '../../adapters/web/api-tokens.js';
import { createLoginToken } from '../../adapters/web/auth.js';
import { Browser, SECRET, startTestDashboard, type Dashboard } from './support.js';

let d: Dashboard;
const XSS = '<img src=x onerror=alert(1)>';

beforeEach(async () => {
  d = await startTestDashboard();
  await d.desk.say('ann', `/ticket new ${XSS}`);
  await d.desk.say('agent1', '/ticket note 1 check the toner (internal)');
  await d.desk.say('sam', '/ticket new VPN down');
  await d.desk.say('agent1', '/ticket escalate 2 needs network --to L2');
});
afterEach(async () => {
  await d.close();
});

async function as(person: string): Promise<Browser> {
  const b = new Browser(d);
  const signed = await b.signIn(person);
  expect(signed.status).toBe(303);
  return b;
}

describe('the dashboard, route by route, for everyone who may or may not see it', () => {
  it('shows nobody anything but the sign-in page and the assets', async () => {
    const nobody = new Browser(d);
    for (const path of ['/', '/tickets/1', '/tickets/2', '/tickets/999', '/events']) expect((await nobody.get(path)).status, path).toBe(401);
    expect((await nobody.get('/')).body).toMatch(/tierdesk login-link PERSON/);
    expect((await nobody.post('/tickets/1/claim', {})).status).toBe(401);
    expect((await nobody.post('/logout', {})).status).toBe(401);
    expect((await nobody.get('/assets/live.js')).status).toBe(200);
    expect((await nobody.get('/assets/app.css')).headers.get('content-type')).toMatch(/text\/css/);
    expect((await nobody.get('/login')).status).toBe(200);
  });

  it('shows a requester their own tickets only, as text, without notes, and lets them reply but not claim', async () => {
    const ann = await as('ann');
    const queue = await ann.get('/');
    expect(queue.status).toBe(200);
    expect(queue.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(queue.body).not.toContain(XSS);
    expect(queue.body).not.toContain('VPN down');
    const mine = await ann.get('/tickets/1');
    expect(mine.status).toBe(200);
    expect(mine.body).not.toMatch(/check the toner/);
    expect(mine.body).not.toMatch(/action="\/tickets\/1\/claim"/);
    expect((await ann.get('/tickets/2')).status).toBe(403);
    expect((await ann.get('/tickets/999')).status).toBe(404);
    expect((await ann.post('/tickets/1/claim', {})).status).toBe(303);
    expect((await ann.get('/tickets/1')).body).toMatch(/agents of Help desk|Only .*agents/);
    expect((await ann.post('/tickets/1/message', { text: 'It is still on fire' })).status).toBe(303);
    await d.desk.desk.dispatcher.drain();
    expect(d.desk.thread('l1-desk', 1).join('\n')).toMatch(/It is still on fire/);
  });

  it('shows an agent their tier’s queue and the notes, and runs their actions as chat would', async () => {
    const one = await as('agent1');
    const queue = await one.get('/');
    expect(queue.body).toContain('&lt;img src=x');
    expect(queue.body).not.toContain('VPN down');
    const page = await one.get('/tickets/1');
    expect(page.body).toMatch(/check the toner \(internal\)/);
    for (const action of ['claim', 'reply', 'note', 'wait', 'escalate', 'resolve', 'priority'])
      expect(page.body, action).toContain(`action="/tickets/1/${action}"`);
    expect((await one.post('/tickets/1/claim', {})).status).toBe(303);
    await d.desk.desk.dispatcher.drain();
    expect(d.desk.channel('l1-desk').join('\n')).toMatch(/Agent One/);
    expect((await one.get('/tickets/1')).body).toMatch(/You claimed #1|claimed/);
    expect((await one.get('/tickets/2')).status).toBe(200);
    expect((await one.get('/?tier=L2')).status).toBe(400);

    const two = await as('agent2');
    const q2 = await two.get('/');
    expect(q2.body).toContain('VPN down');
    expect(q2.body).not.toContain('&lt;img');
  });

  it('shows a lead every tier, filters, and refuses a filter value it does not know', async () => {
    const lena = await as('lena');
    const all = await lena.get('/');
    expect(all.body).toContain('VPN down');
    expect(all.body).toContain('&lt;img');
    expect((await lena.get('/?tier=L2')).body).not.toContain('&lt;img');
    expect((await lena.get('/?priority=P9')).body).toMatch(/Unknown priority &quot;P9&quot;: one of P1..P5/);
    expect((await lena.get('/?page=x')).status).toBe(400);
  });

  it('refuses a state change without the session’s CSRF token or from another site', async () => {
    const one = await as('agent1');
    await one.get('/tickets/1');
    expect((await one.post('/tickets/1/claim', {}, false)).status).toBe(403);
    expect((await one.post('/tickets/1/claim', { _csrf: 'forged' }, false)).status).toBe(403);
    const res = await fetch(`${d.base}/tickets/1/claim`, {
      method: 'POST',
      headers: { cookie: one.cookie, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: `_csrf=${one.csrf}`,
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    expect((await d.desk.say('agent1', '/ticket show 1')) ?? '').toMatch(/open/i);
  });

  it('uses a sign-in link once, within 15 minutes, and rotates and revokes sessions', async () => {
    const token = await createLoginToken(d.desk.db, SECRET, 'ann', d.desk.clock.now());
    const b = new Browser(d);
    const first = await b.useToken(token);
    expect(first.status).toBe(303);
    expect(first.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Lax/);
    expect(first.headers.get('set-cookie')).not.toMatch(/Secure/);
    expect((await new Browser(d).useToken(token)).status).toBe(401);
    const late = await createLoginToken(d.desk.db, SECRET, 'ann', d.desk.clock.now());
    d.desk.clock.advance(15 * 60_000 + 1);
    expect((await new Browser(d).useToken(late)).status).toBe(401);
    expect((await new Browser(d).useToken(token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).status).toBe(401);
    const old = b.cookie;
    await b.signIn('sam');
    expect(b.cookie).not.toBe(old);
    const stale = new Browser(d);
    stale.cookie = old;
    expect((await stale.get('/')).status).toBe(401);
    await b.get('/');
    expect((await b.post('/logout', {})).status).toBe(303);
    expect((await b.get('/')).status).toBe(401);
  });

  it('sends a Content-Security-Policy without inline scripts on every page', async () => {
    const one = await as('agent1');
    for (const path of ['/', '/tickets/1', '/login', '/nope']) {
      const a = await one.get(path);
      expect(a.headers.get('content-security-policy'), path).toMatch(/script-src 'self';/);
      expect(a.body, path).not.toMatch(/<script>|<script(?![^>]*src=)[^>]*>/);
    }
    expect((await one.get('/nope')).status).toBe(404);
  });
});

describe('sign-in attempts', () => {
  it('are limited per client address', async () => {
    await d.close();
    d = await startTestDashboard(undefined, 3);
    const b = new Browser(d);
    for (let i = 0; i < 3; i++) expect((await b.useToken('forged.1.2.3')).status).toBe(401);
    const blocked = await b.useToken('forged.1.2.3');
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatch(/Too many sign-in attempts/);
    expect((await b.signIn('ann')).status).toBe(429);
  });
});

describe('live updates', () => {
  it('tell an open dashboard which tickets it may see changed, when chat changes them', async () => {
    const ctl = new AbortController();
    const one = await as('agent1');
    const ann = await as('ann');
    const read = async (b: Browser) => {
      const res = await fetch(`${d.base}/events`, { headers: { cookie: b.cookie }, signal: ctl.signal });
      expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
      return res.body!.getReader();
    };
    const lena = await as('lena');
    const agentStream = await read(one);
    const annStream = await read(ann);
    const leadStream = await read(lena);
    while (d.web.live.size < 3) await new Promise((r) => setImmediate(r));
    await d.desk.say('agent2', '/ticket claim 2');
    await d.desk.say('agent1', '/ticket claim 1');
    const text = async (r: ReadableStreamDefaultReader<Uint8Array>, want: RegExp) => {
      let all = '';
      while (!want.test(all)) all += new TextDecoder().decode((await r.read()).value);
      return all;
    };
    expect(await text(agentStream, /data: \[1\]/)).toMatch(/event: tickets\ndata: \[2\][\s\S]*data: \[1\]/);
    expect(await text(annStream, /data: \[1\]/)).not.toMatch(/\[2\]/);
    // A lead who works no tier still sees every tier's queue, so hears of every change.
    expect(await text(leadStream, /data: \[1\]/)).toMatch(/data: \[2\][\s\S]*data: \[1\]/);
    ctl.abort();
  });
});

describe('the API, endpoint by endpoint, for everyone who may or may not call it', () => {
  type Caller = 'nobody' | 'read-only' | 'ann' | 'agent1' | 'agent2' | 'lena';
  const CALLERS: Caller[] = ['nobody', 'read-only', 'ann', 'agent1', 'agent2', 'lena'];
  const tokens = new Map<Caller, string>();

  beforeEach(async () => {
    tokens.clear();
    tokens.set('read-only', (await createApiToken(d.desk.db, { person: 'agent1', scope: 'read', label: 'walk' }, d.desk.clock.now())).token);
    for (const p of ['ann', 'agent1', 'agent2', 'lena'] as const)
      tokens.set(p, (await createApiToken(d.desk.db, { person: p, scope: 'write', label: 'walk' }, d.desk.clock.now())).token);
  });

  const call = async (who: Caller, method: string, path: string, body?: unknown) => {
    const tok = tokens.get(who);
    const res = await fetch(`${d.base}/api/v1${path}`, {
      method,
      headers: { ...(tok ? { authorization: `Bearer ${tok}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, json: (await res.json()) as { error?: { code: string } } };
  };

  /** A valid body for a route: each required field's first choice, or a word; with none required, the first choice offered. */
  const sampleBody = (route: ApiRoute) => {
    if (!route.body) return undefined;
    const schema = z.toJSONSchema(route.body) as { properties?: Record<string, { enum?: string[] }>; required?: string[] };
    const props = schema.properties ?? {};
    const required = schema.required ?? [];
    const fields =
      required.length > 0
        ? required
        : Object.keys(props)
            .filter((k) => props[k]!.enum)
            .slice(0, 1);
    return Object.fromEntries(fields.map((k) => [k, props[k]?.enum?.[0] ?? 'walked here']));
  };

  // Ticket 1 is ann's, in L1 (agent1's tier), with a note; ticket 2 is sam's, escalated to L2 (agent2's).
  const READS: Record<string, Record<Exclude<Caller, 'nobody'>, number>> = {
    'GET /me': { 'read-only': 200, ann: 200, agent1: 200, agent2: 200, lena: 200 },
    'GET /tickets': { 'read-only': 200, ann: 200, agent1: 200, agent2: 200, lena: 200 },
    // A lead who works no tier sees every ticket (the queue shows them all) but acts on none (WRITES below).
    'GET /tickets/1': { 'read-only': 200, ann: 200, agent1: 200, agent2: 200, lena: 200 },
    'GET /tickets/2': { 'read-only': 200, ann: 403, agent1: 200, agent2: 200, lena: 200 },
    'GET /oncall': { 'read-only': 200, ann: 200, agent1: 200, agent2: 200, lena: 200 },
    'GET /oncall/schedules/none': { 'read-only': 404, ann: 404, agent1: 404, agent2: 404, lena: 404 },
    'GET /kb/search?q=toner': { 'read-only': 200, ann: 200, agent1: 200, agent2: 200, lena: 200 },
    'GET /kb/articles/1': { 'read-only': 404, ann: 404, agent1: 404, agent2: 404, lena: 404 },
    'GET /reports/sla': { 'read-only': 200, ann: 403, agent1: 200, agent2: 200, lena: 200 }, // leads see the statistics too, as in chat
  };
  // On a fresh ticket of ann's in L1 (resolved first for the requester's rate, confirm and reopen).
  const WRITES: Record<string, Record<'ann' | 'agent1' | 'agent2' | 'lena', number>> = {
    claim: { ann: 403, agent1: 200, agent2: 403, lena: 403 },
    reply: { ann: 403, agent1: 200, agent2: 200, lena: 403 },
    note: { ann: 403, agent1: 200, agent2: 200, lena: 403 },
    wait: { ann: 403, agent1: 200, agent2: 403, lena: 403 },
    escalate: { ann: 403, agent1: 200, agent2: 403, lena: 403 },
    resolve: { ann: 403, agent1: 200, agent2: 403, lena: 403 },
    priority: { ann: 403, agent1: 200, agent2: 403, lena: 403 },
    rate: { ann: 200, agent1: 403, agent2: 403, lena: 403 },
    confirm: { ann: 200, agent1: 403, agent2: 403, lena: 403 },
    reopen: { ann: 200, agent1: 200, agent2: 403, lena: 403 }, // chat lets the tier's agents reopen too
    messages: { ann: 200, agent1: 200, agent2: 200, lena: 403 },
  };

  it('covers every registered route in the tables below', () => {
    const walked = new Set([...Object.keys(READS).map((k) => k.replace(/\/\d+$|\/none$|\?.*$/, '')), ...Object.keys(WRITES)]);
    for (const r of d.web.api.routes) {
      const key = r.method === 'POST' ? r.path.split('/').at(-1)! : `GET ${r.path.replace(/\/\{\w+\}$/, '')}`;
      expect(walked.has(key), `${r.method} ${r.path}`).toBe(true);
    }
  });

  it('answers reads as each caller may see them, and nobody at all', async () => {
    const got: Record<string, Record<string, number>> = {};
    for (const [line, expected] of Object.entries(READS)) {
      const [method, path] = line.split(' ') as [string, string];
      got[line] = {};
      for (const who of CALLERS) got[line]![who] = (await call(who, method, path)).status;
      expect(got[line], line).toEqual({ nobody: 401, ...expected });
    }
  });

  it('runs each action only for those chat lets run it, never with a read-only token or none', async () => {
    const routes = new Map(d.web.api.routes.filter((r) => r.method === 'POST').map((r) => [r.path.split('/').at(-1)!, r]));
    for (const [action, expected] of Object.entries(WRITES)) {
      const route = routes.get(action)!;
      const got: Record<string, number> = {};
      for (const who of CALLERS) {
        await d.desk.say('ann', `/ticket new Walk ${action} as ${who}`);
        const n = Number(/#(\d+)/.exec(d.desk.channel('l1-desk').at(-1)!)![1]);
        if (['rate', 'confirm', 'reopen'].includes(action)) await d.desk.say('agent1', `/ticket resolve ${n} walked`);
        const answer = await call(who, 'POST', route.path.replace('{number}', String(n)), sampleBody(route));
        got[who] = answer.status;
        if (who === 'read-only') expect(answer.json.error?.code).toBe('read_only_token');
      }
      expect(got, action).toEqual({ nobody: 401, 'read-only': 403, ...expected });
    }
  });
});
