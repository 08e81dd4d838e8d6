import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tokensCommand } from '../../adapters/web/cli.js';
import { apiTokenOwner } from '../../adapters/web/api-tokens.js';
import { loadConfig } from '../../src/config/config.js';
import { openDatabase } from '../../src/store/connect.js';
import { YAML } from './support.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'tierdesk-tokens-'));
  dirs.push(dir);
  const url = join(dir, 'desk.db');
  const config = loadConfig({ text: YAML, env: { DATABASE_URL: url } });
  const out: string[] = [];
  const err: string[] = [];
  const run = (rest: string[], flags: Record<string, string> = {}) =>
    tokensCommand(
      { command: 'tokens', rest, flags: new Map(Object.entries(flags).map(([k, v]) => [k, [v]])) },
      config,
      (l) => out.push(l),
      (l) => err.push(l),
    );
  return { url, out, err, run };
}

describe('tierdesk tokens', () => {
  it('creates a token shown once, lists it without its secret, and revokes it', async () => {
    const { url, out, err, run } = setup();
    expect(await run(['create', 'agent1'], { scope: 'write', label: 'deploy bot' })).toBe(0);
    const token = /^(tdk_[a-z0-9]+_\S+)$/m.exec(out.join('\n'))![1]!;
    const id = token.split('_')[1]!;
    out.length = 0;
    expect(await run(['list'])).toBe(0);
    expect(out.join('\n')).toMatch(new RegExp(`tdk_${id}  agent1  write  "deploy bot"`));
    expect(out.join('\n')).not.toContain(token);
    const db = openDatabase(url);
    try {
      expect(await apiTokenOwner(db, token, Date.now())).toEqual({ id, person: 'agent1', scope: 'write' });
      expect(await run(['revoke', `tdk_${id}`])).toBe(0);
      expect(await apiTokenOwner(db, token, Date.now())).toBeUndefined();
    } finally {
      await db.destroy();
    }
    expect(await run(['revoke', id])).toBe(1);
    expect(err.join('\n')).toMatch(/There is no live token/);
  });

  it('refuses an unknown person or scope in one line', async () => {
    const { err, run } = setup();
    expect(await run(['create', 'nobody'])).toBe(1);
    expect(await run(['create', 'ann'], { scope: 'admin' })).toBe(2);
    expect(err).toEqual([
      'There is no person "nobody" under people: (known: ann, sam, agent1, agent2, lena).',
      '--scope "admin" is not a scope: read or write.',
    ]);
  });
});
