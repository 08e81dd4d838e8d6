import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiToken, type TokenScope } from '../../adapters/web/api-tokens.js';
import { listApiTokens } from '../../src/store/api-tokens.js';
import { Browser, startTestDashboard, type Dashboard } from './support.js';

let d: Dashboard;

beforeEach(async () => {
  d = await startTestDashboard();
  await d.desk.say('ann', '/ticket new Printer on fire --description smoke everywhere');
  await d.desk.say('agent1', '/ticket note 1 check the toner (internal)');
  await d.desk.say('sam', '/ticket new VPN down');
  await d.desk.say('agent1', '/ticket escalate 2 needs network --to L2');
});
afterEach(async () => {
  await d.close();
});

async function token(person: string, scope: TokenScope = 'write'): Promise<string> {
  return (await createApiToken(d.desk.db, { person, scope, label: 'test' }, d.desk.clock.now())).token;
}

async function api(tok: string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${d.base}/api/v1${path}`, {
    method,
    headers: {
      ...(tok ? { authorization: `Bearer ${tok}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read field by field, as a client would
  return { status: res.status, json: (await res.json()) as any, headers: res.headers };
}

describe('the API, with personal tokens', () => {
  it('refuses a request without a token, with a forged one, or a revoked one, in JSON', async () => {
    const none = await api(undefined, 'GET', '/tickets');
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe('no_token');
    expect(none.headers.get('www-authenticate')).toMatch(/Bearer/);
    const real = await token('agent1');
    const forged = real.slice(0, -2) + (real.endsWith('AA') ? 'BB' : 'AA');
    expect((await api(forged, 'GET', '/tickets')).status).toBe(401);
    expect((await api('tdk_nonsense', 'GET', '/tickets')).json).toEqual({
      error: { code: 'bad_token', message: 'That API token is unknown or revoked.' },
    });
    expect((await api(real, 'GET', '/tickets')).status).toBe(200);
    const b = new Browser(d);
    await b.signIn('agent1');
    const id = /^tdk_([a-z0-9]+)_/.exec(real)![1]!;
    await b.get('/tokens');
    expect((await b.post(`/tokens/${id}/revoke`, {})).body).toMatch(/is revoked/);
    expect((await api(real, 'GET', '/tickets')).status).toBe(401);
  });

  it('keeps only the SHA-256 of a token, which is shown once on the page that made it', async () => {
    const b = new Browser(d);
    await b.signIn('ann');
    await b.get('/tokens');
    const made = await b.post('/tokens', { label: 'my script', scope: 'read' });
    expect(made.status).toBe(200);
    const shown = /<code id="new-token">(tdk_[^<]+)<\/code>/.exec(made.body)![1]!;
    expect((await b.get('/tokens')).body).not.toContain(shown);
    const rows = await listApiTokens(d.desk.db, 'ann');
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(shown.split('_')[2]);
    expect((await api(shown, 'GET', '/me')).json).toEqual({ id: 'ann', name: 'Ann Asker', role: 'requester', tiers: [] });
    expect((await b.post('/tokens', { label: '', scope: 'read' })).status).toBe(422);
    const other = await token('agent1');
    const otherId = /^tdk_([a-z0-9]+)_/.exec(other)![1]!;
    expect((await b.post(`/tokens/${otherId}/revoke`, {})).body).toMatch(/You have no token/);
    expect((await api(other, 'GET', '/me')).status).toBe(200);
  });

  it('lists the queue as the dashboard does, and refuses a filter by its field', async () => {
    const one = await token('agent1');
    const list = await api(one, 'GET', '/tickets');
    expect(list.json.tickets.map((t: { number: number }) => t.number)).toEqual([1]);
    expect(list.json).toMatchObject({ page: 1, pages: 1, total: 1 });
    const bad = await api(one, 'GET', '/tickets?tier=L2');
    expect(bad.status).toBe(422);
    expect(bad.json.error).toMatchObject({ code: 'bad_query', field: 'tier' });
    const p9 = await api(one, 'GET', '/tickets?priority=P9');
    expect(p9.status).toBe(422);
    expect(p9.json.error.field).toBe('priority');
    const ann = await api(await token('ann'), 'GET', '/tickets');
    expect(ann.json.tickets.map((t: { title: string }) => t.title)).toEqual(['Printer on fire']);
  });

  it('shows a ticket with its notes to agents and without them to its requester', async () => {
    const agent = await api(await token('agent1'), 'GET', '/tickets/1');
    expect(agent.status).toBe(200);
    expect(agent.json.ticket).toMatchObject({ number: 1, title: 'Printer on fire', description: 'smoke everywhere', status: 'open', tier: 'L1' });
    expect(JSON.stringify(agent.json.events)).toMatch(/check the toner/);
    const ann = await token('ann');
    const mine = await api(ann, 'GET', '/tickets/1');
    expect(mine.status).toBe(200);
    expect(JSON.stringify(mine.json)).not.toMatch(/toner|note/);
    expect((await api(ann, 'GET', '/tickets/2')).json.error.code).toBe('not_yours');
    expect((await api(ann, 'GET', '/tickets/2')).status).toBe(403);
    expect((await api(ann, 'GET', '/tickets/999')).status).toBe(404);
    expect((await api(ann, 'GET', '/tickets/abc')).status).toBe(422);
  });

  it('runs the agents’ actions as chat does, shows them in chat, and refuses by status', async () => {
    const one = await token('agent1');
    const claimed = await api(one, 'POST', '/tickets/1/claim', {});
    expect(claimed.status).toBe(200);
    expect(claimed.json.ticket).toMatchObject({ status: 'claimed', assignee: { id: 'agent1', name: 'Agent One' } });
    await d.desk.desk.dispatcher.drain();
    expect(d.desk.channel('l1-desk').join('\n')).toMatch(/Status: claimed .*Assignee: Agent One/);
    expect((await api(one, 'POST', '/tickets/1/reply', { text: 'Unplug it, please' })).status).toBe(200);
    await d.desk.desk.dispatcher.drain();
    expect(d.desk.dm('ann').join('\n') + d.desk.everything().join('\n')).toMatch(/Unplug it, please/);
    const priority = await api(one, 'POST', '/tickets/1/priority', { priority: 'P2' });
    expect(priority.json.ticket.priority).toBe('P2');
    const badChoice = await api(one, 'POST', '/tickets/1/priority', { priority: 'P9' });
    expect(badChoice.status).toBe(422);
    expect(badChoice.json.error.field).toBe('priority');
    const extra = await api(one, 'POST', '/tickets/1/note', { text: 'x', sneaky: true });
    expect(extra.json.error).toMatchObject({ code: 'invalid', field: 'sneaky' });
    expect((await api(one, 'POST', '/tickets/1/note', '{not json')).status).toBe(400);
    expect((await api(one, 'POST', '/tickets/2/claim', {})).status).toBe(403);
    expect((await api(one, 'POST', '/tickets/999/claim', {})).status).toBe(404);
    const resolved = await api(one, 'POST', '/tickets/1/resolve', { resolution: 'New toner' });
    expect(resolved.json.ticket.status).toBe('resolved');
  });

  it('answers a failure on our side as 500 with a reference, never as a success or a missing ticket', async () => {
    const one = await token('agent1');
    // The events table gone: every change fails unexpectedly inside the core.
    await sql`drop table ticket_events`.execute(d.desk.db);
    const failed = await api(one, 'POST', '/tickets/1/claim', {});
    expect(failed.status).toBe(500);
    expect(failed.json.error).toMatchObject({ code: 'internal', message: expect.stringMatching(/reference \w+/) });
    await sql`drop table tickets`.execute(d.desk.db);
    const read = await api(one, 'GET', '/tickets/1');
    expect(read.status).toBe(500);
    expect(read.json.error.code).toBe('internal');
  });

  it('lets a requester reply and rate, but not act as an agent', async () => {
    const ann = await token('ann');
    expect((await api(ann, 'POST', '/tickets/1/claim', {})).status).toBe(403);
    expect((await api(ann, 'POST', '/tickets/1/messages', { text: 'Still smoking' })).status).toBe(200);
    await d.desk.desk.dispatcher.drain();
    expect(d.desk.thread('l1-desk', 1).join('\n')).toMatch(/Still smoking/);
    expect((await api(ann, 'POST', '/tickets/1/messages', { text: '' })).json.error.field).toBe('text');
    await d.desk.say('agent1', '/ticket resolve 1 New toner');
    const rated = await api(ann, 'POST', '/tickets/1/rate', { score: '5' });
    expect(rated.status).toBe(200);
    expect(rated.json.message).toMatch(/thank/i);
    expect((await api(ann, 'POST', '/tickets/2/messages', { text: 'hi' })).status).toBeGreaterThanOrEqual(403);
  });

  it('refuses a state change with a read-only token, and runs a repeated Idempotency-Key once', async () => {
    const read = await token('agent1', 'read');
    const refused = await api(read, 'POST', '/tickets/1/note', { text: 'x' });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('read_only_token');
    const write = await token('agent1');
    const first = await api(write, 'POST', '/tickets/1/note', { text: 'once only' }, { 'idempotency-key': 'k1' });
    const again = await api(write, 'POST', '/tickets/1/note', { text: 'once only' }, { 'idempotency-key': 'k1' });
    expect([first.status, again.status]).toEqual([200, 200]);
    const events = (await api(write, 'GET', '/tickets/1')).json.events as Array<{ text: string }>;
    expect(events.filter((e) => /once only/.test(e.text))).toHaveLength(1);
  });

  it('answers on-call, the knowledge base and the reports with chat’s checks', async () => {
    const one = await token('agent1');
    const ann = await token('ann');
    expect((await api(one, 'GET', '/oncall')).json).toMatchObject({ tiers: [] });
    expect((await api(one, 'GET', '/oncall/schedules/nope')).status).toBe(404);
    expect((await api(one, 'GET', '/kb/search')).json.error.field).toBe('q');
    expect((await api(one, 'GET', '/kb/search?q=printer')).json).toEqual({ results: [] });
    expect((await api(one, 'GET', '/kb/articles/7')).status).toBe(404);
    expect((await api(one, 'GET', '/reports/sla?by=tier')).status).toBe(200);
    expect((await api(ann, 'GET', '/reports/sla')).status).toBe(403);
    expect((await api(one, 'GET', '/reports/sla?by=moon')).json.error.field).toBe('by');
    expect((await api(one, 'GET', '/nowhere')).status).toBe(404);
    expect((await api(one, 'DELETE', '/tickets/1')).status).toBe(405);
  });
});
