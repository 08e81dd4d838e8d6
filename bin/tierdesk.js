#!/usr/bin/env node
// The `tierdesk` command. An installed package runs the compiled JavaScript in dist/ (built by
// `npm run build`, and by `npm pack` through prepack). A checkout (src/ is there) runs its sources
// through tsx, a development dependency, since a dist/ left from an earlier build may be stale; it
// falls back to dist/ when tsx is not installed, and says what to do when neither is there.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const at = (path) => fileURLToPath(new URL(path, import.meta.url));
const sources = at('../src/cli.ts');
const compiled = at('../dist/src/cli.js');

async function withTsx() {
  try {
    const { register } = await import('tsx/esm/api');
    register();
    return true;
  } catch {
    return false;
  }
}

let entry;
if (existsSync(sources) && (await withTsx())) entry = sources;
else if (existsSync(compiled)) entry = compiled;
else {
  process.stderr.write('tierdesk: dist/ is missing: run `npm run build` (or `npm install` to get tsx and run the sources)\n');
  process.exit(1);
}
// src/cli.ts runs main() when it is the entry point: make it so.
process.argv[1] = entry;
await import(entry);
