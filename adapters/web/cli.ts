/** The CLI's dashboard pieces: serving it from `tierdesk start`, `tierdesk login-link` and `tierdesk sessions revoke`. */
import type { Args } from '../../src/cli/args.js';
import type { Config } from '../../src/config/config.js';
import type { Desk } from '../../src/core/desk.js';
import { openDatabase } from '../../src/store/connect.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { DEFAULT_WEB_PORT, loginLinkFor, revokeWebSessions, startDashboard } from './start.js';
import { one } from '../../src/cli/args.js';
import { listApiTokens, revokeApiToken } from '../../src/store/api-tokens.js';
import { createApiToken } from './api-tokens.js';

type Say = (text: string) => void;

/**
 * Serve the dashboard when the console runs (on 127.0.0.1, TIERDESK_WEB_PORT or 3080), printing a
 * sign-in link per configured person, or in production when TIERDESK_WEB_PORT is set. A port
 * already taken is said in one line and tierdesk runs on. Resolves with how to stop it.
 */
export async function serveDashboard(desk: Desk, env: NodeJS.ProcessEnv, consoleMode: boolean, say: Say): Promise<() => Promise<void>> {
  const raw = env.TIERDESK_WEB_PORT?.trim();
  if (!consoleMode && !raw) return async () => undefined;
  const port = raw ? Number(raw) : DEFAULT_WEB_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    say(`The dashboard is not served: TIERDESK_WEB_PORT ${JSON.stringify(raw)} is not a port number (0-65535).`);
    return async () => undefined;
  }
  let running: Awaited<ReturnType<typeof startDashboard>>;
  try {
    running = await startDashboard(desk, env, port, consoleMode ? '127.0.0.1' : (env.TIERDESK_WEB_HOST?.trim() ?? '0.0.0.0'));
  } catch (err) {
    say(`The dashboard is not served: ${err instanceof Error ? err.message : String(err)}.`);
    return async () => undefined;
  }
  if ('error' in running) return (say(running.error), async () => undefined);
  say(`Dashboard: ${running.url}`);
  if (consoleMode) for (const p of desk.core.directory.people) say(`  sign in as ${p.id} (one use, 15 minutes): ${await running.loginLink(p.id)}`);
  return () => running.close();
}

/** `tierdesk login-link PERSON`, `tierdesk sessions revoke [PERSON]` and `tierdesk tokens …`. */
export async function webCommand(args: Args, config: Config, env: NodeJS.ProcessEnv, say: Say, complain: Say): Promise<number> {
  if (args.command === 'tokens') return tokensCommand(args, config, say, complain);
  const [what, ...rest] = args.command === 'login-link' ? ['login-link', ...args.rest] : args.rest;
  const person = rest[0];
  if (what === 'login-link' && person === undefined) return (complain('Usage: tierdesk login-link PERSON (a person id under people:)'), 2);
  if (what !== 'login-link' && what !== 'revoke') return (complain('Usage: tierdesk sessions revoke [PERSON]'), 2);
  if (person !== undefined && !config.people.some((p) => p.id === person))
    return (complain(`There is no person "${person.slice(0, 64)}" under people: (known: ${config.people.map((p) => p.id).join(', ')}).`), 1);
  const db = openDatabase(config.database.url);
  try {
    await migrateToLatest(db);
    if (what === 'login-link') say(await loginLinkFor(db, env, person!, Date.now()));
    else {
      const n = await revokeWebSessions(db, person);
      say(`Revoked ${n} dashboard session${n === 1 ? '' : 's'}${person ? ` of ${person}` : ''}.`);
    }
    return 0;
  } catch (err) {
    complain(`tierdesk ${args.command}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await db.destroy();
  }
}

/** `tierdesk tokens create PERSON [--scope read|write] [--label TEXT]`, `tokens list [PERSON]`, `tokens revoke ID`. */
export async function tokensCommand(args: Args, config: Config, say: Say, complain: Say): Promise<number> {
  const [what, arg] = args.rest;
  const scope = one(args, 'scope') ?? 'read';
  if (what === 'create' && arg === undefined) return (complain('Usage: tierdesk tokens create PERSON [--scope read|write] [--label TEXT]'), 2);
  if (what === 'revoke' && arg === undefined) return (complain('Usage: tierdesk tokens revoke ID'), 2);
  if (scope !== 'read' && scope !== 'write') return (complain(`--scope ${JSON.stringify(scope.slice(0, 20))} is not a scope: read or write.`), 2);
  if (what !== 'revoke' && arg !== undefined && !config.people.some((p) => p.id === arg))
    return (complain(`There is no person "${arg.slice(0, 64)}" under people: (known: ${config.people.map((p) => p.id).join(', ')}).`), 1);
  const db = openDatabase(config.database.url);
  try {
    await migrateToLatest(db);
    if (what === 'create') {
      const label = one(args, 'label')?.trim() || 'created with the CLI';
      const { token } = await createApiToken(db, { person: arg!, scope, label }, Date.now());
      say(`${token}\n(a ${scope} token for ${arg}: copy it now, it is not shown again)`);
    } else if (what === 'revoke') {
      const id = arg!.replace(/^tdk_/, '').replace(/_.*$/, '');
      if (!(await revokeApiToken(db, id, Date.now())))
        return (complain(`There is no live token "${arg!.slice(0, 40)}" (see tierdesk tokens list).`), 1);
      say(`Revoked tdk_${id}.`);
    } else {
      const rows = await listApiTokens(db, arg);
      if (rows.length === 0) say('No API tokens.');
      for (const r of rows)
        say(
          `tdk_${r.id}  ${r.person}  ${r.scope}  ${JSON.stringify(r.label)}  created ${new Date(r.created_at).toISOString()}  last used ${r.last_used_at === null ? 'never' : new Date(r.last_used_at).toISOString()}`,
        );
    }
    return 0;
  } catch (err) {
    complain(`tierdesk tokens ${what}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await db.destroy();
  }
}
