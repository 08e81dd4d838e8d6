import { describe, it, type TestContext } from 'vitest';
import { LiveCli, blocksOf, createScratch, demoDeskEnv, expectSteps, runCli, type Block } from './support.js';

// The two tests only wait on child processes, so they run side by side (hence the context's expect).

/** A scratch database and demo config for one test, removed when it ends. */
function deskFiles(onTestFinished: TestContext['onTestFinished']) {
  const scratch = createScratch();
  onTestFinished(() => scratch.remove());
  return demoDeskEnv(scratch);
}

/** The `#N ...` lines of the last ticket list sent to `head`, as [number, rest]. */
function listed(blocks: Block[], head: string): Array<[number, string]> {
  const list = blocks.filter((b) => b.head === head && /^#\d+ /.test(b.body)).at(-1);
  if (!list) throw new Error(`no ticket list for ${head}`);
  return list.body.split('\n').map((line) => {
    const m = /^#(\d+) (.*)$/.exec(line);
    if (!m) throw new Error(`not a ticket line: ${line}`);
    return [Number(m[1]), m[2]!];
  });
}

describe.concurrent('the database across runs', () => {
  it('keeps tickets, their numbering and their messages from one run to the next', async ({ expect, onTestFinished }) => {
    const env = deskFiles(onTestFinished);
    const first = await runCli(['start'], {
      env,
      input: ['requester: /ticket new Keyboard missing keys', 'alice: /ticket new VPN drops every hour'].join('\n') + '\n',
    });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Ticket #2 opened');

    const second = await runCli(['start'], {
      env,
      input:
        ['agent1: /ticket list', 'alice: /ticket list', 'requester: /ticket new Mouse double-clicks', 'agent1: /ticket claim 1'].join('\n') + '\n',
    });
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    const blocks = blocksOf(second.stdout);
    expect(listed(blocks, '← to agent1 (only them):')).toEqual([
      [2, 'P3 open L1 · VPN drops every hour · alice → unclaimed'],
      [1, 'P3 open L1 · Keyboard missing keys · Requester → unclaimed'],
    ]);
    // Someone who is not an agent sees only their own tickets.
    expect(listed(blocks, '← to alice (only them):')).toEqual([[2, 'P3 open L1 · VPN drops every hour · unclaimed']]);
    expectSteps(blocks, [
      { line: 'agent1: /ticket list', expect: [] },
      {
        line: 'requester: /ticket new Mouse double-clicks',
        expect: [
          { head: '← to requester (only them):', has: 'Ticket #3 opened' },
          { head: '→ #l1-desk:', has: '🎫 #3 Mouse double-clicks' },
        ],
      },
      {
        // The card posted by the first run is found again and edited in place.
        line: 'agent1: /ticket claim 1',
        expect: [
          { head: '← to agent1 (only them):', has: 'You have claimed #1.' },
          { head: '✎ #l1-desk (updated):', has: ['🎫 #1 Keyboard missing keys', 'Status: claimed', 'Assignee: Agent One'] },
          { head: '✎ DM to requester (updated):', has: ['🎫 Ticket #1: Keyboard missing keys', 'Status: claimed'] },
        ],
      },
    ]);
  });

  it('survives kill -9: keeps every acknowledged change, each ticket once with contiguous numbers, and delivers every card at least once', async ({
    expect,
    onTestFinished,
  }) => {
    const env = deskFiles(onTestFinished);
    const titles = ['Crash one', 'Crash two', 'Crash three', 'Crash four'];
    const cli = new LiveCli(['start'], { env, onTestFinished });
    let from = await cli.waitFor('/help lists every command.');
    for (const [i, title] of titles.entries()) {
      const n = i + 1;
      cli.send(`requester: /ticket new ${title}`);
      from = await cli.waitFor(`← to requester (only them):\n  Ticket #${n} opened`, from);
      if (n === 2) {
        cli.send('agent1: /ticket claim 2');
        from = await cli.waitFor('← to agent1 (only them):\n  You have claimed #2.', from);
      }
    }
    // The fourth ticket is acknowledged: kill at once, without letting the CLI finish anything.
    cli.child.kill('SIGKILL');
    const killed = await cli.closed;
    expect(killed.signal).toBe('SIGKILL');

    const after = await runCli(['start'], { env, input: 'agent1: /ticket list --status all\nrequester: /ticket new After the crash\n' });
    expect(after.stderr).toBe('');
    expect(after.code).toBe(0);
    const blocks = blocksOf(after.stdout);
    const list = listed(blocks, '← to agent1 (only them):');
    expect(list.map(([n]) => n)).toEqual([4, 3, 2, 1]);
    expect(list.map(([, rest]) => rest)).toEqual([
      'P3 open L1 · Crash four · Requester → unclaimed',
      'P3 open L1 · Crash three · Requester → unclaimed',
      'P3 claimed L1 · Crash two · Requester → Agent One',
      'P3 open L1 · Crash one · Requester → unclaimed',
    ]);
    expect(after.stdout).toContain('Ticket #5 opened');

    // What the killed run had not delivered yet goes out on restart: every ticket's card and DM
    // reached the console in one run or the other (a message cut off by the kill may appear twice).
    const delivered = [...blocksOf(killed.stdout), ...blocks];
    for (const [i, title] of titles.entries()) {
      const n = i + 1;
      expect(
        delivered.some((b) => b.head === '→ #l1-desk:' && b.body.startsWith(`🎫 #${n} ${title}\n`)),
        `card of #${n}`,
      ).toBe(true);
      expect(
        delivered.some((b) => b.head === '→ DM to requester:' && b.body.startsWith(`🎫 Ticket #${n}: ${title}\n`)),
        `DM of #${n}`,
      ).toBe(true);
    }
  });
});
