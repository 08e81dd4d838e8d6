import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { SlackApiError, type Workspace } from './workspace.js';
import type { ApiArgs } from './web-api-methods.js';

/** The app's Sign in with Slack credentials (Basic Information → App Credentials). */
export interface OpenIdClient {
  clientId: string;
  clientSecret: string;
}

/** Another workspace, for an account that is not in the fake's own. */
export interface OtherTeam {
  id: string;
  name: string;
}

interface IssuedCode {
  user: string;
  team: OtherTeam | undefined;
  clientId: string;
  redirectUri: string | undefined;
  nonce: string | undefined;
  issuedAt: number;
}

/** Slack's authorization codes are short-lived (10 minutes). */
const CODE_LIFETIME_MS = 10 * 60_000;

/**
 * Sign in with Slack (OpenID Connect) as Slack runs it: `GET /openid/connect/authorize` (the browser
 * step: Slack shows a consent screen, then redirects to `redirect_uri` with `code` and `state`),
 * `openid.connect.token` (code → user token and id_token) and `openid.connect.userInfo` (user token →
 * claims). Who consents is set by the test (`consentAs`); with nobody set, the user "cancels":
 * Slack redirects with `error=access_denied`.
 */
export class FakeSlackOpenId {
  readonly #codes = new Map<string, IssuedCode>();
  readonly #tokens = new Map<string, { user: string; team: OtherTeam | undefined }>();
  #consenting: string | undefined;
  #consentingTeam: OtherTeam | undefined;

  constructor(
    private readonly workspace: Workspace,
    private readonly client: OpenIdClient | undefined,
  ) {}

  /**
   * The next authorization is granted by this user (a Slack user id), or refused when undefined; with `team`,
   * by that user's account in another workspace (Slack signs a person in to whichever workspace they pick;
   * the authorize URL's `team` only preselects one).
   */
  consentAs(user: string | undefined, team?: OtherTeam): void {
    this.#consenting = user;
    this.#consentingTeam = team;
  }

  /** The `team` the last authorize request asked for, if any. */
  lastTeamAsked: string | undefined;

  /** The browser step. Answers a redirect to the app, or a 400 page as Slack shows for a bad request. */
  authorize(url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri') ?? undefined;
    const bad = (why: string) => void res.writeHead(400, { 'content-type': 'text/plain' }).end(why);
    if (!this.client || q.get('client_id') !== this.client.clientId) return bad('invalid_client_id');
    if (q.get('response_type') !== 'code') return bad('invalid_response_type');
    const scopes = (q.get('scope') ?? '').split(/[\s,]+/);
    if (!scopes.includes('openid')) return bad('invalid_scope');
    if (!redirectUri || !/^https?:\/\//.test(redirectUri)) return bad('bad_redirect_uri');
    const back = new URL(redirectUri);
    const state = q.get('state');
    if (state !== null) back.searchParams.set('state', state);
    this.lastTeamAsked = q.get('team') ?? undefined;
    if (this.#consenting === undefined) back.searchParams.set('error', 'access_denied');
    else {
      const code = `${this.workspace.team.teamId}.${randomBytes(16).toString('hex')}`;
      this.#codes.set(code, {
        user: this.#consenting,
        team: this.#consentingTeam,
        clientId: this.client.clientId,
        redirectUri,
        nonce: q.get('nonce') ?? undefined,
        issuedAt: this.workspace.now(),
      });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.href }).end();
  }

  /** `openid.connect.token`: client credentials in the arguments, the code used once. */
  token(args: ApiArgs): Record<string, unknown> {
    if (!this.client || args.client_id !== this.client.clientId || args.client_secret !== this.client.clientSecret)
      throw new SlackApiError('invalid_client');
    const code = typeof args.code === 'string' ? this.#codes.get(args.code) : undefined;
    if (!code || this.workspace.now() - code.issuedAt > CODE_LIFETIME_MS) throw new SlackApiError('invalid_code');
    this.#codes.delete(String(args.code));
    if (code.redirectUri !== undefined && args.redirect_uri !== code.redirectUri) throw new SlackApiError('bad_redirect_uri');
    const accessToken = `xoxp-oidc-${randomBytes(12).toString('hex')}`;
    this.#tokens.set(accessToken, { user: code.user, team: code.team });
    return { access_token: accessToken, token_type: 'Bearer', id_token: this.#idToken(code) };
  }

  /** `openid.connect.userInfo`: the claims of the user a token was issued to. */
  userInfo(token: string | undefined): Record<string, unknown> {
    const issued = token ? this.#tokens.get(token) : undefined;
    if (!issued) throw new SlackApiError('invalid_auth');
    return this.#claims(issued.user, issued.team);
  }

  #claims(userId: string, other: OtherTeam | undefined): Record<string, unknown> {
    const user = this.workspace.user(userId);
    const { teamId, teamName, teamDomain } = other
      ? { teamId: other.id, teamName: other.name, teamDomain: other.name.toLowerCase() }
      : this.workspace.team;
    return {
      sub: user.id,
      'https://slack.com/user_id': user.id,
      'https://slack.com/team_id': teamId,
      name: user.real_name,
      'https://slack.com/team_name': teamName,
      'https://slack.com/team_domain': teamDomain,
      ...(user.profile.email ? { email: user.profile.email, email_verified: true } : {}),
    };
  }

  /** A JWT in Slack's shape; signed with nothing tierdesk verifies (it reads userInfo instead). */
  #idToken(code: IssuedCode): string {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(this.workspace.now() / 1000);
    const payload = {
      iss: 'https://slack.com',
      aud: code.clientId,
      iat: now,
      exp: now + 3600,
      ...this.#claims(code.user, code.team),
      ...(code.nonce ? { nonce: code.nonce } : {}),
    };
    return `${part({ typ: 'JWT', alg: 'RS256', kid: 'fake' })}.${part(payload)}.${randomBytes(32).toString('base64url')}`;
  }
}
