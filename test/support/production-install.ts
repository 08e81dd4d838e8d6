/**
 * What the container image does, reproduced without a network: pack the package (prepack builds
 * dist/), unpack the tarball into a clean folder as `npm install` would, and give it the production
 * dependencies of package-lock.json, as `npm ci --omit=dev` lays them out.
 *
 * The dependencies are copied from this checkout's node_modules instead of being installed by npm:
 * an offline `npm ci` needs every tarball in the local npm cache (this machine's lacks some), and
 * better-sqlite3 would be compiled from source (a minute or more) since its prebuilt binary is
 * downloaded. The copy follows the lockfile exactly (every entry not marked dev), binary included.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

interface LockEntry {
  dev?: boolean;
  link?: boolean;
  optional?: boolean;
}

/** `npm pack` of the repository into `dir`; returns the tarball's path. */
export function pack(repo: string, dir: string): string {
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [info] = JSON.parse(out.slice(out.indexOf('['))) as Array<{ filename: string }>;
  return join(dir, info!.filename);
}

/** The files in a tarball, without the leading `package/`. */
export function filesIn(tarball: string): string[] {
  return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.replace(/^package\//, ''));
}

/** Unpack `tarball` into `app` and install the production dependencies there. */
export function productionInstall(repo: string, tarball: string, app: string): void {
  mkdirSync(app, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', app, '--strip-components=1']);
  const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev || entry.link) continue;
    const from = join(repo, path);
    if (!existsSync(from)) {
      if (entry.optional) continue; // an optional dependency for another platform
      throw new Error(`${path} is in the lockfile but not installed in the checkout`);
    }
    // Nested node_modules are entries of their own (and may be dev-only): copy each package alone.
    cpSync(from, join(app, path), { recursive: true, dereference: true, filter: (src) => !relative(from, src).split(sep).includes('node_modules') });
  }
}
