import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDesk, type TestDesk } from '../support/desk.js';

let desk: TestDesk;
beforeEach(async () => {
  desk = await createTestDesk();
});
afterEach(async () => {
  await desk.close();
});

describe('bad input gets a clear message, never a crash', () => {
  it('answers an unknown command with the help text', async () => {
    const reply = await desk.say('requester', '/ticket frobnicate 1');
    expect(reply).toMatch(/^Unknown command "frobnicate"/);
    expect(reply).toContain('/ticket new <title>');
    expect(await desk.say('requester', '/weather')).toMatch(/Unknown command "\/weather"[\s\S]*\/ticket new/);
    expect(await desk.say('requester', '/help')).toContain('/ticket escalate <N> <reason> [--to L3]');
  });

  it('refuses a ticket without a title, or with one too long, naming the limit', async () => {
    expect(await desk.say('requester', '/ticket new')).toMatch(/needs a title/);
    expect(await desk.say('requester', '/ticket new --urgency high')).toMatch(/needs a title/);
    expect(await desk.say('requester', `/ticket new ${'x'.repeat(201)}`)).toMatch(/title is 201 characters; the limit is 200/);
    expect(await desk.say('requester', `/ticket new ok --description ${'y'.repeat(4001)}`)).toMatch(
      /description is 4001 characters; the limit is 4000/,
    );
    expect(await desk.say('requester', `/ticket new ${'x'.repeat(200)}`)).toMatch(/Ticket #1 opened/);
  });

  it('names the option that is wrong', async () => {
    expect(await desk.say('requester', '/ticket new Printer --urgency asap')).toMatch(
      /--urgency must be high, medium, low; "asap" is not one of them/,
    );
    expect(await desk.say('requester', '/ticket new Printer --impact')).toMatch(/--impact needs a value/);
    // Only declared options are options: any other `--word` is part of the free text (see free-text.test.ts).
    expect(await desk.say('requester', '/ticket new Printer --impact --urgency high')).toMatch(/--impact needs a value/);
    expect(await desk.say('requester', '/ticket new Printer --version 2')).toMatch(/--version .* add --product/);
    expect(await desk.say('agent1', '/ticket claim one')).toMatch(/"one" is not a ticket number/);
    expect(await desk.say('agent1', '/ticket claim')).toMatch(/Which ticket\?/);
    expect(desk.channel('l1-desk')).toEqual([]);
  });

  it('refuses unknown tickets, closed tickets and non-agents with a reason', async () => {
    expect(await desk.say('agent1', '/ticket claim 42')).toBe('There is no ticket #42.');
    await desk.say('requester', '/ticket new Printer on fire');
    expect(await desk.say('requester', '/ticket claim 1')).toMatch(/Only Help desk \(L1\) agents can claim ticket #1/);
    expect(await desk.say('requester', '/ticket resolve 1 fixed it myself')).toMatch(/Only Help desk \(L1\) agents can resolve/);
    expect(await desk.say('requester', '/ticket escalate 1 faster please')).toMatch(/Only Help desk \(L1\) agents can escalate/);
    expect(await desk.say('stranger', '#1 I want in')).toMatch(/not yours/);
    expect(await desk.say('stranger', '/ticket reopen 1')).toMatch(/Only the requester of #1 or its tier's agents/);
    await desk.say('agent1', '/ticket resolve 1 fixed');
    await desk.say('requester', '/ticket confirm 1');
    expect(await desk.say('agent1', '/ticket claim 1')).toMatch(/Cannot claim this ticket: it is closed/);
    expect(await desk.say('agent1', '/ticket resolve 1 again')).toMatch(/Cannot resolve this ticket: it is already closed/);
    expect(await desk.say('requester', '#1 hello?')).toMatch(/#1 is closed, so this message was not passed on.*open a new ticket: \/ticket new/);
  });

  it('neutralises mass mentions and strips control characters in every user text', async () => {
    await desk.say('requester', '/ticket new Help @everyone <!channel> \u0007now --description ping @here please');
    await desk.say('requester', '#1 also <!here> and @everyone');
    await desk.say('agent1', '#1 sure @channel');
    for (const text of desk.everything()) {
      expect(text).not.toMatch(/(?<!\u200B)@(everyone|here|channel)\b|<!(channel|here)>/);
      expect(text).not.toContain('\u0007');
    }
    expect(desk.channel('l1-desk')[0]).toContain('Help @\u200Beveryone');
  });

  it('survives any line without crashing', async () => {
    for (const line of [
      '/ticket',
      '/ticket new ' + '\u0000'.repeat(10),
      '/ticket show #',
      '/ticket list --mine --mine',
      '/ticket escalate 1',
      '#999999999 hi',
      '/ticket new --',
      '/ticket new "quoted title"',
    ]) {
      const reply = await desk.say('agent1', line);
      expect(typeof reply === 'string' || reply === undefined).toBe(true);
    }
    expect(desk.logger.lines.filter((l) => l.level === 'error')).toEqual([]);
  });
});

describe('idempotency and unexpected errors', () => {
  it('ignores a repeated inbound event: a platform retry never makes a second ticket', async () => {
    expect(await desk.say('requester', '/ticket new Printer on fire', 'evt-1')).toMatch(/#1 opened/);
    expect(await desk.say('requester', '/ticket new Printer on fire', 'evt-1')).toBeUndefined();
    expect(desk.channel('l1-desk')).toHaveLength(1);
    // A new event with the same words is the person trying again: the first ticket (ticket-lifecycle.test.ts).
    expect(await desk.say('requester', '/ticket new Printer on fire', 'evt-2')).toMatch(/You already opened #1/);
    expect(await desk.say('requester', '/ticket new Printer on fire again', 'evt-3')).toMatch(/#2 opened/);
  });

  it('records the key with the change, so a refused event can be retried', async () => {
    expect(await desk.say('requester', '/ticket new', 'evt-9')).toMatch(/needs a title/);
    expect(await desk.say('requester', '/ticket new', 'evt-9')).toMatch(/needs a title/);
  });

  it('logs an unexpected error with a reference and gives the user a short apology carrying it', async () => {
    await desk.say('requester', '/ticket new Printer on fire');
    await desk.db.schema.dropTable('ticket_events').execute(); // break the store under the core
    const reply = await desk.say('agent1', '/ticket claim 1');
    const ref = /reference ([0-9a-f]{8})/.exec(reply ?? '')?.[1];
    expect(ref).toBeDefined();
    expect(reply).not.toMatch(/ticket_events|SQLITE|no such table|does not exist/i);
    const logged = desk.logger.lines.find((l) => l.level === 'error');
    expect(logged?.fields?.ref).toBe(ref);
    expect(String(logged?.fields?.error)).toMatch(/no such table|relation "ticket_events" does not exist/); // SQLite | PostgreSQL
  });

  it('writes nothing half: a failure mid-transaction leaves the ticket as it was', async () => {
    await desk.say('requester', '/ticket new Printer on fire');
    await desk.db.schema.dropTable('timers').execute(); // resolve writes a timer last
    expect(await desk.say('agent1', '/ticket resolve 1 done')).toMatch(/something went wrong/);
    expect(await desk.say('agent1', '/ticket show 1')).toContain('Status: open');
  });
});

describe('per-requester limits', () => {
  it('caps open tickets per requester and enforces a cooldown, but not for agents', async () => {
    const limited = await createTestDesk({
      yaml: `
people: { agent1: {} }
tiers: [ { id: L1, agents: [agent1] } ]
tickets: { max_open_per_requester: 2, cooldown: 1 minute }
`,
    });
    expect(await limited.say('spammer', '/ticket new One')).toMatch(/#1 opened/);
    expect(await limited.say('spammer', '/ticket new Two')).toMatch(/you can open another in 60 seconds/);
    limited.clock.advance(60_000);
    expect(await limited.say('spammer', '/ticket new Two')).toMatch(/#2 opened/);
    limited.clock.advance(60_000);
    expect(await limited.say('spammer', '/ticket new Three')).toMatch(/You already have 2 open tickets, the most allowed here/);
    await limited.say('agent1', '/ticket resolve 1 done');
    expect(await limited.say('spammer', '/ticket new Three')).toMatch(/#3 opened/);
    expect(await limited.say('agent1', '/ticket new A')).toMatch(/opened/);
    expect(await limited.say('agent1', '/ticket new B')).toMatch(/opened/);
    await limited.close();
  });
});
