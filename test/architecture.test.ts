import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { createCatalogue } from '../src/capabilities/index.js';

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
  it('nothing under src/ imports a platform SDK or adapters/, except the composition roots', () => {
    const offenders: string[] = [];
    for (const file of files(join(root, 'src'))) {
      const rel = relative(root, file);
      // The composition roots: the process, and its delivery worker (src/delivery-worker.ts).
      if (rel === join('src', 'cli.ts') || rel === join('src', 'delivery-worker.ts')) continue;
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

/**
 * Where an adapter's source names commands by hand instead of reading the catalogue's surface: a
 * slash command as a literal (`'/oncall'`: a registration or a manifest entry), a list of two or more
 * sub-command names of one command (`['reply', 'note']`: the old NEEDS_TEXT), or a mapping keyed by
 * three or more (two keys such as `{ open, solved }` are as likely a forum's tags as `/deflect`'s
 * sub-commands). A single name is not flagged: adapters may dispatch to a command (`name: 'home'`).
 */
function handDeclaredCommands(file: string, text: string, commands: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const at = (node: ts.Node) => `${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
  const subsOfOneCommand = (names: string[], least: number) =>
    [...commands].some(([, subs]) => names.filter((n) => subs.has(n)).length >= least) || names.filter((n) => commands.has(n)).length >= least;
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteralLike(node)) {
      const slash = /^\/([a-z][\w-]*)(?:\s|$)/.exec(node.text);
      if (slash && commands.has(slash[1]!)) found.push(`${at(node)} names the command ${JSON.stringify(node.text)}`);
    } else if (ts.isArrayLiteralExpression(node)) {
      const names = node.elements.filter(ts.isStringLiteralLike).map((e) => e.text);
      if (subsOfOneCommand(names, 2)) found.push(`${at(node)} lists commands or sub-commands: ${names.join(', ')}`);
    } else if (ts.isObjectLiteralExpression(node)) {
      const keys = node.properties.flatMap((p) => (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteralLike(p.name)) ? [p.name.text] : []));
      if (subsOfOneCommand(keys, 3)) found.push(`${at(node)} is keyed by commands or sub-commands: ${keys.join(', ')}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('every surface is derived from the catalogue', () => {
  const catalogue = createCatalogue();
  const commands = new Map(catalogue.commands.map((c) => [c.name, new Set(c.subs.map((s) => s.name).filter((n) => n !== ''))]));
  /**
   * The chat surfaces. The web dashboard is not held to the literal rule: its URLs are named like the
   * commands they show (`/oncall`, `/kb`), and each page chooses which sub-commands it offers as forms
   * and in what order (a page layout; each form's fields come from the catalogue): its lists are held
   * to naming declared sub-commands instead (below).
   */
  const CHAT_ADAPTERS = ['console', 'slack', 'discord'];

  it('no chat adapter names a slash command or lists sub-commands by hand', () => {
    const offences = CHAT_ADAPTERS.flatMap((dir) => files(join(root, 'adapters', dir)))
      .map((f) => relative(root, f))
      .flatMap((f) => handDeclaredCommands(f, readFileSync(join(root, f), 'utf8'), commands));
    expect(offences).toEqual([]);
  });

  it('the check catches a hand-made registration, a manifest entry and a copied sub-command list', () => {
    const planted = [
      `const NEEDS_TEXT = new Set(['reply', 'note', 'escalate', 'resolve']);`,
      `app.command('/oncall', async () => undefined);`,
      `const manifest = { slash_commands: [{ command: '/ticket new', description: 'x' }] };`,
      `const forms = { reply: 'Reply', note: 'Note', resolve: 'Resolve' };`,
      `const ok = { name: 'home', kind: 'command', text: '' }; const also = ['claim']; const tags = { open: 'Open', solved: 'Solved' };`,
    ].join('\n');
    expect(handDeclaredCommands('planted.ts', planted, commands)).toEqual([
      expect.stringMatching(/^planted\.ts:1 lists/),
      expect.stringMatching(/^planted\.ts:2 names the command "\/oncall"/),
      expect.stringMatching(/^planted\.ts:3 names the command "\/ticket new"/),
      expect.stringMatching(/^planted\.ts:4 is keyed by/),
    ]);
  });

  it("the dashboard's pages offer only declared sub-commands", async () => {
    const { AGENT_ACTIONS, REQUESTER_ACTIONS } = await import('../adapters/web/ticket-page.js');
    const { ARTICLE_ACTIONS } = await import('../adapters/web/kb-page.js');
    // `message` is the requester's reply on the ticket page: a conversation message, not a sub-command.
    const undeclared = [
      ...[...AGENT_ACTIONS, ...REQUESTER_ACTIONS].filter((n) => n !== 'message' && !commands.get('ticket')!.has(n)).map((n) => `ticket ${n}`),
      ...[...ARTICLE_ACTIONS].filter((n) => !commands.get('kb')!.has(n)).map((n) => `kb ${n}`),
    ];
    expect(undeclared).toEqual([]);
  });
});
