/**
 * Signing in to the dashboard with Slack (OpenID Connect) or Discord (OAuth2 authorization code),
 * through each platform's own client: Slack's WebClient (`openid.connect.token`, `.userInfo`),
 * discord.js REST (`/oauth2/token`, `/users/@me` with the Bearer token). Each provider only answers
 * "which platform user is this"; mapping them to a configured person is the server's job.
 */
import { webApi } from '@slack/bolt';
import { SILENT_SLACK_LOGGER } from '../slack/silent-logger.js';
import { REST, Routes, type APIUser, type RESTPostOAuth2AccessTokenResult } from 'discord.js';

export type SignInPlatform = 'slack' | 'discord';

export interface SignInProvider {
  platform: SignInPlatform;
  label: string;
  /** Where the browser goes to consent; it comes back to `redirectUri` with `code` and `state`. */
  authorizeUrl(state: string, redirectUri: string): Promise<string>;
  /** The platform user id behind an authorization code; throws `SignInRefused` for a bad code. */
  userId(code: string, redirectUri: string): Promise<string>;
}

/** The platform refused the code or the credentials: the person should start again (or the operator fix the app). */
export class SignInRefused extends Error {}

/** The providers configured in the environment: Slack with SLACK_CLIENT_ID/SECRET, Discord with DISCORD_CLIENT_SECRET. */
export function signInProviders(env: NodeJS.ProcessEnv): SignInProvider[] {
  const get = (name: string) => env[name]?.trim() || undefined;
  const providers: SignInProvider[] = [];
  const slackId = get('SLACK_CLIENT_ID');
  const slackSecret = get('SLACK_CLIENT_SECRET');
  if (slackId && slackSecret)
    providers.push(
      slackProvider({
        clientId: slackId,
        clientSecret: slackSecret,
        apiUrl: get('SLACK_API_URL') ?? 'https://slack.com/api/',
        botToken: get('SLACK_BOT_TOKEN'),
      }),
    );
  // The client id is the application id; DISCORD_CLIENT_ID overrides it.
  const discordId = get('DISCORD_CLIENT_ID') ?? get('DISCORD_APPLICATION_ID');
  const discordSecret = get('DISCORD_CLIENT_SECRET');
  if (discordId && discordSecret)
    providers.push(discordProvider(discordId, discordSecret, (get('DISCORD_API_URL') ?? 'https://discord.com/api').replace(/\/+$/, '')));
  return providers;
}

interface SlackApp {
  clientId: string;
  clientSecret: string;
  apiUrl: string;
  /** The bot token of the workspace tierdesk serves: only its members may sign in. */
  botToken: string | undefined;
}

function slackProvider({ clientId, clientSecret, apiUrl, botToken }: SlackApp): SignInProvider {
  const options = { slackApiUrl: apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 15_000, logger: SILENT_SLACK_LOGGER };
  // The served workspace's id (auth.test), asked once; a failure is not kept, so the next sign-in asks again.
  let served: Promise<string | undefined> | undefined;
  const workspace = (): Promise<string | undefined> => {
    if (botToken === undefined) return Promise.resolve(undefined);
    served ??= new webApi.WebClient(botToken, options).auth.test().then(
      (r) => r.team_id,
      (err: unknown) => {
        served = undefined;
        throw err;
      },
    );
    return served;
  };
  return {
    platform: 'slack',
    label: 'Sign in with Slack',
    // The consent page is on slack.com itself, beside /api/; `team` picks the served workspace there.
    async authorizeUrl(state, redirectUri) {
      const team = await workspace();
      const query = {
        response_type: 'code',
        scope: 'openid profile',
        client_id: clientId,
        state,
        redirect_uri: redirectUri,
        ...(team ? { team } : {}),
      };
      return `${new URL('/openid/connect/authorize', apiUrl).href}?${new URLSearchParams(query)}`;
    },
    async userId(code, redirectUri) {
      try {
        const token = await new webApi.WebClient(undefined, options).openid.connect.token({
          client_id: clientId,
          client_secret: clientSecret,
          code,
          redirect_uri: redirectUri,
        });
        const info = await new webApi.WebClient(token.access_token, options).openid.connect.userInfo();
        const id = info['https://slack.com/user_id'] ?? info.sub;
        if (!id) throw new SignInRefused('Slack did not say who signed in');
        // A user id means something only in its workspace: another workspace's account is nobody here.
        const team = await workspace();
        if (team !== undefined && info['https://slack.com/team_id'] !== team)
          throw new SignInRefused(
            `That Slack account is in another workspace (${String(info['https://slack.com/team_name'] ?? info['https://slack.com/team_id'] ?? 'unknown').slice(0, 80)}) than the one this help desk serves: sign in with your account there`,
          );
        return id;
      } catch (err) {
        const e = err as { code?: string; data?: { error?: string } };
        if (e.code === webApi.ErrorCode.PlatformError) throw new SignInRefused(`Slack refused the sign-in (${e.data?.error ?? 'unknown error'})`);
        throw err;
      }
    },
  };
}

function discordProvider(clientId: string, clientSecret: string, apiUrl: string): SignInProvider {
  const rest = () => new REST({ api: apiUrl, retries: 0, timeout: 15_000, handlerSweepInterval: 0, hashSweepInterval: 0 });
  return {
    platform: 'discord',
    label: 'Sign in with Discord',
    authorizeUrl: async (state, redirectUri) =>
      `${apiUrl}/v10/oauth2/authorize?${new URLSearchParams({ response_type: 'code', scope: 'identify', client_id: clientId, state, redirect_uri: redirectUri, prompt: 'none' })}`,
    async userId(code, redirectUri) {
      let token: RESTPostOAuth2AccessTokenResult;
      try {
        const body = new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          client_id: clientId,
          client_secret: clientSecret,
        });
        token = (await rest().post(Routes.oauth2TokenExchange(), { auth: false, body, passThroughBody: true })) as RESTPostOAuth2AccessTokenResult;
      } catch (err) {
        throw refusedByDiscord(err);
      }
      try {
        const user = (await rest().setToken(token.access_token).get(Routes.user('@me'), { authPrefix: 'Bearer' })) as APIUser;
        return user.id;
      } catch (err) {
        throw refusedByDiscord(err); // a token refused (401) is a sign-in to start again, not an outage
      }
    },
  };
}

/** A 4xx from Discord is a refusal of this sign-in (start again); anything else stays a failure to reach it. */
function refusedByDiscord(err: unknown): unknown {
  const status = (err as { status?: number }).status;
  if (status !== undefined && status >= 400 && status < 500) return new SignInRefused(`Discord refused the sign-in (${(err as Error).message})`);
  return err;
}
