/** Serving the dashboard from `tierdesk start`, and the CLI's `login-link` and `sessions revoke`. */
import type { AddressInfo } from 'node:net';
import type { Desk } from '../../src/core/desk.js';
import type { Db } from '../../src/store/connect.js';
import { revokeSessions } from '../../src/store/web.js';
import { createLoginToken, signingSecret } from './auth.js';
import { createWebServer, type WebServer } from './server.js';
import { signInProviders } from './sign-in-providers.js';

/** Where the console serves the dashboard unless TIERDESK_WEB_PORT says otherwise. */
export const DEFAULT_WEB_PORT = 3080;

export interface RunningDashboard {
  url: string;
  web: WebServer;
  /** A one-time sign-in link for a configured person. */
  loginLink(person: string): Promise<string>;
  close(): Promise<void>;
}

/** The base URL links use: TIERDESK_PUBLIC_URL (behind a TLS proxy) or where we listen. */
export function publicUrl(env: NodeJS.ProcessEnv, listening: string): string {
  return (env.TIERDESK_PUBLIC_URL?.trim() || listening).replace(/\/+$/, '');
}

/**
 * Listen on `host:port` (127.0.0.1 unless told). A port already taken is an answer, not a crash:
 * `{ error }` holds the one line to say.
 */
export async function startDashboard(
  desk: Desk,
  env: NodeJS.ProcessEnv,
  port: number,
  host = '127.0.0.1',
): Promise<RunningDashboard | { error: string }> {
  const secret = await signingSecret(desk.core.db, env);
  const base = env.TIERDESK_PUBLIC_URL?.trim();
  const web = createWebServer({
    desk,
    secret,
    secure: base?.startsWith('https://') === true,
    signInProviders: signInProviders(env),
    ...(base ? { publicUrl: base.replace(/\/+$/, '') } : {}),
  });
  const failed = await new Promise<string | undefined>((resolve) => {
    web.server.once('error', (err: NodeJS.ErrnoException) =>
      resolve(err.code === 'EADDRINUSE' ? `port ${port} is already taken` : err.code === 'EACCES' ? `port ${port} is not allowed` : err.message),
    );
    web.server.listen(port, host, () => resolve(undefined));
  });
  if (failed) {
    await web.close().catch(() => undefined);
    return { error: `The dashboard is not served: ${failed} (set TIERDESK_WEB_PORT to another port).` };
  }
  const address = web.server.address() as AddressInfo;
  const url = publicUrl(env, `http://${host}:${address.port}`);
  return {
    url,
    web,
    loginLink: async (person) => `${url}/login?token=${await createLoginToken(desk.core.db, secret, person, desk.core.clock.now())}`,
    close: () => web.close(),
  };
}

/** `tierdesk login-link PERSON`: the link, printed; the person must be configured. */
export async function loginLinkFor(db: Db, env: NodeJS.ProcessEnv, person: string, now: number): Promise<string> {
  const secret = await signingSecret(db, env);
  const base = publicUrl(env, `http://127.0.0.1:${env.TIERDESK_WEB_PORT?.trim() || DEFAULT_WEB_PORT}`);
  return `${base}/login?token=${await createLoginToken(db, secret, person, now)}`;
}

/** `tierdesk sessions revoke [PERSON]`: how many sessions ended. */
export async function revokeWebSessions(db: Db, person?: string): Promise<number> {
  return revokeSessions(db, person);
}
