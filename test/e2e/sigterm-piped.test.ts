import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { STOPPING_REPLY } from '../../src/core/operations.js';
import { LiveCli, createScratch, demoDeskEnv } from './support.js';

// SIGTERM while a long piped input is being read: stop reading at once, finish the line under way,
// deliver what it sent, exit 0, rather than run (or refuse one by one) every remaining line.
describe('SIGTERM during piped console input', () => {
  it('stops reading at once, finishes the line under way and delivers everything acknowledged', async ({ onTestFinished }) => {
    const scratch = createScratch();
    onTestFinished(() => scratch.remove());
    const cli = new LiveCli(['start'], { env: demoDeskEnv(scratch), onTestFinished });
    const from = await cli.waitFor('/help lists every command.');
    const lines = Array.from({ length: 2000 }, (_, i) => `requester: /ticket new Flood ${i + 1}`);
    cli.child.stdin.write(`${lines.join('\n')}\n`);
    await cli.waitFor('Ticket #10 opened', from);

    cli.child.kill('SIGTERM');
    const result = await cli.closed;

    expect(result).toMatchObject({ code: 0, signal: null });
    expect(result.stdout).not.toContain(STOPPING_REPLY); // no line was read after the signal
    const opened = [...result.stdout.matchAll(/Ticket #(\d+) opened/g)].map((m) => Number(m[1]));
    expect(opened.length).toBeLessThan(1000);
    const db = new Database(scratch.databaseUrl, { readonly: true });
    onTestFinished(() => void db.close());
    // Every ticket acknowledged is in the database, and its card and DM went out before the exit.
    expect(db.prepare('select count(*) as n from tickets').get()).toEqual({ n: opened.length });
    expect(db.prepare("select count(*) as n from outbox where status != 'sent'").get()).toEqual({ n: 0 });
    for (const n of opened) expect(result.stdout).toContain(`🎫 #${n} Flood ${n}\n`);
  });
});
