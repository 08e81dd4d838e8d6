import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { APP, DISCORD_YAML, community, TOKEN } from '../adapters/discord/support.js';
import { startFakeDiscord } from '../fakes/discord/index.js';
import { LiveCli, createScratch, demoDeskEnv, type Scratch } from './support.js';

// SIGTERM, as an orchestrator sends it before replacing a replica: tierdesk stops taking work,
// finishes what is under way, gives back its leases, closes the database and exits 0, saying so
// in its JSON log. The CLI runs in a child process (no sleeps: output and exit are awaited).

/** Poll `check` until it holds, failing after `ms`. */
async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

type LogLine = { level: string; msg: string; time: string } & Record<string, unknown>;
const logLines = (stderr: string): LogLine[] =>
  stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);

/** Leases still held in the database a stopped process used: there should be none. */
function leasesHeld(scratch: Scratch): number {
  const db = new Database(scratch.databaseUrl, { readonly: true });
  try {
    const outbox = db.prepare('select count(*) as n from outbox where lease_until is not null').get() as { n: number };
    const timers = db.prepare('select count(*) as n from timers where lease_until is not null').get() as { n: number };
    return outbox.n + timers.n;
  } finally {
    db.close();
  }
}

async function opsUrl(cli: LiveCli): Promise<string> {
  let url: string | undefined;
  await until(
    'the ops server said where it listens',
    () => (url = logLines(cli.stderr).find((l) => l.msg === 'health and metrics')?.url as string | undefined) !== undefined,
  );
  return url!;
}

describe('SIGTERM', () => {
  it('console desk on SQLite: exits 0 with "stopping" and "stopped" logged, every card delivered, no lease left', async ({ onTestFinished }) => {
    const scratch = createScratch();
    onTestFinished(() => scratch.remove());
    const cli = new LiveCli(['start'], { env: { ...demoDeskEnv(scratch), TIERDESK_OPS_PORT: '0' }, onTestFinished });
    const from = await cli.waitFor('/help lists every command.');
    cli.send('requester: /ticket new Printer on fire');
    await cli.waitFor('Ticket #1 opened', from);
    const health = await fetch(`${await opsUrl(cli)}/healthz`);
    expect(health.status).toBe(200);

    cli.child.kill('SIGTERM');
    const result = await cli.closed;

    expect(result).toMatchObject({ code: 0, signal: null });
    const lines = logLines(result.stderr);
    expect(lines.map((l) => l.msg)).toEqual(['health and metrics', 'stopping', 'stopped']);
    expect(lines.slice(1)).toEqual([
      expect.objectContaining({ level: 'info', msg: 'stopping', signal: 'SIGTERM' }),
      expect.objectContaining({ level: 'info', msg: 'stopped', signal: 'SIGTERM' }),
    ]);
    expect(result.stdout).toContain('#l1-desk');
    expect(leasesHeld(scratch)).toBe(0);
    const db = new Database(scratch.databaseUrl, { readonly: true });
    onTestFinished(() => {
      db.close();
    });
    expect(db.prepare("select count(*) as n from outbox where status != 'sent'").get()).toEqual({ n: 0 });
  });

  it('Discord replica on its shard: leaves the gateway, logs "stopped", exits 0', async ({ onTestFinished }) => {
    const discord = await startFakeDiscord({ token: TOKEN, applicationId: APP, guilds: [community] });
    onTestFinished(() => discord.stop());
    const scratch = createScratch();
    onTestFinished(() => scratch.remove());
    const cli = new LiveCli(['start'], {
      env: {
        DATABASE_URL: scratch.databaseUrl,
        TIERDESK_CONFIG: scratch.file('tierdesk.yaml', DISCORD_YAML),
        TIERDESK_OPS_PORT: '0',
        DISCORD_TOKEN: TOKEN,
        DISCORD_APPLICATION_ID: APP,
        DISCORD_API_URL: discord.apiUrl,
        TIERDESK_DISCORD_SHARDS: '1',
        TIERDESK_DISCORD_SHARD_COUNT: '2',
        SLACK_BOT_TOKEN: undefined,
        SLACK_APP_TOKEN: undefined,
        SLACK_SIGNING_SECRET: undefined,
      },
      onTestFinished,
    });
    const ready = await discord.gateway.waitForReady();
    expect(ready.shard).toEqual([1, 2]);
    const url = await opsUrl(cli);
    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toEqual({ ok: true, database: true, adapters: { discord: true } });

    cli.child.kill('SIGTERM');
    const [result, disconnect] = await Promise.all([cli.closed, discord.gateway.waitForDisconnect()]);

    expect(result).toMatchObject({ code: 0, signal: null });
    expect(disconnect.closeCode).toBeDefined();
    const lines = logLines(result.stderr);
    expect(lines.filter((l) => l.level === 'error' || l.level === 'warn')).toEqual([]);
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['adapter started', 'stopping', 'stopped']));
    expect(lines.findIndex((l) => l.msg === 'stopping')).toBeLessThan(lines.findIndex((l) => l.msg === 'stopped'));
    expect(result.stderr).not.toContain(TOKEN);
    expect(leasesHeld(scratch)).toBe(0);
  });
});
