/**
 * The dashboard in a real, headless Chromium (Debian's package, driven by playwright-core; nothing
 * is downloaded): sign in with a one-time link, claim and resolve a ticket and see chat receive it,
 * see a chat change appear live, read the report charts, put someone on call, read and search the
 * knowledge base, and no serious accessibility violation (axe-core) on any page.
 * Screenshots go to test-artifacts/.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginToken } from '../../adapters/web/auth.js';
import { PAGES_YAML } from './pages-config.js';
import { SECRET, startTestDashboard, type Dashboard } from './support.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = 'test-artifacts';
const present = existsSync(CHROMIUM);
if (!present) console.log(`Browser tests skipped: ${CHROMIUM} is absent (apt-get install -y chromium; .ci/run does).`);

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
let d: Dashboard;
const cspViolations: string[] = [];

beforeAll(async () => {
  if (!present) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  d = await startTestDashboard(PAGES_YAML);
  await d.desk.say('ann', '/ticket new <img src=x onerror=alert(1)> printer --urgency high');
  await d.desk.say('agent2', '/kb add Reset a VPN certificate --body Open **Settings**, then [the portal](https://vpn.example.com). --tags vpn');
  await d.desk.say('agent2', '/kb publish 1');
});
afterAll(async () => {
  if (!present) return;
  await browser.close();
  await d.close();
});

async function signedIn(person: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  page.on('console', (m) => /Content Security Policy/i.test(m.text()) && cspViolations.push(m.text()));
  page.on('dialog', (dialog) => {
    cspViolations.push(`a dialog opened: ${dialog.message()}`);
    void dialog.dismiss();
  });
  const token = await createLoginToken(d.desk.db, SECRET, person, d.desk.clock.now());
  await page.goto(`${d.base}/login?token=${token}`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${d.base}/`);
  return page;
}

/** axe-core, evaluated through the DevTools protocol (the page's CSP forbids injected scripts, rightly). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const ids = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }).axe;
    const r = await axe.run();
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.length})`);
  });
  return ids;
}

describe.skipIf(!present)('the dashboard in Chromium', () => {
  it('signs an agent in with a one-time link, works a ticket from the queue to resolved, and chat receives it', { timeout: 60_000 }, async () => {
    const page = await signedIn('agent1');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    expect(await page.locator('tbody').innerText()).toContain('<img src=x onerror=alert(1)> printer');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/queue.png`, fullPage: true });

    await page.getByRole('link', { name: /printer/ }).click();
    await page.waitForURL(`${d.base}/tickets/1`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('form', { name: 'Claim #1' }).getByRole('button').click();
    await expect.poll(() => page.locator('.flash').innerText()).toMatch(/claimed/i);
    await d.desk.desk.dispatcher.drain();
    expect(d.desk.channel('l1-desk').join('\n')).toMatch(/Assignee: Agent One/);

    const resolve = page.getByRole('form', { name: 'Resolve #1' });
    await resolve.locator('textarea').fill('Replaced the fuser');
    await resolve.getByRole('button').click();
    await expect.poll(() => page.locator('.flash').innerText()).toMatch(/resolved/i);
    await d.desk.desk.dispatcher.drain();
    expect(d.desk.dm('ann').join('\n')).toMatch(/Replaced the fuser/);
    await page.screenshot({ path: `${ARTIFACTS}/ticket-agent.png`, fullPage: true });
    expect(cspViolations).toEqual([]);
  });

  it('shows a change made in chat live, without a reload, and the requester sees their ticket', { timeout: 60_000 }, async () => {
    const page = await signedIn('ann');
    await page.goto(`${d.base}/tickets/1`);
    await expect.poll(() => page.locator('body').getAttribute('data-live'), { timeout: 5000 }).toBe('on');
    expect(await seriousViolations(page)).toEqual([]);
    expect(await d.desk.say('agent1', '/ticket reply 1 Does it print now?')).toMatch(/sent|reply/i);
    await expect.poll(() => page.locator('#live').innerText(), { timeout: 5000 }).toContain('Does it print now?');
    expect(await page.locator('body').getAttribute('data-refreshed')).toBe('1');
    await page.screenshot({ path: `${ARTIFACTS}/ticket-requester.png`, fullPage: true });
    const login = await (await browser.newContext()).newPage();
    await login.goto(`${d.base}/login`);
    expect(await seriousViolations(login)).toEqual([]);
    await login.screenshot({ path: `${ARTIFACTS}/sign-in.png` });
    expect(cspViolations).toEqual([]);
  });

  it('lets a lead reach the reports by keyboard and read each chart’s numbers, the same as the table beside it', { timeout: 60_000 }, async () => {
    await d.desk.say('sam', '/ticket new VPN down');
    const page = await signedIn('lena');
    await page.getByRole('link', { name: 'Reports' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${d.base}/reports`);
    const chart = page.getByRole('img', { name: /Active tickets per tier now/ });
    await expect.poll(() => chart.count()).toBe(1);
    const drawn = await chart.locator('g.bar[data-row="L1"]').getAttribute('data-value');
    const table = page.getByRole('table', { name: 'Active tickets per tier' });
    expect(await table.getByRole('row', { name: /^L1/ }).getByRole('cell').innerText()).toBe(drawn);
    expect(Number(drawn)).toBeGreaterThan(0);
    expect(await page.getByRole('img', { name: /SLA attainment by week/ }).count()).toBe(1);
    expect(await page.locator('svg.chart').count()).toBeGreaterThanOrEqual(8);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/reports.png`, fullPage: true });
    expect(cspViolations).toEqual([]);
  });

  it('lets a lead put someone on call from the form, and shows it at once on the timeline', { timeout: 60_000 }, async () => {
    const agent = await signedIn('agent1');
    await agent.goto(`${d.base}/oncall`);
    expect(await agent.getByRole('form', { name: 'Override' }).count()).toBe(0);
    const page = await signedIn('lena');
    await page.goto(`${d.base}/oncall`);
    expect(await seriousViolations(page)).toEqual([]);
    const form = page.getByRole('form', { name: 'Override' });
    await form.getByLabel('Who goes on call').selectOption({ label: 'Agent Two' });
    await form.getByLabel('From (UTC)').fill('2024-06-04T12:00');
    await form.getByLabel('To (UTC)').fill('2024-06-04T20:00');
    await form.getByRole('button', { name: 'Override' }).click();
    await expect.poll(() => page.locator('.flash').innerText()).toMatch(/Agent Two is on call in l1-rota from 2024-06-04 12:00 UTC/);
    const shift = page.locator('g.shift[data-row="overrides"][data-who="Agent Two"] title');
    expect(await shift.textContent()).toBe('overrides: Agent Two, 2024-06-04 12:00 UTC to 2024-06-04 20:00 UTC');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/oncall.png`, fullPage: true });
    expect(cspViolations).toEqual([]);
  });

  it('lets anyone search and read the knowledge base, and an author edit it', { timeout: 60_000 }, async () => {
    const page = await signedIn('ann');
    await page.getByRole('link', { name: 'Knowledge base' }).click();
    await page.getByLabel('Search articles and solved questions').fill('certificate');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Reset a VPN certificate' }).first().click();
    await page.waitForURL(`${d.base}/kb/1`);
    expect(await page.locator('article strong').innerText()).toBe('Settings');
    expect(await page.getByRole('link', { name: 'the portal' }).getAttribute('href')).toBe('https://vpn.example.com');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/kb-article.png`, fullPage: true });
    const author = await signedIn('agent2');
    await author.goto(`${d.base}/kb/1`);
    const edit = author.getByRole('form', { name: 'Edit article #1' });
    await edit.getByLabel('Body (Markdown)').fill('Renew it in **Settings > VPN**.');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => author.locator('.flash').innerText()).toMatch(/Article #1 updated \(body; version 3\)/);
    expect(await author.locator('article').innerText()).toContain('Renew it in Settings > VPN.');
    await author.goto(`${d.base}/kb`);
    expect(await seriousViolations(author)).toEqual([]);
    await author.screenshot({ path: `${ARTIFACTS}/kb.png`, fullPage: true });
    expect(cspViolations).toEqual([]);
  });
});
