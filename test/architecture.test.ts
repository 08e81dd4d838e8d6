import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
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

/** The project files a file imports at run time (`import type` is erased, so it cannot close a circle). */
function runtimeImports(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)(?!\s+type\s)\s[^;]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)];
  return specs.map((m) => resolve(dirname(path), m[1] ?? m[2]!).replace(/\.js$/, '.ts')).filter((target) => existsSync(target));
}

/** Every import circle among these files, each once, as `a → b → a` (Tarjan's strongly connected components). */
function importCycles(all: string[]): string[] {
  const graph = new Map(all.map((f) => [f, runtimeImports(f)]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const members: string[] = [];
    for (let w = stack.pop()!; ; w = stack.pop()!) {
      members.push(relative(root, w));
      if (w === v) break;
    }
    if (members.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push([...members.sort(), members.sort()[0]].join(' → '));
  };
  for (const f of all) if (!index.has(f)) visit(f);
  return cycles;
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

  it('no import circles in src/ or adapters/', () => {
    expect(importCycles([...files(join(root, 'src')), ...files(join(root, 'adapters'))])).toEqual([]);
  });

  it('src/core reaches the capabilities only through the catalogue (desk.ts wires them in)', () => {
    const offenders: string[] = [];
    for (const file of files(join(root, 'src', 'core'))) {
      const rel = relative(root, file);
      if (rel === join('src', 'core', 'desk.ts')) continue;
      for (const spec of imports(file)) if (/(^|\/)capabilities\//.test(spec)) offenders.push(`${rel} imports ${spec}`);
    }
    expect(offenders).toEqual([]);
  });

  it('no source file in src/ or adapters/ is over 300 lines', () => {
    const long = [join(root, 'src'), join(root, 'adapters')]
      .flatMap(files)
      .map((f) => ({ file: relative(root, f), lines: readFileSync(f, 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > 300);
    expect(long).toEqual([]);
  });
});
