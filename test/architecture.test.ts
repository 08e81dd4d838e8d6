import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function imports(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1] ?? m[2]!,
  );
}

describe('the seams', () => {
  it('nothing under src/ imports a platform SDK or adapters/, except the composition root', () => {
    const offenders: string[] = [];
    for (const file of files(join(root, 'src'))) {
      const rel = relative(root, file);
      if (rel === join('src', 'cli.ts')) continue;
      for (const spec of imports(file)) {
        if (/^@slack\//.test(spec) || spec === 'discord.js' || spec.startsWith('discord.js/') || /(^|\/)adapters\//.test(spec))
          offenders.push(`${rel} imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('src/domain imports nothing but luxon and itself', () => {
    const offenders: string[] = [];
    for (const file of files(join(root, 'src', 'domain'))) {
      for (const spec of imports(file)) {
        if (spec === 'luxon' || (spec.startsWith('./') && !spec.includes('..'))) continue;
        offenders.push(`${relative(root, file)} imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the core and the capabilities never read the system clock', () => {
    const offenders = [...files(join(root, 'src', 'core')), ...files(join(root, 'src', 'capabilities'))].filter((f) =>
      /Date\.now\(\)|new Date\(\)/.test(readFileSync(f, 'utf8')),
    );
    expect(offenders.map((f) => relative(root, f))).toEqual([]);
  });
});
