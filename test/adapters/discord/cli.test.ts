import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discordCommand } from '../../../adapters/discord/cli.js';
import { createCatalogue } from '../../../src/capabilities/index.js';
import { parseArgs } from '../../../src/cli/parse.js';
import { loadConfig } from '../../../src/config/config.js';
import { inputsOf, modalShown, sendPress, submit } from './interactions.js';
import {
  APP,
  community,
  DISCORD_YAML,
  l1Desk,
  registration,
  requester,
  startDiscordDesk,
  support,
  ticketRow,
  TOKEN,
  type DiscordDesk,
} from './support.js';

// `tierdesk discord register [--guild ID]` and `tierdesk discord panel CHANNEL`, against the fake
// Discord (DISCORD_API_URL points the REST client at it), while the desk runs.

let t: DiscordDesk;
beforeEach(async () => {
  t = await startDiscordDesk();
});
afterEach(async () => {
  await t.close();
});

const GUILD_COMMANDS = 'PUT /applications/:app/guilds/:guild/commands';
/** The commands the catalogue offers on Discord after /ticket, as `register` reports them. */
const others = (verb: string) =>
  ['/oncall', '/ask', '/helpers', '/kb', '/products', '/consult', '/help', '"Mark as solution" (message command)']
    .map((c) => `${verb} ${c}`)
    .join('\n');
const NAMES = ['ticket', 'oncall', 'ask', 'helpers', 'kb', 'products', 'consult', 'help', 'Mark as solution'];

/** Runs `tierdesk <argv>` with the Discord credentials in the environment; returns its exit code and output. */
async function tierdesk(
  argv: string[],
  yaml = DISCORD_YAML,
  env: NodeJS.ProcessEnv = { DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: APP, DISCORD_API_URL: t.discord.apiUrl },
) {
  const config = loadConfig({ text: yaml, env });
  const out: string[] = [];
  const err: string[] = [];
  const code = await discordCommand(
    parseArgs(argv),
    config,
    createCatalogue().surface('discord', config),
    (s) => out.push(s),
    (s) => err.push(s),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('tierdesk discord register', () => {
  it("--guild: bulk-overwrites the guild's commands with /ticket and says it was added; again: unchanged", async () => {
    const first = await tierdesk(['discord', 'register', '--guild', community.id]);

    expect(first).toEqual({ code: 0, out: `added /ticket\n${others('added')}\n(guild ${community.id})`, err: '' });
    const [put] = t.discord.rest.calls(GUILD_COMMANDS);
    expect(put).toMatchObject({ status: 200, auth: 'bot', params: { app: APP, guild: community.id } });
    expect(put?.body).toEqual(JSON.parse(JSON.stringify(registration(t.config))));
    expect(t.discord.world.commands.get(community.id)?.map((c) => c.name)).toEqual(NAMES);

    const second = await tierdesk(['discord', 'register', '--guild', community.id]);
    expect(second.out).toBe(`unchanged /ticket\n${others('unchanged')}\n(guild ${community.id})`);
    expect(t.discord.rest.calls(GUILD_COMMANDS)).toHaveLength(2); // a bulk overwrite is idempotent
  });

  it('a changed definition (a new tier to choose from) is reported as updated', async () => {
    await tierdesk(['discord', 'register', '--guild', community.id]);
    const withL3 = DISCORD_YAML.replace(
      'discord:\n',
      '  - { id: L3, name: Specialists, agents: [bob], channels: { discord: "200000000000000077" } }\ndiscord:\n',
    );

    const changed = await tierdesk(['discord', 'register', '--guild', community.id], withL3);

    expect(changed.out).toBe(`updated /ticket\n${others('unchanged')}\n(guild ${community.id})`);
    const saved = t.discord.world.commands.get(community.id)?.[0] as {
      options: Array<{ name: string; options?: Array<{ name: string; choices?: Array<{ value: string }> }> }>;
    };
    const to = saved.options.find((o) => o.name === 'escalate')?.options?.find((o) => o.name === 'to');
    expect(to?.choices?.map((c) => c.value)).toEqual(['L1', 'L2', 'L3']);
  });

  it('reports a removed command by name', async () => {
    t.discord.world.commands.set(community.id, [{ id: '1', name: 'oldcmd', description: 'from an older version', type: 1 }]);

    const run = await tierdesk(['discord', 'register', '--guild', community.id]);

    expect(run.out).toBe(`added /ticket\n${others('added')}\nremoved /oldcmd\n(guild ${community.id})`);
  });

  it('without --guild: registers globally and says it takes a while', async () => {
    const run = await tierdesk(['discord', 'register']);

    expect(run.code).toBe(0);
    expect(run.out).toBe(`added /ticket\n${others('added')}\n(global: may take up to an hour to show everywhere)`);
    expect(t.discord.rest.calls('PUT /applications/:app/commands')).toHaveLength(1);
    expect(t.discord.world.commands.get('global')?.map((c) => c.name)).toEqual(NAMES);
  });

  it('refuses a guild that is not an id, and runs nothing without credentials', async () => {
    const bad = await tierdesk(['discord', 'register', '--guild', 'my-server']);
    const none = await tierdesk(['discord', 'register'], DISCORD_YAML, {});

    expect(bad).toMatchObject({ code: 2, err: 'tierdesk discord register: --guild "my-server" is not a guild id' });
    expect(none).toMatchObject({ code: 2, err: 'tierdesk discord: set DISCORD_TOKEN and DISCORD_APPLICATION_ID first' });
    expect(t.discord.rest.calls((c) => c.route.includes('/commands'))).toEqual([]);
  });

  it('a wrong token is reported, not thrown', async () => {
    const run = await tierdesk(['discord', 'register'], DISCORD_YAML, {
      DISCORD_TOKEN: 'wrong',
      DISCORD_APPLICATION_ID: APP,
      DISCORD_API_URL: t.discord.apiUrl,
    });

    expect(run.code).toBe(1);
    expect(run.err).toMatch(/^tierdesk discord: .*401/);
  });
});

describe('tierdesk discord panel', () => {
  it('posts an "Open a ticket" panel that pings nobody; its button opens the intake form, which opens a ticket', async () => {
    const run = await tierdesk(['discord', 'panel', support.id]);

    const [panel] = t.discord.world.messagesIn(support.id);
    expect(run).toEqual({ code: 0, out: `posted the panel in ${support.id} (message ${panel?.id})`, err: '' });
    expect(panel?.embeds[0]?.title).toBe('Need help?');
    expect(t.discord.rest.calls('POST /channels/:channel/messages')[0]?.body).toMatchObject({ allowed_mentions: { parse: [] } });

    const { payload, message } = await sendPress(t, requester, { channel: support.id, id: panel!.id }, 'panel');
    const form = await modalShown(t, payload, message);
    // The panel's button is the twin of /ticket new: the core answers with the new-ticket form.
    expect(form.custom_id).toBe('tierdesk:form:ticket:sub=new');
    expect([...inputsOf(form).keys()]).toContain('title');
    const opened = await submit(t, requester, support.id, form, { title: 'Printer on fire', urgency: 'high' });

    expect(opened.text).toMatch(/^Ticket #1 opened \(P2, Help desk\)/);
    expect(await ticketRow(t, 1)).toMatchObject({ title: 'Printer on fire', requester_id: requester.id });
    expect(t.discord.world.messagesIn(l1Desk.id)).toHaveLength(1);
  });

  it('needs a channel id', async () => {
    const run = await tierdesk(['discord', 'panel', '#support']);

    expect(run).toMatchObject({ code: 2, err: 'Usage: tierdesk discord panel CHANNEL_ID' });
  });

  it('an unknown sub-command is refused by the command line, naming the ones there are', () => {
    expect(() => parseArgs(['discord', 'frobnicate'])).toThrow('Unknown command "tierdesk discord frobnicate". Sub-commands: register, panel.');
  });
});
