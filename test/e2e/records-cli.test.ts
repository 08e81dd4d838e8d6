import { PassThrough } from 'node:stream';
import { describe, expect, it, onTestFinished } from 'vitest';
import { main } from '../../src/cli.js';
import { openDatabase } from '../../src/store/connect.js';
import { createTestDesk } from '../support/desk.js';
import { createScratch } from './support.js';

/** Run the CLI in this process; what it printed on stdout and stderr, and its exit code. */
async function run(argv: string[], databaseUrl: string): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await main({ argv, env: { DATABASE_URL: databaseUrl }, stdin: new PassThrough(), stdout, stderr });
  return { code, out, err };
}

function scratch(): string {
  const s = createScratch();
  onTestFinished(() => s.remove());
  return s.databaseUrl;
}

describe('tierdesk export and purge on the command line', () => {
  it('refuses bad options in one line, exit 2', async () => {
    const db = scratch();
    for (const [argv, message] of [
      [['export', '--format', 'xml'], 'tierdesk export: --format must be jsonl or csv, not "xml"\n'],
      [
        ['export', '--from', 'yesterday'],
        'tierdesk export: --from "yesterday" is not a date (2024-03-08) or an ISO-8601 instant with a zone (2024-03-08T21:00:00Z)\n',
      ],
      [['export', '--from', '2024-03-09', '--to', '2024-03-08'], 'tierdesk export: --from must be before --to\n'],
      [['purge'], 'tierdesk purge: --requester is required: PLATFORM:ID, such as slack:U0123ABCD or discord:80351110224678912\n'],
      [
        ['purge', '--requester', 'rita'],
        'tierdesk purge: --requester "rita" is not PLATFORM:ID (platforms: slack, discord, console), such as slack:U0123ABCD\n',
      ],
    ] as const) {
      expect(await run([...argv], db)).toEqual({ code: 2, out: '', err: message });
    }
  });

  it('exports what is in the database, and purges only with --yes', async () => {
    const url = scratch();
    const db = openDatabase(url);
    const desk = await createTestDesk({ db });
    await desk.say('requester', '/ticket new Printer on fire --description call 555-0100');
    await desk.close();
    const exported = await run(['export'], url);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.out)).toMatchObject({ number: 1, title: 'Printer on fire', description: 'call 555-0100' });
    const asked = await run(['purge', '--requester', 'console:requester'], url);
    expect(asked).toEqual({
      code: 2,
      out: '',
      err: 'tierdesk purge: this would erase 1 entry written by console:requester in 1 ticket; run again with --yes to erase them.\n',
    });
    expect(await run(['purge', '--requester', 'console:requester', '--yes'], url)).toMatchObject({
      code: 0,
      out: 'Erased 1 entry written by console:requester in 1 ticket.\n',
    });
    expect((await run(['export'], url)).out).not.toContain('555-0100');
  });
});
