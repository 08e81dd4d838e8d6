import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleDriver } from './console-driver.js';
import { startDiscordDriver } from './discord-driver.js';
import type { DeskDriver } from './driver.js';
import { startSlackDriver } from './slack-driver.js';

// The on-call contract: who is on call, a page sent and acknowledged, told through each platform's
// own means (console lines, the page's Acknowledge typed as its twin; Slack's /oncall, /ticket page and the
// page's Acknowledge button; Discord's application commands and the button in the page DM),
// ends the same way. Ann is on call for L1 all year (config.ts).

const DRIVERS: Array<[string, () => Promise<DeskDriver>]> = [
  ['console', startConsoleDriver],
  ['slack', startSlackDriver],
  ['discord', startDiscordDriver],
];

describe.each(DRIVERS)('on call through the %s adapter', (_name, start) => {
  let d: DeskDriver;
  let number = 0;
  const answers: Array<string | undefined> = [];

  beforeAll(async () => {
    d = await start();
    number = await d.open('Database down', 'high');
    answers.push(await d.oncall.whoIsOnCall('bob'));
    answers.push(await d.oncall.page('ann', number));
    answers.push(await d.oncall.acknowledge('ann', number));
  });
  afterAll(async () => {
    await d.close();
  });

  it('answers each person the same', () => {
    expect(answers).toEqual([
      expect.stringMatching(/^L1 Help desk \(l1-primary\): Ann Agent/),
      'Paging Help desk for #1 (l1-default).',
      'You have acknowledged the page for #1; it stops here.',
    ]);
  });

  it('leaves the page acknowledged: it stops climbing', async () => {
    expect(await d.oncall.pageStatus(number)).toBe('acknowledged');
  });
});
