import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CAPABILITIES, createCatalogue } from '../../src/capabilities/index.js';
import { runsOn } from '../../src/core/catalogue.js';
import type { Inbound } from '../../src/ports.js';
import { createTestDesk, type TestDesk } from '../support/desk.js';

/**
 * Every declared command and sub-command that runs in the console is reachable by typing it, and
 * every declared button reaches its twin: the console derives everything from the catalogue.
 * (The Slack and Discord surfaces have their own walks in test/adapters.)
 */
let desk: TestDesk;
beforeEach(async () => {
  desk = await createTestDesk();
});
afterEach(async () => {
  await desk.close();
});

const catalogue = createCatalogue();

describe('the console reaches everything the catalogue declares for it', () => {
  const typed = catalogue.commands
    .filter((c) => runsOn(c.surfaces, 'console'))
    .flatMap((c) => c.subs.filter((s) => runsOn(s.surfaces, 'console')).map((s) => ({ command: c.name, sub: s.name })));

  it('declares something to walk', () => {
    expect(typed.length).toBeGreaterThan(30);
    expect(typed).toContainEqual({ command: 'oncall', sub: 'now' });
    expect(typed).toContainEqual({ command: 'ticket', sub: 'page' });
  });

  it.each(typed)('/$command $sub', async ({ command, sub }) => {
    // Typed with nothing after it: either it runs, or the core says what is missing; never "unknown".
    for (const user of ['requester', 'agent1']) {
      const reply = (await desk.say(user, `/${command}${sub ? ` ${sub}` : ''}`)) ?? '';
      expect(reply).not.toMatch(/^Unknown command/);
      expect(reply).not.toMatch(/something went wrong/);
    }
  });

  const buttons = CAPABILITIES.flatMap((c) => c.buttons ?? []);
  it.each(buttons.map((b) => ({ action: b.action, twin: b.twin })))('button $action reaches /$twin', async ({ action }) => {
    const event = {
      key: `b:${action}`,
      at: desk.clock.now(),
      kind: 'action',
      action,
      value: '1',
      from: { platform: 'console', space: 'local', id: 'agent1', name: 'agent1' },
      place: { platform: 'console', space: 'local', channel: 'console' },
    } as Inbound;
    const reply = (await desk.send(event)) ?? '';
    expect(reply).not.toMatch(/^Unknown action/);
    expect(reply).not.toMatch(/something went wrong/);
  });

  it('lists in /help every command the console runs, and none it does not', async () => {
    const help = (await desk.say('requester', '/help')) ?? '';
    for (const c of catalogue.commands.filter((c) => runsOn(c.surfaces, 'console') && !c.unlisted)) expect(help).toContain(`/${c.name}`);
    expect(help).toContain('/oncall schedule <NAME>');
    expect(help).toContain('/ticket rate <N> <1-5> [comment]');
    expect(help).not.toContain('/deflect');
  });
});
