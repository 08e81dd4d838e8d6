/**
 * Drives the real CLI in a child process: `node --import tsx src/cli.ts ...` from the repository
 * root, with piped stdin, its own scratch directory for the SQLite file and config, and no network.
 * Nothing here sleeps: a live CLI is awaited on its output or on its exit.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { DEMO_CONFIG_YAML } from '../../src/config/config.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** How the CLI is started: the TypeScript entry point through tsx, as `npm run tierdesk` does. */
export const CLI_ENTRY: readonly string[] = ['--import', 'tsx', 'src/cli.ts'];
/** The published bin script (it registers tsx itself, so it works from any directory). */
export const BIN_ENTRY: readonly string[] = [join(REPO_ROOT, 'bin', 'tierdesk.js')];

/** A private directory for one test's database and config files. */
export interface Scratch {
  dir: string;
  /** `<dir>/tierdesk.db`, for DATABASE_URL. */
  databaseUrl: string;
  /** Write a file into the scratch directory; returns its path. */
  file(name: string, text: string): string;
  remove(): void;
}

export function createScratch(): Scratch {
  const dir = mkdtempSync(join(tmpdir(), 'tierdesk-e2e-'));
  return {
    dir,
    databaseUrl: join(dir, 'tierdesk.db'),
    file(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The environment for a console desk in `scratch`: its database, and a copy of the built-in demo
 * config (so a tierdesk.yaml lying in the checkout cannot change what the test sees).
 */
export function demoDeskEnv(scratch: Scratch): Record<string, string> {
  return { DATABASE_URL: scratch.databaseUrl, TIERDESK_CONFIG: scratch.file('tierdesk.yaml', DEMO_CONFIG_YAML) };
}

export interface CliOptions {
  /** Variables for the child on top of this process's environment, minus tierdesk's own (undefined removes one). */
  env?: Record<string, string | undefined>;
  /** Defaults to the repository root. */
  cwd?: string;
  /** Defaults to CLI_ENTRY. */
  entry?: readonly string[];
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The child's environment: never inherit a developer's tierdesk settings. */
function childEnv(extra: CliOptions['env'] = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['TIERDESK_CONFIG', 'DATABASE_URL', 'TIERDESK_LOG_LEVEL']) delete env[name];
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** Start the CLI and leave its streams to the caller (utf-8 text, nothing read yet). */
export function spawnCli(args: readonly string[], options: CliOptions = {}): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [...(options.entry ?? CLI_ENTRY), ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: childEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  // A CLI that exits before reading all its input must not fail the test with EPIPE.
  child.stdin.on('error', () => undefined);
  return child;
}

/** Run the CLI to completion with `input` piped to stdin (then end of input). */
export function runCli(args: readonly string[], options: CliOptions & { input?: string } = {}): Promise<CliResult> {
  const child = spawnCli(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: string) => (stdout += chunk));
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** A running CLI whose stdin stays open: write lines one at a time and wait for what it prints. */
export class LiveCli {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  /** Resolves when the process is gone and its output is closed. */
  readonly closed: Promise<CliResult>;
  private ended = false;
  /** Checks run on every chunk of output, and once more (`ended`) when the output is closed. */
  private waiters: Array<(ended: boolean) => void> = [];

  /** In a concurrent test, pass that test's own `onTestFinished` (from its context). */
  constructor(args: readonly string[], options: CliOptions & { onTestFinished?: typeof onTestFinished } = {}) {
    this.child = spawnCli(args, options);
    this.child.stdout.on('data', (chunk: string) => {
      this.stdout += chunk;
      for (const check of [...this.waiters]) check(false);
    });
    this.child.stderr.on('data', (chunk: string) => (this.stderr += chunk));
    this.closed = new Promise((resolve, reject) => {
      this.child.once('error', reject);
      this.child.once('close', (code, signal) => {
        this.ended = true;
        for (const check of [...this.waiters]) check(true);
        resolve({ code, signal, stdout: this.stdout, stderr: this.stderr });
      });
    });
    // Never leave a CLI running after its test, whatever happened.
    (options.onTestFinished ?? onTestFinished)(() => {
      if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    });
  }

  send(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** End of input. */
  end(): void {
    this.child.stdin.end();
  }

  /**
   * Resolve with the offset just after the first `text` printed at or after `from`; reject if the
   * process ends without printing it (with what it did print, to make the failure readable).
   */
  waitFor(text: string, from = 0): Promise<number> {
    return new Promise((resolve, reject) => {
      const check = (ended: boolean) => {
        const at = this.stdout.indexOf(text, from);
        if (at >= 0) {
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve(at + text.length);
        } else if (ended) {
          this.waiters = this.waiters.filter((w) => w !== check);
          reject(new Error(`the CLI ended without printing ${JSON.stringify(text)}.\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`));
        }
      };
      this.waiters.push(check);
      check(this.ended);
    });
  }
}

/**
 * One thing the console printed: its first line (where it went, e.g. `→ #l1-desk:` or
 * `← to agent1 (only them):`) and its indented body, with the two-space indent removed.
 */
export interface Block {
  head: string;
  body: string;
}

export function blocksOf(stdout: string): Block[] {
  const blocks: Block[] = [];
  for (const line of stdout.split('\n')) {
    const last = blocks[blocks.length - 1];
    if (line.startsWith('  ') && last) last.body += (last.body === '' ? '' : '\n') + line.slice(2);
    else if (line !== '') blocks.push({ head: line, body: '' });
  }
  return blocks;
}

/** What to look for in a block: its exact head, and text its body contains. */
export interface Expected {
  head: string;
  has?: string | string[];
}

function matches(block: Block, e: Expected): boolean {
  if (block.head !== e.head) return false;
  const wanted = e.has === undefined ? [] : Array.isArray(e.has) ? e.has : [e.has];
  return wanted.every((w) => block.body.includes(w));
}

/**
 * Check a console transcript step by step. The console handles one input line at a time and
 * delivers everything that line caused before reading the next, so each step's blocks come after
 * the previous step's; within a step the order is not pinned. Throws, naming the first missing block.
 */
export function expectSteps(blocks: Block[], steps: Array<{ line: string; expect: Expected[] }>): void {
  let after = -1;
  for (const step of steps) {
    let last = after;
    for (const e of step.expect) {
      const i = blocks.findIndex((b, j) => j > after && matches(b, e));
      if (i < 0) {
        const rest = blocks
          .slice(after + 1)
          .map((b) => `${b.head}\n  ${b.body.replaceAll('\n', '\n  ')}`)
          .join('\n');
        throw new Error(`after "${step.line}": no block ${JSON.stringify(e)}.\nOutput from that step on:\n${rest}`);
      }
      last = Math.max(last, i);
    }
    after = last;
  }
}

/** Every block sent to a destination whose head starts with `prefix` (e.g. `→ DM to requester`). */
export function blocksTo(blocks: Block[], prefix: string): Block[] {
  return blocks.filter((b) => b.head.startsWith(prefix));
}
