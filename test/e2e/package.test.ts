import { mkdtempSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesIn, pack, productionInstall } from '../support/production-install.js';
import { LiveCli, REPO_ROOT, runCli } from './support.js';

// The published package, installed as the container image installs it (production dependencies
// only, no tsx, no TypeScript), run from another directory. Packing builds dist/ (prepack), which
// takes a while on a busy machine: the whole file shares one pack and one install.

const work = mkdtempSync(join(tmpdir(), 'tierdesk-package-'));
const app = join(work, 'app');
const elsewhere = join(work, 'elsewhere');
let tarball: string;
const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

beforeAll(() => {
  tarball = pack(REPO_ROOT, work);
  productionInstall(REPO_ROOT, tarball, app);
  mkdirSync(elsewhere);
}, 600_000);
// The installed dependencies are many files: removing them can take a while on a busy disk.
afterAll(() => rm(work, { recursive: true, force: true }), 300_000);

const bin = () => [join(app, 'bin', 'tierdesk.js')];

/** Poll `check` until it holds, failing after `ms`. */
async function until(what: string, check: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the package', () => {
  it('ships the compiled code, its migrations, the bin script, README and the example config; no sources, tests or benches', () => {
    const files = filesIn(tarball);
    expect(files).toEqual(
      expect.arrayContaining(['bin/tierdesk.js', 'dist/src/cli.js', 'dist/migrations/index.js', 'README.md', 'tierdesk.example.yaml']),
    );
    const outside = files.filter((f) => !f.startsWith('dist/') && f !== 'bin/tierdesk.js');
    expect(outside.sort()).toEqual(['README.md', 'package.json', 'tierdesk.example.yaml', 'tierdesk.schema.json']);
    expect(files.filter((f) => f.endsWith('.ts') || f.endsWith('.map') || f.startsWith('dist/test') || f.startsWith('dist/bench'))).toEqual([]);
  });

  it('needs no development dependency: tsx and TypeScript are not installed with it', () => {
    const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).not.toContain('tsx');
    expect(existsSync(join(app, 'node_modules', 'tsx'))).toBe(false);
    expect(existsSync(join(app, 'node_modules', 'typescript'))).toBe(false);
    expect(existsSync(join(app, 'node_modules', 'better-sqlite3'))).toBe(true);
  });

  it('runs from any directory: --version, check, a misspelt flag; migrations are found by the compiled code', { timeout: 120_000 }, async () => {
    const env = { DATABASE_URL: join(work, 'check.db') };
    const [version, check, typo, migrate] = await Promise.all([
      runCli(['--version'], { entry: bin(), cwd: elsewhere }),
      runCli(['check'], { entry: bin(), cwd: elsewhere, env }),
      runCli(['check', '--confg', 'x.yaml'], { entry: bin(), cwd: elsewhere, env }),
      runCli(['migrate'], { entry: bin(), cwd: elsewhere, env: { DATABASE_URL: join(work, 'migrate.db') } }),
    ]);
    expect(version).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    expect(check).toMatchObject({ code: 0, stderr: '' });
    expect(check.stdout).toContain('built-in demo: OK');
    expect(typo).toMatchObject({ code: 2, stderr: 'tierdesk check: unknown option --confg (did you mean --config?)\n' });
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toContain('applied 2026-11-26-01-core');
    expect(existsSync(join(elsewhere, 'data'))).toBe(false);
  });

  it('starts as the image starts it, answers /healthz, and exits 0 on SIGTERM', { timeout: 120_000 }, async ({ onTestFinished }) => {
    const cli = new LiveCli(['start'], {
      entry: bin(),
      cwd: elsewhere,
      env: { DATABASE_URL: join(work, 'start.db'), TIERDESK_OPS_PORT: '0', NODE_ENV: 'production' },
      onTestFinished,
    });
    let url: string | undefined;
    await until('the ops server said where it listens', () => {
      const line = cli.stderr.split('\n').find((l) => l.includes('"health and metrics"'));
      url = line ? (JSON.parse(line) as { url: string }).url : undefined;
      return url !== undefined;
    });
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, database: true });

    cli.child.kill('SIGTERM');
    const result = await cli.closed;
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(result.stderr).toContain('"msg":"stopped"');
  });
});
