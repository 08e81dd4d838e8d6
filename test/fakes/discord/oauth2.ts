import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { DiscordWorld } from './world.js';

/** The application's OAuth2 credentials (Developer Portal → OAuth2). */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

interface IssuedCode {
  user: string;
  redirectUri: string;
  scopes: string[];
  issuedAt: number;
}

/** Discord's authorization codes live about 10 minutes; access tokens a week. */
const CODE_LIFETIME_MS = 10 * 60_000;
const TOKEN_LIFETIME_S = 604_800;

/** What the token endpoint answers: an HTTP status and an OAuth2 JSON body (RFC 6749 §5). */
export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * Discord's OAuth2 authorization-code flow as it runs it: `GET /oauth2/authorize` (the browser step:
 * Discord shows the consent screen, then redirects to `redirect_uri` with `code` and `state`),
 * `POST /api/v10/oauth2/token` (form body; client credentials as HTTP Basic or in the body) and
 * `GET /api/v10/users/@me` with `Authorization: Bearer <access token>`. Who consents is set by the
 * test (`consentAs`); with nobody set, the user cancels: `error=access_denied`.
 */
export class FakeDiscordOAuth {
  readonly #codes = new Map<string, IssuedCode>();
  readonly #tokens = new Map<string, { user: string; expiresAt: number }>();
  #consenting: string | undefined;

  constructor(
    private readonly world: DiscordWorld,
    private readonly client: OAuthClient | undefined,
  ) {}

  consentAs(user: string | undefined): void {
    this.#consenting = user;
  }

  authorize(url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    const bad = (why: string) => void res.writeHead(400, { 'content-type': 'text/plain' }).end(why);
    if (!this.client || q.get('client_id') !== this.client.clientId) return bad('Unknown application');
    if (q.get('response_type') !== 'code') return bad('Invalid response_type');
    const redirectUri = q.get('redirect_uri');
    if (!redirectUri || !/^https?:\/\//.test(redirectUri)) return bad('Invalid OAuth2 redirect_uri');
    const scopes = (q.get('scope') ?? '').split(/\s+/).filter(Boolean);
    if (scopes.length === 0) return bad('Invalid scope');
    const back = new URL(redirectUri);
    if (this.#consenting === undefined) {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'The resource owner or authorization server denied the request');
    } else {
      const code = randomBytes(15).toString('base64url');
      this.#codes.set(code, { user: this.#consenting, redirectUri, scopes, issuedAt: this.world.now() });
      back.searchParams.set('code', code);
    }
    const state = q.get('state');
    if (state !== null) back.searchParams.set('state', state);
    res.writeHead(302, { location: back.href }).end();
  }

  token(body: unknown, authorization: string | undefined): TokenAnswer {
    const form = new URLSearchParams(typeof body === 'string' ? body : '');
    const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    const [id, secret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [form.get('client_id'), form.get('client_secret')];
    if (!this.client || id !== this.client.clientId || secret !== this.client.clientSecret) return oauthError(401, 'invalid_client');
    if (form.get('grant_type') !== 'authorization_code') return oauthError(400, 'unsupported_grant_type');
    const codeText = form.get('code') ?? '';
    const code = this.#codes.get(codeText);
    this.#codes.delete(codeText);
    if (!code || this.world.now() - code.issuedAt > CODE_LIFETIME_MS) return oauthError(400, 'invalid_grant', 'Invalid "code" in request.');
    if (form.get('redirect_uri') !== code.redirectUri) return oauthError(400, 'invalid_grant', 'Invalid "redirect_uri" in request.');
    const accessToken = randomBytes(20).toString('base64url');
    this.#tokens.set(accessToken, { user: code.user, expiresAt: this.world.now() + TOKEN_LIFETIME_S * 1000 });
    return {
      status: 200,
      body: {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: TOKEN_LIFETIME_S,
        refresh_token: randomBytes(20).toString('base64url'),
        scope: code.scopes.join(' '),
      },
    };
  }

  /** The user a Bearer access token was issued to, or undefined (Discord answers 401). */
  userOf(accessToken: string): string | undefined {
    const t = this.#tokens.get(accessToken);
    return t && t.expiresAt > this.world.now() ? t.user : undefined;
  }
}

function oauthError(status: number, error: string, description?: string): TokenAnswer {
  return { status, body: { error, ...(description ? { error_description: description } : {}) } };
}
