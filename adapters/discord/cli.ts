/** `tierdesk discord register|panel`: one-off operations against Discord's REST API. */
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder, REST, Routes } from 'discord.js';
import { one, type Args } from '../../src/cli/args.js';
import type { Config } from '../../src/config/config.js';
import type { Surface } from '../../src/surface.js';
import { applicationCommands } from './commands.js';

type Say = (text: string) => void;

function rest(config: Config): { rest: REST; applicationId: string } | string {
  const secrets = config.secrets.discord;
  if (!secrets) return 'set DISCORD_TOKEN and DISCORD_APPLICATION_ID first';
  const client = new REST({ ...(secrets.apiUrl ? { api: secrets.apiUrl } : {}) }).setToken(secrets.token);
  return { rest: client, applicationId: secrets.applicationId };
}

/** How a command is named to people: `/ticket`, or `"Mark as solution" (message command)`. */
function shownName(c: { name: string; type?: number }): string {
  return (c.type ?? 1) === 1 ? `/${c.name}` : `"${c.name}" (${c.type === 3 ? 'message' : 'user'} command)`;
}

/**
 * Register every command the catalogue offers on Discord (`/ticket`, `/oncall`, `/ask`, `/helpers`,
 * `/kb`, `/help`, the message command "Mark as solution") by bulk overwrite: in one guild (changes show at once; for testing) or globally (for
 * production). Prints what was added, changed and removed. `surface` is the catalogue's Discord surface.
 */
export async function discordCommand(args: Args, config: Config, surface: Surface, say: Say, complain: Say): Promise<number> {
  const sub = args.rest[0];
  const r = rest(config);
  if (typeof r === 'string') return (complain(`tierdesk discord: ${r}`), 2);
  try {
    if (sub === 'register') {
      const guild = one(args, 'guild');
      if (guild !== undefined && !/^\d{15,21}$/.test(guild))
        return (complain(`tierdesk discord register: --guild ${JSON.stringify(guild)} is not a guild id`), 2);
      const route = guild ? Routes.applicationGuildCommands(r.applicationId, guild) : Routes.applicationCommands(r.applicationId);
      const before = (await r.rest.get(route)) as Array<{ name: string; type?: number; description: string; options?: unknown }>;
      const wanted = applicationCommands(surface);
      await r.rest.put(route, { body: wanted });
      const lines: string[] = [];
      const same = (a: { name: string; type?: number }, b: { name: string; type?: number }) => a.name === b.name && (a.type ?? 1) === (b.type ?? 1);
      for (const c of wanted) {
        const old = before.find((b) => same(b, c));
        const description = 'description' in c ? c.description : '';
        const options = 'options' in c ? c.options : undefined;
        const unchanged =
          old && JSON.stringify(old.options ?? []) === JSON.stringify(options ?? []) && (old.description ?? '') === (description ?? '');
        lines.push(`${!old ? 'added' : unchanged ? 'unchanged' : 'updated'} ${shownName(c)}`);
      }
      for (const b of before) if (!wanted.some((c) => same(b, c))) lines.push(`removed ${shownName(b)}`);
      say(`${lines.join('\n')}\n(${guild ? `guild ${guild}` : 'global: may take up to an hour to show everywhere'})`);
      return 0;
    }
    if (sub === 'panel') {
      const channel = args.rest[1];
      if (!channel || !/^\d{15,21}$/.test(channel)) return (complain('Usage: tierdesk discord panel CHANNEL_ID'), 2);
      const embed = new EmbedBuilder()
        .setTitle('Need help?')
        .setDescription('Open a ticket and our team will answer you in a private thread.')
        .setColor(0x5865f2);
      const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder().setCustomId('tierdesk:panel').setLabel('Open a ticket').setStyle(ButtonStyle.Primary),
      );
      const sent = (await r.rest.post(Routes.channelMessages(channel), {
        body: { embeds: [embed.toJSON()], components: [row.toJSON()], allowed_mentions: { parse: [] } },
      })) as { id: string };
      say(`posted the panel in ${channel} (message ${sent.id})`);
      return 0;
    }
    complain('Usage: tierdesk discord register [--guild ID] | tierdesk discord panel CHANNEL_ID');
    return 2;
  } catch (err) {
    complain(`tierdesk discord: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
