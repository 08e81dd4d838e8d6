import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebServer } from '../../adapters/web/server.js';
import { signInProviders } from '../../adapters/web/sign-in-providers.js';
import { guild, member, startFakeDiscord, textChannel, user, type FakeDiscord } from '../fakes/discord/index.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-api/index.js';
import { createTestDesk } from '../support/desk.js';
import { SECRET } from './support.js';

// Sign in with Slack (OpenID Connect) and with Discord (OAuth2) over HTTP: the dashboard, the fake
// platforms' consent step and token endpoints, and a cookie jar standing in for the browser.

const SLACK = { clientId: '1111.2222', clientSecret: 'slack-client-secret' };
const SLACK_BOT = 'xoxb-served-workspace';
const DISCORD = { clientId: '900000000000000055', clientSecret: 'discord-client-secret' };
const ANN_DISCORD = '100000000000000051';
const STRANGER_DISCORD = '100000000000000052';

const YAML = `
people:
  ann: { name: Ann Agent, slack: U0ANN, discord: "${ANN_DISCORD}" }
  rita: { name: Rita Requester, slack: U0RITA }
tiers:
  - { id: L1, name: Help desk, agents: [ann], channels: { console: l1-desk } }
`;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Answer {
  status: number;
  body: string;
  location: string | null;
}

/** A browser: one cookie jar per host, redirects looked at one by one. */
class Browser {
  private readonly jars = new Map<string, Map<string, string>>();

  async get(url: string): Promise<Answer> {
    const u = new URL(url);
    const jar = this.jars.get(u.host) ?? new Map<string, string>();
    this.jars.set(u.host, jar);
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    for (const set of res.headers.getSetCookie()) {
      const [pair, ...attrs] = set.split(';');
      const [name, value] = pair!.split('=') as [string, string];
      if (attrs.some((a) => a.trim() === 'Max-Age=0')) jar.delete(name);
      else jar.set(name, value);
    }
    return { status: res.status, body: await res.text(), location: res.headers.get('location') };
  }

  /** Follows redirects from `url` until a page: the answers on the way. */
  async follow(url: string): Promise<Answer[]> {
    const seen: Answer[] = [];
    let next: string | null = url;
    while (next && seen.length < 6) {
      const answer = await this.get(next);
      seen.push(answer);
      next = answer.location ? new URL(answer.location, next).href : null;
    }
    return seen;
  }
}

async function setUp(options: { attempts?: number; providers?: boolean } = {}) {
  const slack: FakeSlack = await startFakeSlack({
    botToken: SLACK_BOT,
    signingSecret: 'unused',
    users: [
      { id: 'U0ANN', name: 'ann', real_name: 'Ann Agent' },
      { id: 'U0OLGA', name: 'olga', real_name: 'Olga Outsider' },
    ],
    openId: SLACK,
  });
  cleanups.push(() => slack.stop());
  const owner = user({ id: ANN_DISCORD, username: 'ann' });
  const stranger = user({ id: STRANGER_DISCORD, username: 'stranger' });
  const discord: FakeDiscord = await startFakeDiscord({
    token: 'bot-token-unused',
    applicationId: DISCORD.clientId,
    guilds: [guild({ name: 'Community', owner, channels: [textChannel({ name: 'general' })], members: [member(owner), member(stranger)] })],
    oauth: DISCORD,
  });
  cleanups.push(() => discord.stop());
  const desk = await createTestDesk({ yaml: YAML });
  cleanups.push(() => desk.close());
  const env = {
    SLACK_CLIENT_ID: SLACK.clientId,
    SLACK_CLIENT_SECRET: SLACK.clientSecret,
    SLACK_API_URL: slack.apiUrl,
    SLACK_BOT_TOKEN: SLACK_BOT,
    DISCORD_APPLICATION_ID: DISCORD.clientId,
    DISCORD_CLIENT_SECRET: DISCORD.clientSecret,
    DISCORD_API_URL: discord.apiUrl,
  };
  const web = createWebServer({
    desk: desk.desk,
    secret: SECRET,
    secure: false,
    signInProviders: options.providers === false ? [] : signInProviders(env),
    ...(options.attempts ? { signInAttempts: options.attempts } : {}),
  });
  await new Promise<void>((resolve) => web.server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => web.close());
  const base = `http://127.0.0.1:${(web.server.address() as AddressInfo).port}`;
  return { slack, discord, desk, base };
}

describe('the sign-in page', () => {
  it('shows a button per configured platform, and none when nothing is configured', async () => {
    const { base } = await setUp();
    const page = await new Browser().get(`${base}/login`);
    expect(page.body).toContain('<a class="button primary" href="/login/slack">Sign in with Slack</a>');
    expect(page.body).toContain('<a class="button primary" href="/login/discord">Sign in with Discord</a>');

    const bare = await setUp({ providers: false });
    const plain = await new Browser().get(`${bare.base}/login`);
    expect(plain.status).toBe(200);
    expect(plain.body).not.toContain('Sign in with');
    expect(plain.body).toContain('tierdesk login-link PERSON');
    expect((await new Browser().get(`${bare.base}/login/slack`)).status).toBe(404);
  });
});

describe('Sign in with Slack', () => {
  it('round trip: consent at Slack, back with a code, signed in as the configured person with that Slack id', async () => {
    const { slack, base } = await setUp();
    slack.web.openId.consentAs('U0ANN');
    const browser = new Browser();

    const hops = await browser.follow(`${base}/login/slack`);

    expect(hops.map((h) => h.status)).toEqual([303, 302, 303, 200]);
    const authorize = new URL(hops[0]!.location!);
    expect(authorize.origin + authorize.pathname).toBe(new URL('/openid/connect/authorize', slack.apiUrl).href);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${base}/login/slack/callback`);
    expect(authorize.searchParams.get('scope')).toBe('openid profile');
    expect(hops[3]!.body).toContain('Ann Agent');
    // The code was exchanged with the app's credentials, and the user looked up with the user token it gave.
    expect(slack.web.calls('openid.connect.token')).toHaveLength(1);
    expect(slack.web.calls('openid.connect.userInfo')[0]!.token).toMatch(/^xoxp-/);
  });

  it('refuses a state this browser did not start: another browser cannot finish my sign-in', async () => {
    const { slack, base } = await setUp();
    slack.web.openId.consentAs('U0ANN');
    const mine = new Browser();
    const start = await mine.get(`${base}/login/slack`);
    const atSlack = await mine.get(start.location!);

    const attacker = new Browser();
    const hijack = await attacker.get(atSlack.location!);
    expect(hijack.status).toBe(400);
    expect(hijack.body).toContain('did not start in this browser');
    expect((await attacker.get(`${base}/`)).status).toBe(401);

    // A forged state with my cookie is refused too.
    const forged = new URL(atSlack.location!);
    forged.searchParams.set('state', `slack.${Date.now() + 60_000}.x.y`);
    expect((await mine.get(forged.href)).status).toBe(400);
  });

  it('a Slack account that is no configured person gets a clear page, and no session', async () => {
    const { slack, base } = await setUp();
    slack.web.openId.consentAs('U0OLGA');
    const browser = new Browser();
    const hops = await browser.follow(`${base}/login/slack`);
    const last = hops.at(-1)!;
    expect(last.status).toBe(403);
    expect(last.body).toContain(
      'Your Slack account (U0OLGA) is not a person tierdesk knows: ask an administrator to add it under people in tierdesk.yaml.',
    );
    expect((await browser.get(`${base}/`)).status).toBe(401);
  });

  it("asks Slack for the served workspace, and refuses another workspace's account with a clear page (its user ids mean nobody here)", async () => {
    const { slack, base } = await setUp();
    slack.web.openId.consentAs('U0ANN', { id: 'T0ELSEWHERE', name: 'Elsewhere' }); // the same id, in another workspace
    const browser = new Browser();
    const hops = await browser.follow(`${base}/login/slack`);

    expect(new URL(hops[0]!.location!).searchParams.get('team')).toBe(slack.web.workspace.team.teamId);
    expect(slack.web.openId.lastTeamAsked).toBe(slack.web.workspace.team.teamId);
    const last = hops.at(-1)!;
    expect(last.status).toBe(401);
    expect(last.body).toContain('That Slack account is in another workspace (Elsewhere) than the one this help desk serves');
    expect((await browser.get(`${base}/`)).status).toBe(401);
    // The workspace was asked once (auth.test), not at every sign-in.
    await new Browser().follow(`${base}/login/slack`);
    expect(slack.web.calls('auth.test')).toHaveLength(1);
  });

  it('cancelling at Slack says so', async () => {
    const { slack, base } = await setUp();
    slack.web.openId.consentAs(undefined);
    const hops = await new Browser().follow(`${base}/login/slack`);
    expect(hops.at(-1)!.status).toBe(401);
    expect(hops.at(-1)!.body).toContain('Signing in with Slack was cancelled');
  });

  it('failed attempts are limited per client, like one-time links', async () => {
    const { slack, base } = await setUp({ attempts: 2 });
    slack.web.openId.consentAs('U0OLGA');
    for (let i = 0; i < 2; i++) expect((await new Browser().follow(`${base}/login/slack`)).at(-1)!.status).toBe(403);
    const blocked = await new Browser().get(`${base}/login/slack`);
    expect(blocked.status).toBe(429);
    expect(blocked.body).toContain('Too many sign-in attempts');
  });
});

describe('Sign in with Discord', () => {
  it('round trip: consent at Discord, back with a code, signed in as the person with that Discord id', async () => {
    const { discord, base } = await setUp();
    discord.oauth.consentAs(ANN_DISCORD);
    const browser = new Browser();

    const hops = await browser.follow(`${base}/login/discord`);

    expect(hops.map((h) => h.status)).toEqual([303, 302, 303, 200]);
    const authorize = new URL(hops[0]!.location!);
    expect(authorize.searchParams.get('client_id')).toBe(DISCORD.clientId);
    expect(authorize.searchParams.get('scope')).toBe('identify');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${base}/login/discord/callback`);
    expect(hops[3]!.body).toContain('Ann Agent');
    expect(discord.rest.calls('POST /oauth2/token')).toHaveLength(1);
    expect(discord.rest.calls((c) => decodeURIComponent(c.path) === '/users/@me' && c.auth === 'bearer')).toHaveLength(1);
  });

  it('a token Discord refuses at /users/@me (401) is a sign-in to start again, not an outage', async () => {
    const { discord, base } = await setUp();
    discord.oauth.consentAs(ANN_DISCORD);
    discord.rest.failNext((c) => decodeURIComponent(c.path) === '/users/@me' && c.auth === 'bearer', {
      status: 401,
      code: 0,
      message: '401: Unauthorized',
    });
    const browser = new Browser();
    const last = (await browser.follow(`${base}/login/discord`)).at(-1)!;
    expect(last.status).toBe(401);
    expect(last.body).toContain('Discord refused the sign-in');
    expect(last.body).toContain('start again from the sign-in page');
    expect((await browser.get(`${base}/`)).status).toBe(401);
  });

  it('a Discord account nobody configured is told so', async () => {
    const { discord, base } = await setUp();
    discord.oauth.consentAs(STRANGER_DISCORD);
    const last = (await new Browser().follow(`${base}/login/discord`)).at(-1)!;
    expect(last.status).toBe(403);
    expect(last.body).toContain(`Your Discord account (${STRANGER_DISCORD}) is not a person tierdesk knows`);
  });
});
