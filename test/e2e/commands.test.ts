import { afterAll, describe, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { BIN_ENTRY, createScratch, runCli } from './support.js';

// Every test here only spawns processes, so they run concurrently: the suite waits on the slowest
// chain of spawns instead of on their sum. Hence the test context's `expect`, and cleanup in afterAll.
const scratches: Array<ReturnType<typeof createScratch>> = [];
afterAll(() => scratches.forEach((s) => s.remove()));

function scratchDir() {
  const scratch = createScratch();
  scratches.push(scratch);
  return scratch;
}

const MIGRATIONS = Object.keys(migrations);

describe.concurrent('tierdesk sub-commands', () => {
  describe('tierdesk check', () => {
    it('lists every problem of a broken config with its key path and exits non-zero; a good config passes', async ({ expect }) => {
      const s = scratchDir();
      const noTiers = s.file(
        'no-tiers.yaml',
        ['people:', '  alice: { name: Alice }', 'tickets:', '  default_urgency: urgent', '  reopen_window: soon', 'dashboards: {}'].join('\n'),
      );
      const badAgent = s.file(
        'bad-agent.yaml',
        [
          'people:',
          '  alice: { name: Alice }',
          'tiers:',
          '  - id: L1',
          '    name: Help desk',
          '    agents: [alice, bob]',
          '  - { id: L2, agents: [alice] }',
          'tickets:',
          '  default_impact: 3',
          'routing:',
          '  - { category: access, tier: L9 }',
        ].join('\n'),
      );
      const good = s.file(
        'good.yaml',
        [
          'people:',
          '  ada: { name: Ada Lovelace }',
          '  grace: { name: Grace Hopper }',
          '  linus: { name: Linus }',
          'tiers:',
          '  - { id: FO, name: Front office, agents: [ada] }',
          '  - { id: BO, name: Back office, agents: [grace], channels: { console: back-office } }',
          'tickets:',
          '  default_urgency: low',
          '  reopen_window: 36 hours',
          '  categories: [access, hardware]',
          'routing:',
          '  - { category: hardware, tier: BO }',
        ].join('\n'),
      );
      const env = { DATABASE_URL: s.databaseUrl };
      const [a, b, ok, missing] = await Promise.all([
        runCli(['check', '--config', noTiers], { env }),
        runCli(['check', `--config=${badAgent}`], { env }),
        runCli(['check'], { env: { ...env, TIERDESK_CONFIG: good } }),
        runCli(['check', '--config', `${s.dir}/nowhere.yaml`], { env }),
      ]);

      expect(a.code).not.toBe(0);
      expect(a.stdout).toBe('');
      expect(a.stderr).toContain(`${noTiers}: 4 problems in the configuration:`);
      for (const path of [
        'dashboards: unknown section',
        'tiers: must list at least one tier',
        'tickets.default_urgency: must be one of high, medium, low, not "urgent"',
        'tickets.reopen_window: must be a positive duration like "7 days" or "36 hours", not "soon"',
      ]) {
        expect(a.stderr).toContain(`  - ${path}`);
      }

      expect(b.code).not.toBe(0);
      expect(b.stderr).toContain(`${badAgent}: 3 problems in the configuration:`);
      expect(b.stderr).toContain('  - tiers[0].agents[1]: "bob" is not a person under people');
      expect(b.stderr).toContain('  - tickets.default_impact: must be one of high, medium, low, not 3');
      expect(b.stderr).toContain('  - routing[0].tier: L9 is not a tier id (known: L1, L2)');
      expect(b.stderr).not.toContain('tiers[0].agents[0]');

      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      expect(ok.stdout).toBe(`${good}: OK (2 tiers, 3 people, database ${s.databaseUrl})\n`);

      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain('cannot read the file: ENOENT');
    });

    it('refuses to start with a broken config, and names an unknown command', async ({ expect }) => {
      const s = scratchDir();
      const broken = s.file('broken.yaml', 'tiers: []\n');
      const [start, unknown] = await Promise.all([
        runCli(['start'], { env: { DATABASE_URL: s.databaseUrl, TIERDESK_CONFIG: broken }, input: 'requester: /ticket new Never opened\n' }),
        runCli(['frobnicate'], { env: { DATABASE_URL: s.databaseUrl } }),
      ]);
      expect(start.code).toBe(1);
      expect(start.stdout).toBe('');
      expect(start.stderr).toContain('tiers: must list at least one tier');
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toBe('Unknown command "frobnicate". Run "tierdesk help" for the list.\n');
    });
  });

  describe('tierdesk migrate', () => {
    it('applies every migration, then says the database is up to date; --down-all --yes reverts them', async ({ expect }) => {
      const s = scratchDir();
      const env = { DATABASE_URL: `${s.dir}/nested/folder/tierdesk.db` };
      const first = await runCli(['migrate'], { env });
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).toBe(MIGRATIONS.map((m) => `applied ${m}\n`).join(''));

      const second = await runCli(['migrate'], { env });
      expect(second.code).toBe(0);
      expect(second.stdout).toBe('The database is up to date.\n');

      const down = await runCli(['migrate', '--down-all', '--yes'], { env });
      expect(down.code).toBe(0);
      expect(down.stdout).toBe(
        [...MIGRATIONS]
          .reverse()
          .map((m) => `reverted ${m}\n`)
          .join(''),
      );
    });
  });

  describe('the bin script and the banner', () => {
    it('prints the usage with bin/tierdesk.js help, from any directory', async ({ expect }) => {
      const s = scratchDir();
      const help = await runCli(['help'], { entry: BIN_ENTRY, cwd: s.dir });
      expect(help.stderr).toBe('');
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^Usage: tierdesk \[command\] \[--config FILE\]\n/);
      for (const command of ['start', 'migrate', 'check', 'help']) expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    });

    it('starts with the built-in demo and a banner listing the tiers and the demo people', async ({ expect }) => {
      // No TIERDESK_CONFIG and no ./tierdesk.yaml in the (scratch) working directory: the built-in demo.
      const s = scratchDir();
      const run = await runCli(['start'], { entry: BIN_ENTRY, cwd: s.dir, env: { DATABASE_URL: s.databaseUrl } });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      // The banner, then the dashboard's address and a one-time sign-in link per person (or why it is not served).
      const banner = [
        `tierdesk · console chat · config: built-in demo · database: ${s.databaseUrl}`,
        'Tiers:',
        '  L1 Help desk: agents agent1; channel #l1-desk',
        '  L2 Second level: agents agent2; channel #l2-desk',
        '  L3 Specialists: agents specialist; channel #l3-desk',
        'Requesters: requester (anyone not listed can open tickets too)',
        'Type "<user>: <text>", e.g.  requester: /ticket new Printer on fire --urgency high',
        'Write in a ticket with "#N": agent1: #1 Have you tried a new toner cartridge?   /help lists every command.',
        'Peer support in #peer: requester: /ask How do I map a network drive?  then  agent2: Q1 Use File Explorer › Map network drive  and  requester: /mark m2  (the number printed with the answer); /kb search <words>',
        '',
      ].join('\n');
      expect(run.stdout.slice(0, banner.length)).toBe(banner);
      expect(run.stdout.slice(banner.length)).toMatch(
        /^(Dashboard: http:\/\/127\.0\.0\.1:\d+\n( {2}sign in as \S+ \(one use, 15 minutes\): http\S+\n)+|The dashboard is not served: [^\n]+\n)$/,
      );
    });
  });
});
