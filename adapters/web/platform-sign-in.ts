/**
 * The dashboard's "Sign in with Slack / Discord": `GET /login/{platform}` starts (a signed `state`
 * set as a cookie in this browser, then off to the platform's consent page); the platform sends the
 * browser back to `GET /login/{platform}/callback` with a code and the state, which must match this
 * browser's cookie. The platform user becomes the configured person with that platform id, the same
 * person chat knows. Every failure counts against the client's sign-in attempts, like a bad link.
 */
import type { Core } from '../../src/core/work.js';
import type { IncomingMessage } from 'node:http';
import { html, messagePage, page, type Html } from './html.js';
import {
  createSignInState,
  endSession,
  readCookie,
  SESSION_COOKIE,
  sessionCookie,
  signInStateCookie,
  signInStateMatches,
  startSession,
  STATE_COOKIE,
  type AttemptLimiter,
} from './auth.js';
import { SignInRefused, type SignInPlatform, type SignInProvider } from './sign-in-providers.js';

/** What to answer: a page with its status, or a redirect; with cookies to set. */
export interface SignInAnswer {
  status: number;
  page?: string;
  location?: string;
  cookies?: string[];
  headers?: Record<string, string>;
}

export interface PlatformSignInOptions {
  core: Core;
  secret: string;
  secure: boolean;
  limiter: AttemptLimiter;
  providers: SignInProvider[];
  /** TIERDESK_PUBLIC_URL, which the redirect URL registered with each platform starts with; else this request's host. */
  publicUrl?: string;
}

const PLATFORM_NAME: Record<SignInPlatform, string> = { slack: 'Slack', discord: 'Discord' };

export class PlatformSignIn {
  constructor(private readonly o: PlatformSignInOptions) {}

  provider(platform: string): SignInProvider | undefined {
    return this.o.providers.find((p) => p.platform === platform);
  }

  /** The buttons on the sign-in page: one per configured platform, none otherwise. */
  buttons(): Html {
    return html`${this.o.providers.map((p) => html`<p><a class="button primary" href="/login/${p.platform}">${p.label}</a></p>`)}`;
  }

  /**
   * The sign-in page: with a one-time link's token, a button (so a link preview fetching the URL never
   * uses it up); else the platforms' sign-in buttons, when configured, and how to get a link.
   */
  page(token: string | null): string {
    if (!token)
      return page({
        title: 'Sign in',
        main: html`<h1>Sign in to tierdesk</h1>
          ${this.buttons()}
          <p>Or sign in with a one-time link: ask for one with "tierdesk login-link PERSON".</p>`,
      });
    return page({
      title: 'Sign in',
      main: html`<h1>Sign in to tierdesk</h1>
        <form method="post" action="/login">
          <input type="hidden" name="token" value="${token.slice(0, 500)}" /> <button class="primary" type="submit">Sign in</button>
        </form>`,
    });
  }

  /** `GET /login/{platform}` (start) or its `/callback` (finish); undefined when that platform is not configured. */
  async answer(req: IncomingMessage, platform: string, callback: boolean, query: URLSearchParams): Promise<SignInAnswer | undefined> {
    const provider = this.provider(platform);
    if (!provider) return undefined;
    const client = req.socket.remoteAddress ?? 'unknown';
    return callback ? this.finish(provider, query, req.headers.cookie, client, req.headers.host) : this.start(provider, client, req.headers.host);
  }

  /** `https://desk.example.com/login/slack/callback`: register it with the platform's app. */
  redirectUri(platform: SignInPlatform, host: string | undefined): string {
    return `${this.o.publicUrl ?? `http://${host ?? '127.0.0.1'}`}/login/${platform}/callback`;
  }

  async start(provider: SignInProvider, client: string, host: string | undefined): Promise<SignInAnswer> {
    const now = this.o.core.clock.now();
    const blocked = this.blocked(client, now);
    if (blocked) return blocked;
    const state = createSignInState(this.o.secret, provider.platform, now);
    let location: string;
    try {
      location = await provider.authorizeUrl(state, this.redirectUri(provider.platform, host));
    } catch (err) {
      this.o.core.logger.warn('platform sign-in could not start', {
        platform: provider.platform,
        error: err instanceof Error ? err.message : String(err),
      });
      const name = PLATFORM_NAME[provider.platform];
      return { status: 502, page: messagePage('Sign in', `${name} could not be reached to start signing in: try again in a moment.`) };
    }
    return { status: 303, location, cookies: [signInStateCookie(state, this.o.secure)] };
  }

  async finish(
    provider: SignInProvider,
    query: URLSearchParams,
    cookieHeader: string | undefined,
    client: string,
    host: string | undefined,
  ): Promise<SignInAnswer> {
    const now = this.o.core.clock.now();
    const blocked = this.blocked(client, now);
    if (blocked) return blocked;
    const name = PLATFORM_NAME[provider.platform];
    const clear = signInStateCookie('', this.o.secure, 0);
    const refuse = (status: number, text: string): SignInAnswer => {
      this.o.limiter.failed(client, now);
      return { status, page: messagePage('Sign in', text), cookies: [clear] };
    };
    if (!signInStateMatches(this.o.secret, provider.platform, query.get('state') ?? undefined, readCookie(cookieHeader, STATE_COOKIE), now))
      return refuse(400, `This sign-in with ${name} did not start in this browser, or took over 10 minutes: start again from the sign-in page.`);
    if (query.get('error') !== null)
      return {
        status: 401,
        page: messagePage('Sign in', `Signing in with ${name} was cancelled: start again from the sign-in page.`),
        cookies: [clear],
      };
    const code = query.get('code');
    if (!code || code.length > 500) return refuse(400, `${name} sent no sign-in code back: start again from the sign-in page.`);
    let platformUser: string;
    try {
      platformUser = await provider.userId(code, this.redirectUri(provider.platform, host));
    } catch (err) {
      if (err instanceof SignInRefused) return refuse(401, `${err.message}: start again from the sign-in page.`);
      this.o.core.logger.warn('platform sign-in failed', { platform: provider.platform, error: err instanceof Error ? err.message : String(err) });
      return {
        status: 502,
        page: messagePage('Sign in', `${name} could not be reached to finish signing in: try again in a moment.`),
        cookies: [clear],
      };
    }
    const person = this.o.core.directory.people.find((p) => p[provider.platform] === platformUser);
    if (!person)
      return refuse(
        403,
        `Your ${name} account (${platformUser.slice(0, 40)}) is not a person tierdesk knows: ask an administrator to add it under people in tierdesk.yaml.`,
      );
    // Rotate: whatever session this browser had is ended; the new one has a fresh token.
    await endSession(this.o.core.db, readCookie(cookieHeader, SESSION_COOKIE));
    const { token } = await startSession(this.o.core.db, person.id, now);
    return { status: 303, location: '/', cookies: [sessionCookie(token, this.o.secure), clear] };
  }

  private blocked(client: string, now: number): SignInAnswer | undefined {
    const wait = this.o.limiter.blockedFor(client, now);
    if (wait <= 0) return undefined;
    return {
      status: 429,
      page: messagePage('Too many attempts', `Too many sign-in attempts: try again in ${Math.ceil(wait / 60_000)} minutes.`),
      headers: { 'retry-after': String(Math.ceil(wait / 1000)) },
    };
  }
}
