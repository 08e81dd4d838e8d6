import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { serveDashboard, webCommand } from '../../adapters/web/cli.js';
import type { Args } from '../../src/cli/args.js';
import { createTestDesk, type TestDesk } from '../support/desk.js';

const argsOf = (command: string, rest: string[]): Args => ({ command, rest, flags: new Map() });

let desk: TestDesk;
afterEach(async () => {
  await desk.close();
});

describe('serving the dashboard', () => {
  it('serves it with the console on a free port and prints a one-time sign-in link per person', async () => {
    desk = await createTestDesk();
    const said: string[] = [];
    const stop = await serveDashboard(desk.desk, { TIERDESK_WEB_PORT: '0' }, true, (l) => said.push(l));
    expect(said[0]).toMatch(/^Dashboard: http:\/\/127\.0\.0\.1:\d+$/);
    expect(said.filter((l) => /sign in as \w+ \(one use, 15 minutes\): http:\/\/127\.0\.0\.1:\d+\/login\?token=/.test(l))).toHaveLength(4);
    const link = said[1]!.split(': ').at(-1)!;
    expect((await fetch(link)).status).toBe(200);
    await stop();
  });

  it('says in one line that a port is taken, and tierdesk runs on', async () => {
    desk = await createTestDesk();
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as AddressInfo).port;
    const said: string[] = [];
    const stop = await serveDashboard(desk.desk, { TIERDESK_WEB_PORT: String(port) }, true, (l) => said.push(l));
    expect(said).toEqual([`The dashboard is not served: port ${port} is already taken (set TIERDESK_WEB_PORT to another port).`]);
    expect(await desk.say('requester', '/ticket new Printer')).toMatch(/Ticket #1 opened/);
    await stop();
    await new Promise((r) => taken.close(r));
  });

  it('is not served by platform replicas unless TIERDESK_WEB_PORT is set, and refuses a bad port in one line', async () => {
    desk = await createTestDesk();
    const said: string[] = [];
    await serveDashboard(desk.desk, {}, false, (l) => said.push(l));
    await serveDashboard(desk.desk, { TIERDESK_WEB_PORT: 'eighty' }, false, (l) => said.push(l));
    expect(said).toEqual(['The dashboard is not served: TIERDESK_WEB_PORT "eighty" is not a port number (0-65535).']);
  });

  it('makes sign-in links only for configured people, and says how to revoke', async () => {
    desk = await createTestDesk();
    const out: string[] = [];
    const err: string[] = [];
    expect(
      await webCommand(
        argsOf('login-link', ['nobody']),
        desk.config,
        {},
        (l) => out.push(l),
        (l) => err.push(l),
      ),
    ).toBe(1);
    expect(err).toEqual(['There is no person "nobody" under people: (known: requester, agent1, agent2, specialist).']);
    expect(
      await webCommand(
        argsOf('login-link', []),
        desk.config,
        {},
        (l) => out.push(l),
        (l) => err.push(l),
      ),
    ).toBe(2);
    expect(
      await webCommand(
        argsOf('sessions', ['forget']),
        desk.config,
        {},
        (l) => out.push(l),
        (l) => err.push(l),
      ),
    ).toBe(2);
    expect(err.slice(1)).toEqual(['Usage: tierdesk login-link PERSON (a person id under people:)', 'Usage: tierdesk sessions revoke [PERSON]']);
  });
});
