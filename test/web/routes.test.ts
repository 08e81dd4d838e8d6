import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
