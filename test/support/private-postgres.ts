import { execFile } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where Debian and Ubuntu put PostgreSQL 15's server programs (initdb, pg_ctl, postgres). */
export const PG_BIN = process.env.TIERDESK_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL cluster of a test's own: its own data directory in a temporary folder, its own port
 * on loopback, trust authentication, fsync off. The test may stop and start it at will, which it
 * must never do to the shared server. The caller removes it with `destroy()`.
 */
export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` */
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** `pg_ctl stop -m fast`: backends get 57P01, clients are disconnected; returns once it is down. */
  stop(): Promise<void>;
  /** `pg_ctl start -w`: returns once it accepts connections. */
  start(): Promise<void>;
  /** `pg_ctl restart -m fast -w`. */
  restart(): Promise<void>;
  /** The server's log so far (for failure messages). */
  log(): string;
  /** Stop it at once (`-m immediate`, if it runs) and delete its folder. Safe to call twice. */
  destroy(): Promise<void>;
}

/**
 * Why a private cluster cannot be made on this machine, or undefined when it can: the programs are
 * missing, or we run as root (PostgreSQL refuses root) without a `postgres` user to run them as.
 */
export async function privatePostgresUnavailable(): Promise<string | undefined> {
  for (const tool of ['initdb', 'pg_ctl', 'postgres']) {
    if (!existsSync(join(PG_BIN, tool))) return `no ${join(PG_BIN, tool)} (install PostgreSQL 15's server, or set TIERDESK_TEST_PG_BIN)`;
  }
  if (process.getuid?.() === 0) {
    if (!existsSync('/usr/sbin/runuser') && !existsSync('/sbin/runuser'))
      return 'running as root, and there is no runuser to run PostgreSQL as another user';
    if ((await postgresUser()) === undefined) return 'running as root (PostgreSQL refuses root), and there is no "postgres" OS user to run it as';
  }
  return undefined;
}

async function postgresUser(): Promise<{ uid: number; gid: number } | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

/** A loopback port with nothing listening on it (now). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Create and start a private cluster. Check `privatePostgresUnavailable()` first. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? await postgresUser() : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'tierdesk-pg-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  // As root, every program runs as the postgres user; otherwise as ourselves.
  const pg = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(PG_BIN, tool), ...args], { cwd: dir }) : run(join(PG_BIN, tool), args, { cwd: dir });
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  const ctl = async (args: string[]) => {
    try {
      await pg('pg_ctl', ['-D', data, '-l', logFile, ...args]);
    } catch (err) {
      throw new Error(
        `pg_ctl ${args.join(' ')} failed: ${err instanceof Error ? err.message : String(err)}\n--- server log ---\n${log().slice(-4000)}`,
      );
    }
  };

  let running = false;
  const destroy = async () => {
    if (running && existsSync(join(data, 'postmaster.pid')))
      await pg('pg_ctl', ['-D', data, 'stop', '-m', 'immediate', '-w', '-t', '10']).catch(() => undefined);
    running = false;
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await pg('initdb', ['-D', data, '--auth=trust', '--username=postgres', '--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions']);
    const port = await freePort();
    // In the configuration file rather than on the command line, so a restart keeps them.
    appendFileSync(
      join(data, 'postgresql.conf'),
      [
        '',
        '# tierdesk test cluster',
        `port = ${port}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dir}'`,
        'fsync = off',
        'full_page_writes = off',
        'max_connections = 50',
        "log_min_messages = 'warning'",
        '',
      ].join('\n'),
    );
    running = true;
    await ctl(['start', '-w', '-t', '20']);
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      port,
      dir,
      stop: () => ctl(['stop', '-m', 'fast', '-w', '-t', '20']),
      start: () => ctl(['start', '-w', '-t', '20']),
      restart: () => ctl(['restart', '-m', 'fast', '-w', '-t', '20']),
      log,
      destroy,
    };
  } catch (err) {
    await destroy();
    throw err;
  }
}
