import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { blocksOf, createScratch, demoDeskEnv, runCli, spawnCli, type Block } from './support.js';

// Bugs found by the end-to-end suite, fixed, and pinned so they stay fixed.

const MASS_MENTION = /(^|[^\u200B])(@(everyone|here|channel)\b|<!(channel|here|everyone)[>|])/;
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

describe('user text echoed back in refusals (ARCHITECTURE.md seam 10)', () => {
  const scratch = createScratch();
  let replies: Block[];

  beforeAll(async () => {
    const lines = [
      'requester: /ticket new Something to escalate',
      'agent1: /ticket claim 1',
      'requester: /ticket @everyone', // 0: unknown sub-command
      'requester: /ticket show <!here>\u0007\u001b[2J', // 1: not a ticket number
      'agent1: /ticket list --tier @here', // 2: unknown tier in list
      'agent1: /ticket escalate 1 Needs a specialist --to <!channel>', // 3: unknown tier in escalate
    ];
    const run = await runCli(['start'], {
      input: `${lines.join('\n')}\n`,
      env: demoDeskEnv(scratch),
    });
    expect(run.code).toBe(0);
    // The refusals are the last four replies, one per bad line.
    replies = blocksOf(run.stdout)
      .filter((b) => b.head.startsWith('← to '))
      .slice(-4);
    expect(replies.map((r) => r.body.split('\n')[0])).toEqual([
      expect.stringMatching(/^Unknown command "/),
      expect.stringMatching(/is not a ticket number/),
      expect.stringMatching(/^There is no tier "/),
      expect.stringMatching(/^There is no tier "/),
    ]);
  });
  afterAll(() => scratch.remove());

  it('neutralises a mass mention typed as a /ticket sub-command', () => {
    expect(replies[0]!.body).not.toMatch(MASS_MENTION);
  });

  it('neutralises mentions and strips control characters from a bad ticket number', () => {
    expect(replies[1]!.body).not.toMatch(MASS_MENTION);
    expect(replies[1]!.body).not.toMatch(CONTROL);
  });

  it('neutralises a mass mention given as /ticket list --tier', () => {
    expect(replies[2]!.body).not.toMatch(MASS_MENTION);
  });

  it('neutralises a mass mention given as /ticket escalate --to', () => {
    expect(replies[3]!.body).not.toMatch(MASS_MENTION);
  });
});

describe('console output at the end of input', () => {
  // Once, the CLI exited while stdout (a pipe) still held queued writes, and the console adapter's
  // post() resolved (so the outbox row was marked sent) before its text was flushed: a reader slower
  // than tierdesk (`... | tierdesk start | less`) lost the tail. Now writes wait for the reader.
  it('writes everything before exiting, even to a reader that is slower than tierdesk', async () => {
    const scratch = createScratch();
    onTestFinished(() => scratch.remove());
    const helps = 500; // ~700 kB of replies: far more than the pipe and socket buffers hold
    const child = spawnCli(['start'], { env: demoDeskEnv(scratch) });
    onTestFinished(() => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')));
    child.stdin.end('agent1: /help\n'.repeat(helps));

    // A slow reader: it yields to the event loop many times between chunks (no sleeps), so the
    // CLI is always ahead of it and finishes its input while output is still queued.
    let stdout = '';
    const slowYield = async () => {
      for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
    };
    const closed = new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
    for await (const chunk of child.stdout) {
      stdout += chunk as string;
      await slowYield();
    }
    expect(await closed).toBe(0);
    expect(stdout.split('tierdesk commands').length - 1).toBe(helps);
  });
});
