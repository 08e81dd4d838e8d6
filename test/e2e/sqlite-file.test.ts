import SQLite from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { describe, it, type TestContext } from 'vitest';
import { LiveCli, blocksOf, createScratch, demoDeskEnv, runCli } from './support.js';

function deskFiles(onTestFinished: TestContext['onTestFinished']) {
  const scratch = createScratch();
  onTestFinished(() => scratch.remove());
  return { scratch, env: demoDeskEnv(scratch) };
}

describe.concurrent('one process per SQLite file', () => {
  it('refuses a second start on the same file at once, naming it, while read-only commands still run', async ({ expect, onTestFinished }) => {
    const { scratch, env } = deskFiles(onTestFinished);
    const first = new LiveCli(['start'], { env, onTestFinished });
    await first.waitFor('/help lists every command.');
    expect(existsSync(`${scratch.databaseUrl}.lock`)).toBe(true);

    const second = await runCli(['start'], { env, input: 'requester: /ticket new Second desk\n' });
    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toBe(
      `The database ${scratch.databaseUrl} is in use by another tierdesk (process ${first.child.pid}); stop it first, or remove ${scratch.databaseUrl}.lock if that process is gone.\n`,
    );
    const check = await runCli(['check'], { env });
    expect(check.code).toBe(0);

    first.child.stdin.end();
    expect((await first.closed).code).toBe(0);
    expect(existsSync(`${scratch.databaseUrl}.lock`)).toBe(false);
  });

  it('after kill -9, a restart takes the dead lock over and delivers at once what the dead process held leased', async ({
    expect,
    onTestFinished,
  }) => {
    const { scratch, env } = deskFiles(onTestFinished);
    const cli = new LiveCli(['start'], { env, onTestFinished });
    const from = await cli.waitFor('/help lists every command.');
    cli.send('requester: /ticket new Killed mid-delivery');
    await cli.waitFor('Ticket #1 opened', from);
    cli.child.kill('SIGKILL');
    await cli.closed;
    // As if the kill had come while the card was being sent: the row is still pending, leased for a minute.
    const file = new SQLite(scratch.databaseUrl);
    const changed = file
      .prepare(`update outbox set status = 'pending', sent_at = null, lease_until = ? where message_key = 'ticket:1:card:L1' and op = 'post'`)
      .run(Date.now() + 60_000);
    file.close();
    expect(changed.changes).toBe(1);

    const after = await runCli(['start'], { env, input: 'agent1: /ticket list\n' });
    expect(after.code).toBe(0);
    expect(after.stderr).toBe('');
    expect(blocksOf(after.stdout).some((b) => b.head === '→ #l1-desk:' && b.body.startsWith('🎫 #1 Killed mid-delivery\n'))).toBe(true);
  });
});
