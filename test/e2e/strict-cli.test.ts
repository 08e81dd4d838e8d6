import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { DEMO_CONFIG_YAML } from '../../src/config/config.js';
import { BIN_ENTRY, createScratch, REPO_ROOT, runCli } from './support.js';

// The command line is strict: what it does not know exactly is refused with one line and exit 2,
// before anything is opened or written. Expected failures of a command are one line with exit 1.

const scratches: Array<ReturnType<typeof createScratch>> = [];
afterAll(() => scratches.forEach((s) => s.remove()));
function scratchDir() {
  const s = createScratch();
  scratches.push(s);
  return s;
}

const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** Run `tierdesk <argv>` in this process against a scratch database and the demo config. */
async function tierdesk(argv: string[], options: { databaseUrl?: string; stdin?: NodeJS.ReadableStream & { isTTY?: boolean } } = {}) {
  const s = scratchDir();
  let out = '';
  let err = '';
  const code = await main({
    argv,
    env: { TIERDESK_CONFIG: s.file('tierdesk.yaml', DEMO_CONFIG_YAML), DATABASE_URL: options.databaseUrl ?? s.databaseUrl },
    stdin: options.stdin ?? new PassThrough(),
    stdout: { write: (t: string) => ((out += t), true) } as unknown as NodeJS.WritableStream,
    stderr: { write: (t: string) => ((err += t), true) } as unknown as NodeJS.WritableStream,
  });
  return { code, out, err };
}

const oneLine = (text: string) => expect(text.trimEnd().split('\n')).toHaveLength(1);

describe('a wrong command line touches nothing', () => {
  it('misspelt flags exit 2 naming the flag and a suggestion; --version prints the version; no ./data is created', async () => {
    const s = scratchDir();
    const env = { TIERDESK_CONFIG: undefined, DATABASE_URL: undefined };
    const [confg, sokcet, version, unknown] = await Promise.all([
      runCli(['check', '--confg', 'x.yaml'], { entry: BIN_ENTRY, cwd: s.dir, env }),
      runCli(['slack', 'manifest', '--sokcet-mode'], { entry: BIN_ENTRY, cwd: s.dir, env }),
      runCli(['--version'], { entry: BIN_ENTRY, cwd: s.dir, env }),
      runCli(['strat'], { entry: BIN_ENTRY, cwd: s.dir, env }),
    ]);
    expect(confg).toMatchObject({ code: 2, stdout: '', stderr: 'tierdesk check: unknown option --confg (did you mean --config?)\n' });
    expect(sokcet).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'tierdesk slack manifest: unknown option --sokcet-mode (did you mean --socket-mode?)\n',
    });
    expect(version).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toBe('Unknown command "strat" (did you mean tierdesk start?). Run "tierdesk help" for the list.\n');
    expect(existsSync(join(s.dir, 'data'))).toBe(false);
  });

  it.each([
    [['migrate', '--down-all=false'], 'tierdesk migrate: --down-all takes no value (got "--down-all=false")'],
    [['check', '--config'], 'tierdesk check: --config needs a value'],
    [['check', '--config', 'a.yaml', '--config', 'b.yaml'], 'tierdesk check: --config is given more than once'],
    [['start', 'now'], 'tierdesk start: unexpected argument "now"'],
    [['sla'], 'tierdesk sla needs a sub-command: due, between'],
    [['oncall', 'shfits'], 'Unknown command "tierdesk oncall shfits" (did you mean tierdesk oncall shifts?). Sub-commands: who, shifts, plan.'],
    [['report', '-x'], 'tierdesk report: unknown option -x'],
    [['help', 'frobnicate'], 'Unknown command "frobnicate". Run "tierdesk help" for the list.'],
  ])('tierdesk %j exits 2: %s', async (argv, message) => {
    const s = scratchDir();
    const run = await tierdesk(argv, { databaseUrl: s.databaseUrl });
    expect(run).toEqual({ code: 2, out: '', err: `${message}\n` });
    expect(existsSync(s.databaseUrl)).toBe(false);
  });
});

describe('help', () => {
  it('-h and --help print the usage; help CMD and CMD --help print the same per-command help', async () => {
    const [short, long, helpDue, dueHelp, helpGroup] = await Promise.all([
      tierdesk(['-h']),
      tierdesk(['--help']),
      tierdesk(['help', 'sla', 'due']),
      tierdesk(['sla', 'due', '-h']),
      tierdesk(['help', 'oncall']),
    ]);
    expect(short.code).toBe(0);
    expect(short.out).toMatch(/^Usage: tierdesk \[command\]/);
    expect(long).toEqual(short);
    expect(helpDue.out).toMatch(/^Usage: tierdesk sla due --calendar NAME --start ISO --minutes N/);
    expect(helpDue.out).toContain('  --minutes N ');
    expect(dueHelp).toEqual(helpDue);
    expect(helpGroup.out).toContain('oncall shifts --schedule NAME --from ISO --to ISO');
  });
});

describe('tierdesk migrate --down-all asks before dropping data', () => {
  async function migrated() {
    const s = scratchDir();
    expect((await tierdesk(['migrate'], { databaseUrl: s.databaseUrl })).code).toBe(0);
    return s.databaseUrl;
  }
  const tables = (file: string) => {
    const db = new Database(file, { readonly: true });
    try {
      return (db.prepare("select count(*) as n from sqlite_master where type = 'table' and name = 'tickets'").get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  /** A terminal on which the person types `answer`. */
  const terminal = (answer: string) => Object.assign(new PassThrough(), { isTTY: true }).end(`${answer}\n`) as PassThrough & { isTTY: boolean };

  it('without a terminal and without --yes: refused with exit 2, nothing dropped', async () => {
    const file = await migrated();
    const run = await tierdesk(['migrate', '--down-all'], { databaseUrl: file });
    expect(run.code).toBe(2);
    expect(run.err).toBe(
      'tierdesk migrate --down-all drops every tierdesk table of "tierdesk.db" and its data: add --yes to confirm (no terminal to ask)\n',
    );
    expect(tables(file)).toBe(1);
  });

  it("at a terminal: a wrong name changes nothing (exit 1); the database's name confirms", async () => {
    const file = await migrated();
    const wrong = await tierdesk(['migrate', '--down-all'], { databaseUrl: file, stdin: terminal('yes') });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain(`Type the database's name (tierdesk.db) to confirm: `);
    expect(wrong.err).toContain('"yes" is not "tierdesk.db": nothing was changed');
    expect(tables(file)).toBe(1);

    const right = await tierdesk(['migrate', '--down-all'], { databaseUrl: file, stdin: terminal('tierdesk.db') });
    expect(right.code).toBe(0);
    expect(right.out).toContain('reverted 2026-11-26-01-core');
    expect(tables(file)).toBe(0);
  });

  it('--yes confirms for scripts; --yes alone is a usage error', async () => {
    const file = await migrated();
    expect((await tierdesk(['migrate', '--yes'], { databaseUrl: file })).code).toBe(2);
    expect(tables(file)).toBe(1);
    const run = await tierdesk(['migrate', '--down-all', '--yes'], { databaseUrl: file });
    expect(run.code).toBe(0);
    expect(tables(file)).toBe(0);
  });
});

describe('expected failures of a command are one line', () => {
  it('oncall shifts over more than ten years: exit 1, no stack', async () => {
    const run = await tierdesk(['oncall', 'shifts', '--schedule', 'l2-on-call', '--from', '2024-01-01T00:00:00Z', '--to', '2035-01-01T00:00:00Z']);
    expect(run).toEqual({ code: 1, out: '', err: 'tierdesk oncall: shifts are listed for up to ten years at a time\n' });
  });

  it('sla due --minutes "" is refused, not taken as 0', async () => {
    const run = await tierdesk(['sla', 'due', '--calendar', 'office', '--start', '2024-01-01T00:00:00Z', '--minutes', '']);
    expect(run.code).toBe(2);
    expect(run.out).toBe('');
    expect(run.err).toBe('tierdesk sla: --minutes must be a number of business minutes, 0 or more, not ""\n');
  });

  it('sla between with from after to is refused with exit 1; in order it counts', async () => {
    const backwards = await tierdesk(['sla', 'between', '--calendar', 'office', '--from', '2024-01-02T00:00:00Z', '--to', '2024-01-01T00:00:00Z']);
    expect(backwards).toEqual({
      code: 1,
      out: '',
      err: 'tierdesk sla: --from (2024-01-02T00:00:00Z) is after --to (2024-01-01T00:00:00Z): give the earlier instant as --from\n',
    });
    const forwards = await tierdesk(['sla', 'between', '--calendar', 'office', '--from', '2024-01-01T00:00:00Z', '--to', '2024-01-02T00:00:00Z']);
    expect(forwards).toEqual({ code: 0, out: '1440\n', err: '' });
  });

  it('a budget past a century of open time is one line with exit 1', async () => {
    const run = await tierdesk(['sla', 'due', '--calendar', 'office', '--start', '2024-01-01T00:00:00Z', '--minutes', '99999999999']);
    expect(run.code).toBe(1);
    oneLine(run.err);
  });
});
