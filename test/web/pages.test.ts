/**
 * The dashboard's /reports, /oncall and /kb, walked as nobody, a requester, an agent of each tier and
 * a lead: who sees what, which forms they get, what their posts do, and that user text stays text.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PAGES_YAML } from './pages-config.js';
import { Browser, startTestDashboard, type Dashboard } from './support.js';

const XSS = '<img src=x onerror=alert(1)>';
const ESCAPED = '&lt;img src=x onerror=alert(1)&gt;';
const HOUR = 3_600_000;

let d: Dashboard;
beforeEach(async () => {
  d = await startTestDashboard(PAGES_YAML);
});
afterEach(async () => {
  await d.close();
});

async function as(person: string): Promise<Browser> {
  const b = new Browser(d);
  expect((await b.signIn(person)).status).toBe(303);
  return b;
}

/** The number a chart's bar or point carries (`data-value`), found by its row or label and series. */
function drawn(body: string, chart: string, row: string, series: string): string | undefined {
  const svg = new RegExp(`<svg[^>]*data-chart="${chart}"[\\s\\S]*?</svg>`).exec(body)?.[0] ?? '';
  const mark = new RegExp(
    `data-row="${row}" data-series="${series}" data-value="([^"]*)"|data-series="${series}" data-label="${row}" data-value="([^"]*)"`,
  ).exec(svg);
  return mark ? (mark[1] ?? mark[2]) : undefined;
}

describe('the navigation', () => {
  it('links every page to everyone signed in, /reports only to who may see it, and marks the current one', async () => {
    const ann = await as('ann');
    const home = (await ann.get('/')).body;
    for (const href of ['/', '/oncall', '/kb', '/tokens']) expect(home).toContain(`href="${href}"`);
    expect((await ann.get('/tokens')).body).toMatch(/<nav aria-label="Main">[\s\S]*href="\/tokens"\s+aria-current="page"/);
    expect((await (await as('agent1')).get('/')).body).toContain('href="/reports"');
  });
});

describe('a form’s one-line notice', () => {
  it('is for the page the person sees: the page’s own live refresh leaves it', async () => {
    await d.desk.say('ann', '/ticket new Printer jams');
    const agent = await as('agent1');
    await agent.get('/tickets/1');
    expect((await agent.post('/tickets/1/claim', {})).status).toBe(303);
    // The page's script refreshes itself when the ticket changes, possibly before the redirect's own load.
    expect((await agent.get('/tickets/1', { 'x-tierdesk-refresh': '1' })).body).not.toContain('class="flash"');
    expect((await agent.get('/tickets/1')).body).toMatch(/class="flash"[^>]*>[^<]*claimed/i);
    expect((await agent.get('/tickets/1')).body).not.toContain('class="flash"');
  });
});

describe('/tickets/N/transcript', () => {
  it('downloads the copy each may read: the whole for agents and leads, the public words for the requester, nothing for others', async () => {
    await d.desk.say('ann', `/ticket new ${XSS} --description Printer jams`);
    await d.desk.say('agent1', '/ticket reply 1 Try the other tray');
    await d.desk.say('agent1', '/ticket note 1 Supplier contract ends Friday');
    expect((await new Browser(d).get('/tickets/1/transcript')).status).toBe(401);
    const ann = await as('ann');
    expect((await ann.get('/tickets/1')).body).toContain('href="/tickets/1/transcript"');
    const mine = await ann.get('/tickets/1/transcript');
    expect(mine.status).toBe(200);
    expect(mine.headers.get('content-disposition')).toBe('attachment; filename="ticket-1-transcript.html"');
    expect(mine.body).toContain('Try the other tray');
    expect(mine.body).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(mine.body).not.toContain(XSS);
    expect(mine.body).not.toContain('Supplier contract');
    for (const staff of ['agent1', 'lena'])
      expect((await (await as(staff)).get('/tickets/1/transcript')).body).toContain('Supplier contract ends Friday');
    await d.desk.say('sam', '/ticket new VPN down');
    const other = await ann.get('/tickets/2/transcript');
    expect(other.status).toBe(403);
    expect(other.body).not.toContain('VPN down');
    expect((await ann.get('/tickets/99/transcript')).status).toBe(404);
  });
});

describe('/reports', () => {
  beforeEach(async () => {
    await d.desk.say('agent2', `/kb add ${XSS} --body Replace the printer toner cartridge. --tags printers`);
    await d.desk.say('agent2', '/kb publish 1');
    const offer = await d.desk.say('ann', '/ticket new printer toner empty');
    const id = /\/deflect open (\S+)/.exec(offer ?? '')?.[1];
    await d.desk.say('ann', `/deflect open ${id}`);
    await d.desk.say('agent1', '/ticket claim 1');
    await d.desk.say('agent1', '/ticket reply 1 On its way');
    await d.desk.say('agent1', '/ticket resolve 1 New cartridge');
    await d.desk.say('ann', '/ticket rate 1 4');
    await d.desk.say('sam', '/ticket new VPN down');
    await d.desk.say('agent1', '/ticket escalate 2 needs network --to L2');
    await d.desk.advance(5 * HOUR); // #2's first response (4 hours) breaches
  });

  it('is refused to nobody and to a requester, in /ticket stats’s own words', async () => {
    expect((await new Browser(d).get('/reports')).status).toBe(401);
    const ann = await as('ann');
    const page = await ann.get('/reports');
    expect(page.status).toBe(403);
    expect(page.body).toMatch(/Only agents and leads can do that \(SLA attainment, breaches, response and resolution times, backlog\)/);
    expect((await ann.get('/')).body).not.toMatch(/href="\/reports"/);
  });

  it('draws for agents and leads the figures /ticket stats computes, with their numbers beside each chart', async () => {
    for (const who of ['agent1', 'agent2', 'lena']) {
      const b = await as(who);
      const page = await b.get('/reports?weeks=4');
      expect(page.status, who).toBe(200);
      expect(page.body).toMatch(/<nav aria-label="Main">[\s\S]*href="\/reports"\s+aria-current="page"/);
      expect(drawn(page.body, 'attainment-groups', 'L1', 'first response met')).toBe('100');
      expect(drawn(page.body, 'attainment-groups', 'L2', 'first response met')).toBe('0');
      expect(drawn(page.body, 'breaches-weeks', '2024-05-27', 'breaches')).toBe('1');
      expect(drawn(page.body, 'backlog-chart', 'L2', 'active tickets')).toBe('1');
      expect(drawn(page.body, 'csat-groups', 'L1', 'average rating')).toBe('4');
      expect(drawn(page.body, 'deflection-weeks', '2024-05-27', 'opened anyway')).toBe('1');
      expect(page.body.match(/<svg class="chart"/g)).toHaveLength(page.body.match(/<table class="data">/g)!.length - 1);
      expect(page.body).toMatch(/<title id="attainment-weeks-t">SLA attainment by week<\/title>/);
    }
    const stats = (await d.desk.say('agent1', '/ticket stats --days 28')) ?? '';
    expect(stats).toMatch(/^L1\s+1\s+100\s+100\s+0\s/m);
    expect(stats).toMatch(/^L2\s+1\s+0\s+-?\s*1\s/m);
  });

  it('filters by tier, weeks and grouping, refuses what it does not know in one line, and keeps titles as text', async () => {
    const lena = await as('lena');
    const l2 = await lena.get('/reports?tier=L2&by=priority');
    expect(drawn(l2.body, 'attainment-groups', 'P3', 'first response met')).toBe('0');
    expect(drawn(l2.body, 'breaches-weeks', '2024-05-27', 'breaches')).toBe('1');
    const byAgent = await lena.get('/reports?by=agent');
    expect(drawn(byAgent.body, 'attainment-groups', 'Agent One', 'resolution met')).toBe('100');
    expect((await lena.get('/reports?weeks=1')).body.match(/data-chart="breaches-weeks"[\s\S]*?<\/svg>/)![0].match(/class="bar"/g)).toHaveLength(1);
    const page = await lena.get('/reports');
    expect(page.body).toContain(`article:1 ${ESCAPED}`);
    expect(page.body).not.toContain(XSS);
    for (const [query, says] of [
      ['tier=L9', /Unknown tier &quot;L9&quot;: one of L1, L2/],
      ['weeks=0', /not a number of weeks from 1 to 52/],
      ['by=mood', /Unknown grouping &quot;mood&quot;/],
    ] as const) {
      const bad = await lena.get(`/reports?${query}`);
      expect(bad.status, query).toBe(400);
      expect(bad.body).toMatch(says);
    }
  });
});

describe('/oncall', () => {
  const overrides = () => d.desk.db.selectFrom('oncall_overrides').selectAll().execute();
  const form = { user: 'agent2', from: '2024-06-03T12:00', to: '2024-06-03T18:00', schedule: 'l1-rota' };

  beforeEach(async () => {
    await d.desk.say('ann', `/ticket new ${XSS}`);
    await d.desk.say('agent1', '/ticket page 1');
  });

  it('shows everyone who is on call and the two weeks ahead, and the page log to agents and leads only', async () => {
    expect((await new Browser(d).get('/oncall')).status).toBe(401);
    expect((await new Browser(d).post('/oncall/override', form)).status).toBe(401);
    for (const who of ['ann', 'agent1', 'agent2', 'lena']) {
      const page = await (await as(who)).get('/oncall');
      expect(page.status, who).toBe(200);
      expect(page.body).toMatch(
        /<th scope="row">L1 Help desk<\/th><td>l1-rota<\/td><td>Agent One<\/td><td>2024-06-04 08:00 UTC<\/td><td>Lena Lead<\/td>/,
      );
      expect(page.body).toMatch(/data-chart="timeline-l1-rota"/);
      expect(page.body).toMatch(/data-row="layer days" data-who="Agent One"[\s\S]*data-row="layer days" data-who="Lena Lead"/);
      expect(page.body).toMatch(/data-row="layer weekend" data-who="Agent Two"/);
      expect(page.body).not.toContain(XSS);
      if (who === 'ann') expect(page.body).not.toMatch(/Page log|#1 /);
      else {
        expect(page.body).toMatch(/Page log[\s\S]*paged by hand/);
        // Titles follow ticket visibility (canSee): Lena, a lead who is no agent, may open tickets, so she sees it too.
        expect(page.body).toContain(`<a href="/tickets/1">#1 ${ESCAPED}</a>`);
      }
      expect(page.body.includes('action="/oncall/override"'), who).toBe(who === 'lena');
    }
  });

  it('lets a lead put someone on call with the form, shown at once, as /oncall override would; refuses everyone else', async () => {
    for (const who of ['ann', 'agent1', 'agent2']) {
      const b = await as(who);
      await b.get('/oncall');
      expect((await b.post('/oncall/override', form)).status, who).toBe(303);
      expect((await b.get('/oncall')).body, who).toMatch(/Only a tier&#39;s leads \(tiers\[\]\.leads\) can override/);
    }
    expect(await overrides()).toEqual([]);
    const lena = await as('lena');
    await lena.get('/oncall');
    expect((await lena.post('/oncall/override', form, false)).status).toBe(403);
    expect((await lena.post('/oncall/override', { ...form, from: 'tomorrow' })).status).toBe(303);
    expect((await lena.get('/oncall')).body).toMatch(/class="flash" role="status">--from and --to must be ISO instants/);
    expect((await lena.post('/oncall/override', form)).status).toBe(303);
    const page = await lena.get('/oncall');
    expect(page.body).toMatch(/class="flash" role="status">Agent Two is on call in l1-rota from 2024-06-03 12:00 UTC to 2024-06-03 18:00 UTC/);
    expect(page.body).toMatch(/data-row="overrides" data-who="Agent Two"/);
    expect(page.body).toMatch(/<th scope="row">2024-06-03 12:00 UTC<\/th><td>2024-06-03 18:00 UTC<\/td><td>Agent Two<\/td><td>override<\/td>/);
    expect(await overrides()).toHaveLength(1);
    await d.desk.advance(3 * HOUR);
    expect(await d.desk.say('ann', '/oncall')).toMatch(/L1 Help desk \(l1-rota\): Agent Two until 2024-06-03 18:00 UTC/);
    expect((await lena.get('/oncall')).body).toMatch(/<td>l1-rota<\/td><td>Agent Two<\/td>/);
  });
});

describe('/kb', () => {
  const BODY =
    'Swap the **toner**.\n\n<script>alert(1)</script>\n\n[bad](javascript:alert(1)) [good](https://example.com/toner) ![pic](https://evil.example/x.png)';
  const article = (id: number) => d.desk.db.selectFrom('kb_articles').selectAll().where('id', '=', id).executeTakeFirst();

  beforeEach(async () => {
    await d.desk.say('agent2', `/kb add ${XSS} printer toner --body ${BODY} --tags printers`);
    await d.desk.say('agent2', '/kb publish 1');
    await d.desk.say('agent2', '/kb add VPN keeps dropping --body Renew the certificate.');
  });

  it('shows nobody nothing', async () => {
    const nobody = new Browser(d);
    for (const path of ['/kb', '/kb/1', '/kb/1?version=1']) expect((await nobody.get(path)).status, path).toBe(401);
    for (const path of ['/kb/new', '/kb/1/edit', '/kb/1/publish', '/kb/1/vote'])
      expect((await nobody.post(path, { title: 'x' })).status, path).toBe(401);
  });

  it('lets readers search and read published articles, rendered safely, and vote; never the drafts or the authors’ forms', async () => {
    for (const who of ['ann', 'agent1', 'lena']) {
      const b = await as(who);
      const kb = await b.get('/kb');
      expect(kb.status, who).toBe(200);
      expect(kb.body).toContain(`<a href="/kb/1">#1 ${ESCAPED} printer toner</a>`);
      expect(kb.body).not.toContain(XSS);
      expect(kb.body, who).not.toMatch(/VPN keeps dropping|action="\/kb\/new"/);
      const found = await b.get('/kb?q=toner');
      expect(found.body).toMatch(/1 result for "toner"[\s\S]*<a href="\/kb\/1">/);
      const read = await b.get('/kb/1');
      expect(read.status).toBe(200);
      expect(read.body).toContain('Swap the <strong>toner</strong>.');
      expect(read.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(read.body).not.toMatch(/<script>alert|href="javascript|<img src="https:\/\/evil/);
      expect(read.body).toContain('<a href="https://example.com/toner" rel="noopener noreferrer nofollow">good</a>');
      expect(read.body).not.toMatch(/action="\/kb\/1\/(edit|publish|unpublish|delete)"/);
      // Version 1 was saved while #1 was a draft: only who may see drafts reads it; the published one is for all.
      const unpublished = await b.get('/kb/1?version=1');
      expect(unpublished.status, who).toBe(403);
      expect(unpublished.body).toContain('Version 1 of article #1 was never published.');
      expect((await b.get('/kb/1?version=2')).status, who).toBe(200);
      expect(read.body, who).not.toContain('href="/kb/1?version=1"');
      const draft = await b.get('/kb/2');
      expect(draft.status).toBe(403);
      expect(draft.body).toMatch(/Article #2 is not published yet/);
      expect((await b.get('/kb/99')).status).toBe(404);
      expect((await b.post('/kb/1/edit', { title: 'Hijacked', body: 'x' })).status).toBe(303);
      expect((await b.get('/kb/1')).body).toMatch(
        /class="flash" role="status">In the knowledge base, only Second level \(L2\) agents can edit articles/,
      );
      expect((await b.post('/kb/new', { title: 'Mine', body: 'x' })).status).toBe(303);
      expect((await b.get('/kb')).body).toMatch(/only Second level \(L2\) agents can add articles/);
      for (const action of ['publish', 'unpublish', 'delete'])
        expect((await b.post(`/kb/${action === 'publish' ? 2 : 1}/${action}`, {})).status).toBe(303);
      expect((await b.post('/kb/1/vote', { vote: 'helpful' })).status).toBe(303);
      expect((await b.get('/kb/1')).body, who).toMatch(/class="flash" role="status">Thanks: you said article #1 was helpful/);
    }
    expect((await article(1))!.title).toBe(`${XSS} printer toner`);
    expect((await article(1))!.helpful).toBe(3);
    expect((await article(2))!.state).toBe('draft');
    expect((await article(1))!.state).toBe('published');
    expect(await d.desk.db.selectFrom('kb_articles').selectAll().execute()).toHaveLength(2);
  });

  it('lets an author see the drafts, write, edit and publish, and read every version', async () => {
    const author = await as('agent2');
    const kb = await author.get('/kb');
    expect(kb.body).toMatch(/<h2 id="drafts">Drafts<\/h2>[\s\S]*<a href="\/kb\/2">#2 VPN keeps dropping<\/a>/);
    expect(kb.body).toContain('action="/kb/new"');
    expect((await author.post('/kb/2/publish', {}, false)).status).toBe(403);
    expect((await author.post('/kb/2/publish', {})).status).toBe(303);
    expect((await author.get('/kb/2')).body).toMatch(/class="flash" role="status">Article #2 is published/);
    expect((await author.get('/kb?q=certificate')).body).toMatch(/<a href="\/kb\/2">VPN keeps dropping<\/a>/);
    expect((await author.post('/kb/1/edit', { title: `${XSS} printer toner`, body: 'Call facilities.', tags: 'printers' })).status).toBe(303);
    const edited = await author.get('/kb/1');
    expect(edited.body).toMatch(/Article #1 updated \(body; version 3\)/);
    expect(edited.body).toContain('Call facilities.');
    expect(edited.body).toMatch(/href="\/kb\/1\?version=1">v1[\s\S]*v2[\s\S]*v3/);
    const first = await author.get('/kb/1?version=1');
    expect(first.body).toMatch(/Version 1 of 3/);
    expect(first.body).toContain('Swap the <strong>toner</strong>.');
    expect((await author.get('/kb/1?version=9')).status).toBe(400);
    expect((await author.post('/kb/new', { title: 'Badge reader', body: '', tags: '' })).status).toBe(303);
    expect((await author.get('/kb')).body).toMatch(/class="flash" role="status">An article needs a body \(Markdown\)/);
    expect((await author.post('/kb/new', { title: XSS, body: 'Tap twice.', tags: '' })).status).toBe(303);
    const drafts = (await author.get('/kb')).body;
    expect(drafts).toMatch(/Draft article #3 saved/);
    expect(drafts).toContain(`#3 ${ESCAPED}`);
    expect(drafts).not.toContain(XSS);
  });
});

describe('the new pages’ headers', () => {
  it('send the Content-Security-Policy and carry no inline script', async () => {
    await d.desk.say('agent2', '/kb add Printer --body Toner.');
    const b = await as('agent2');
    for (const path of ['/reports', '/oncall', '/kb', '/kb/1', '/kb/1?version=1', '/kb?q=toner']) {
      const a = await b.get(path);
      expect(a.status, path).toBe(200);
      expect(a.headers.get('content-security-policy'), path).toMatch(/script-src 'self';/);
      expect(a.body, path).not.toMatch(/<script>|<script(?![^>]*src=)[^>]*>|\sstyle="|\son[a-z]+=/);
    }
    expect((await b.get('/oncall/override')).status).toBe(404);
    expect((await b.get('/kb/1/nope')).status).toBe(404);
  });
});
