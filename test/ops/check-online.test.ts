import { createServer } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { main } from '../../src/cli.js';
import { guild, member, role, startFakeDiscord, textChannel, user } from '../fakes/discord/index.js';
import { BOT_PERMISSIONS } from '../fakes/discord/world.js';
import { FULL_BOT_SCOPES, startFakeSlack } from '../fakes/slack-api/index.js';

// `tierdesk check --online` against the fakes: the real WebClient and discord.js REST, pointed at them
// through SLACK_API_URL and DISCORD_API_URL as an operator would point them anywhere.

const SLACK_TOKEN = 'xoxb-check-online-secret';
const DISCORD_TOKEN = 'discord-check-online-secret';
const APP = '900000000000000077';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function check(yaml: string, env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'tierdesk-online-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'tierdesk.yaml'), yaml);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await main({
    argv: ['check', '--online', '--config', join(dir, 'tierdesk.yaml')],
    env: { DATABASE_URL: ':memory:', ...env },
    stdin: new PassThrough(),
    stdout,
    stderr,
  });
  return { code, out, err };
}

/** The lines after the offline "OK" line. */
const checks = (out: string) => out.trim().split('\n').slice(1);

describe('check --online against Slack', () => {
  const YAML = `
people:
  ann: { name: Ann Agent, slack: U0ANN }
tiers:
  - { id: L1, name: Help desk, agents: [ann], slack_usergroup: S0DESK, channels: { slack: C0L1DESK } }
  - { id: L2, name: Second level, agents: [ann], channels: { slack: C0L2DESK } }
slack:
  reaction_channels: [C0GENERAL]
`;

  async function fakeSlack(scopes?: readonly string[]) {
    const slack = await startFakeSlack({
      botToken: SLACK_TOKEN,
      signingSecret: 'signing-secret',
      users: [{ id: 'U0ANN', name: 'ann' }],
      usergroups: { S0DESK: ['U0ANN'] },
      ...(scopes ? { scopes } : {}),
    });
    stops.push(() => slack.stop());
    const env = { SLACK_BOT_TOKEN: SLACK_TOKEN, SLACK_SIGNING_SECRET: 'signing-secret', SLACK_API_URL: slack.apiUrl };
    return { slack, env };
  }

  it('all good: one ✓ line per check, exit 0', async () => {
    const { env } = await fakeSlack();
    const result = await check(YAML, env);

    expect(result.err).toBe('');
    expect(checks(result.out)).toEqual([
      '✓ Slack: the bot token works (@tierdesk in Tierdesk Fake)',
      `✓ Slack: the token has every scope tierdesk asks for (${FULL_BOT_SCOPES.length})`,
      '✓ Slack: the bot is in C0L1DESK (tier L1)',
      '✓ Slack: the bot is in C0L2DESK (tier L2)',
      '✓ Slack: the bot is in C0GENERAL (slack.reaction_channels)',
      '✓ Slack: user group @s0desk (S0DESK, tier L1) exists',
    ]);
    expect(result.code).toBe(0);
  });

  it('the bot not in a channel, a scope missing, a user group gone: the right ✗ lines with their fix, exit 1', async () => {
    const { slack, env } = await fakeSlack(FULL_BOT_SCOPES.filter((s) => s !== 'usergroups:write'));
    slack.web.workspace.removeBot('C0L2DESK');
    slack.web.workspace.usergroups.delete('S0DESK');
    const result = await check(YAML, env);

    expect(checks(result.out)).toEqual([
      '✓ Slack: the bot token works (@tierdesk in Tierdesk Fake)',
      '✗ Slack: the token lacks scope usergroups:write: add usergroups:write under OAuth & Permissions → Bot Token Scopes and reinstall the app',
      '✓ Slack: the bot is in C0L1DESK (tier L1)',
      '✗ Slack: the bot is not in C0L2DESK (tier L2): invite it with /invite @tierdesk in that channel',
      '✓ Slack: the bot is in C0GENERAL (slack.reaction_channels)',
      "✗ Slack: user group S0DESK (tier L1) does not exist in this workspace: check the id (People → User groups, the id is in the group's link)",
    ]);
    expect(result.code).toBe(1);
  });

  it('a refused token is one ✗ line naming the variable, never the token', async () => {
    const { env } = await fakeSlack();
    const result = await check(YAML, { ...env, SLACK_BOT_TOKEN: 'xoxb-revoked-or-mistyped' });

    expect(checks(result.out)).toEqual([
      '✗ Slack: SLACK_BOT_TOKEN is refused (invalid_auth): copy the Bot User OAuth Token (xoxb-…) again from OAuth & Permissions',
    ]);
    expect(result.code).toBe(1);
    expect(result.out + result.err).not.toContain('xoxb-revoked');
  });
});

describe('check --online against Discord', () => {
  const bot = user({ id: APP, username: 'tierdesk', bot: true });
  const agents = role({ id: '300000000000000077', name: 'L1 agents' });
  const support = textChannel({ id: '200000000000000070', name: 'support' });
  const l1 = textChannel({ id: '200000000000000071', name: 'l1-desk' });
  const owner = user({ id: '100000000000000070', username: 'olga' });
  const server = guild({ id: '400000000000000077', name: 'Community', owner, roles: [agents], channels: [support, l1], members: [member(owner)] });
  const YAML = `
people:
  ann: { name: Ann Agent, discord: "100000000000000071" }
tiers:
  - { id: L1, name: Help desk, agents: [ann], discord_role: "${agents.id}", channels: { discord: "${l1.id}" } }
discord:
  guilds: ["${server.id}"]
  tickets_channel: "${support.id}"
`;

  async function fakeDiscord(botPermissions?: bigint, guilds = [server]) {
    const discord = await startFakeDiscord({
      token: DISCORD_TOKEN,
      applicationId: APP,
      bot,
      guilds,
      ...(botPermissions !== undefined ? { botPermissions } : {}),
    });
    stops.push(() => discord.stop());
    return { discord, env: { DISCORD_TOKEN, DISCORD_APPLICATION_ID: APP, DISCORD_API_URL: discord.apiUrl } };
  }

  it('all good: exit 0', async () => {
    const { env } = await fakeDiscord();
    const result = await check(YAML, env);

    expect(checks(result.out)).toEqual([
      `✓ Discord: the bot token works (bot tierdesk, id ${APP})`,
      `✓ Discord: the bot is in server "Community" (${server.id})`,
      `✓ Discord: the bot can do what tierdesk needs in #l1-desk (${l1.id}, tier L1)`,
      `✓ Discord: the bot can do what tierdesk needs in #support (${support.id}, discord.tickets_channel)`,
      `✓ Discord: role @L1 agents (${agents.id}, tier L1) exists in "Community"`,
    ]);
    expect(result.code).toBe(0);
  });

  it('a permission missing, a channel gone, a role unknown: the ✗ lines say what to grant or fix, exit 1', async () => {
    const { env } = await fakeDiscord(BOT_PERMISSIONS & ~PermissionFlagsBits.ManageThreads & ~PermissionFlagsBits.CreatePrivateThreads);
    const gone = '200000000000000079';
    const yaml = YAML.replace(`discord: "${l1.id}"`, `discord: "${gone}"`).replace(agents.id, '300000000000000099');
    const result = await check(yaml, env);

    expect(checks(result.out)).toEqual([
      `✓ Discord: the bot token works (bot tierdesk, id ${APP})`,
      `✓ Discord: the bot is in server "Community" (${server.id})`,
      `✗ Discord: there is no channel ${gone}, tier L1: check the id`,
      `✗ Discord: in #support (${support.id}, discord.tickets_channel) the bot lacks Manage Threads, Create Private Threads: grant Manage Threads, Create Private Threads to its role (Server Settings → Roles) or in the channel's permissions`,
      '✗ Discord: role 300000000000000099 (tier L1) is in no configured server: check the id (Server Settings → Roles → Copy Role ID)',
    ]);
    expect(result.code).toBe(1);
  });

  it('a role tierdesk gives needs Manage Roles and the bot above it; cards need Embed Links in the tickets channel too', async () => {
    const handle = role({ id: '300000000000000078', name: 'L1 on call', position: 5 });
    const yaml = `${YAML.replace(
      `discord_role: "${agents.id}",`,
      `discord_role: "${agents.id}", oncall_schedule: rota, oncall_handle: { discord: "${handle.id}" },`,
    )}schedules:
  rota: { zone: UTC, layers: [ { name: all, users: [ann], start: "2024-06-03T09:00", turn: 1 week } ] }
`;
    const above = guild({ ...server, owner, roles: [agents, handle], channels: [support, l1], members: [member(owner)] });
    const ok = await fakeDiscord(undefined, [above]);
    expect(checks((await check(yaml, ok.env)).out)).toContain(`✓ Discord: the bot can give role @L1 on call (${handle.id}, tier L1 oncall_handle)`);

    const weak = await fakeDiscord(BOT_PERMISSIONS & ~PermissionFlagsBits.ManageRoles & ~PermissionFlagsBits.EmbedLinks, [above]);
    const lines = checks((await check(yaml, weak.env)).out);
    expect(lines).toContain(
      `✗ Discord: the bot cannot give role @L1 on call (${handle.id}, tier L1 oncall_handle): grant Manage Roles to its role (Server Settings → Roles)`,
    );
    expect(lines).toContain(
      `✗ Discord: in #support (${support.id}, discord.tickets_channel) the bot lacks Embed Links: grant Embed Links to its role (Server Settings → Roles) or in the channel's permissions`,
    );
    expect(lines).toContain(`✓ Discord: role @L1 agents (${agents.id}, tier L1) exists in "Community"`); // only read: no Manage Roles needed

    // The bot's role is made the lowest (as when it was never dragged up): Discord would refuse the PUT.
    const low = await fakeDiscord(undefined, [above]);
    const botRole = low.discord.world.guild(above.id).roles.find((r) => r.name === 'tierdesk')!;
    botRole.position = 1;
    expect(checks((await check(yaml, low.env)).out)).toContain(
      `✗ Discord: the bot cannot give role @L1 on call (${handle.id}, tier L1 oncall_handle): its highest role is not above it; drag the bot's role above @L1 on call (Server Settings → Roles)`,
    );
  });

  it('a bot that cannot see its channels, and a refused token', async () => {
    const { discord, env } = await fakeDiscord();
    // A channel whose overwrites hide it from the bot: Discord answers 403 Missing Access.
    discord.rest.failNext(`GET /channels/${l1.id}`, { status: 403, code: 50001, message: 'Missing Access' });
    const blind = await check(YAML, env);
    expect(checks(blind.out)).toContain(`✗ Discord: the bot cannot see channel ${l1.id}, tier L1: give its role View Channel there`);
    expect(blind.code).toBe(1);

    // A server where neither @everyone nor the bot's role may view channels: Discord's own 403.
    const closed = guild({ ...server, owner, roles: [agents], channels: [support, l1], members: [member(owner)], everyonePermissions: 0n });
    const hidden = await fakeDiscord(BOT_PERMISSIONS & ~PermissionFlagsBits.ViewChannel, [closed]);
    const none = await check(YAML, hidden.env);
    expect(checks(none.out)).toContain(
      `✗ Discord: the bot cannot see channel ${support.id}, discord.tickets_channel: give its role View Channel there`,
    );

    const refused = await check(YAML, { ...env, DISCORD_TOKEN: 'not-the-token' });
    expect(checks(refused.out)).toEqual([
      '✗ Discord: DISCORD_TOKEN is refused (401 401: Unauthorized): reset the token under Developer Portal → Bot and set DISCORD_TOKEN again',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.out + refused.err).not.toContain('not-the-token');
  });
});

describe('check --online when a platform cannot be reached', () => {
  it('says so in one line per platform, exit 1', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const yaml =
      'tiers: [{ id: L1, name: Help desk, channels: { slack: C0L1DESK } }]\ndiscord: { guilds: ["400000000000000077"], tickets_channel: "200000000000000070" }\n';
    const result = await check(yaml, {
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_SIGNING_SECRET: 'signing-secret',
      SLACK_API_URL: `http://127.0.0.1:${port}/api/`,
      DISCORD_TOKEN,
      DISCORD_APPLICATION_ID: APP,
      DISCORD_API_URL: `http://127.0.0.1:${port}/api`,
    });

    expect(result.err).toBe('');
    expect(checks(result.out)).toEqual([
      `✗ Slack: cannot reach http://127.0.0.1:${port}/api/ (ECONNREFUSED): check the network, a proxy, or SLACK_API_URL`,
      `✗ Discord: cannot reach http://127.0.0.1:${port}/api (ECONNREFUSED): check the network, a proxy, or DISCORD_API_URL`,
    ]);
    expect(result.code).toBe(1);
    expect(result.err).toBe('');
  });

  it('without any platform token there is nothing to check online', async () => {
    const result = await check('tiers: [{ id: L1, name: Help desk, channels: { console: l1 } }]\n', {});
    expect(checks(result.out)).toEqual(['No Slack or Discord token is set: nothing to check online.']);
    expect(result.code).toBe(0);
  });
});
