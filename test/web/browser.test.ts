/**
 * The dashboard in a real, headless Chromium (Debian's package, driven by playwright-core; nothing
 * is downloaded): sign in with a one-time link, claim and resolve a ticket and see chat receive it,
 * see a chat change appear live, and no serious accessibility violation (axe-core) on any page.
 * Screenshots go to test-artifacts/.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginToken } from '../../adapters/web/auth.js';
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
  d = await startTestDashboard();
  await d.desk.say('ann', '/ticket new <img src=x onerror=alert(1)> printer --urgency high');
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
});
