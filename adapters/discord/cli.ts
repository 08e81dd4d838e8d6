/** `tierdesk discord register|panel`: one-off operations against Discord's REST API. */
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder, REST, Routes } from 'discord.js';
import { one, type Args } from '../../src/cli-args.js';
import type { Config } from '../../src/config.js';
import { ticketCommand } from './commands.js';

type Say = (text: string) => void;

function rest(config: Config): { rest: REST; applicationId: string } | string {
  const secrets = config.secrets.discord;
  if (!secrets) return 'set DISCORD_TOKEN and DISCORD_APPLICATION_ID first';
  const client = new REST({ ...(secrets.apiUrl ? { api: secrets.apiUrl } : {}) }).setToken(secrets.token);
  return { rest: client, applicationId: secrets.applicationId };
}

/**
 * Register `/ticket` by bulk overwrite: in one guild (changes show at once; for testing) or
 * globally (for production). Prints what was added, changed and removed.
 */
export async function discordCommand(args: Args, config: Config, say: Say, complain: Say): Promise<number> {
  const sub = args.rest[0];
  const r = rest(config);
  if (typeof r === 'string') return complain(`tierdesk discord: ${r}`), 2;
  try {
    if (sub === 'register') {
      const guild = one(args, 'guild');
      if (guild !== undefined && !/^\d{15,21}$/.test(guild)) return complain(`tierdesk discord register: --guild ${JSON.stringify(guild)} is not a guild id`), 2;
      const route = guild ? Routes.applicationGuildCommands(r.applicationId, guild) : Routes.applicationCommands(r.applicationId);
      const before = (await r.rest.get(route)) as Array<{ name: string; description: string; options?: unknown }>;
      const wanted = [ticketCommand(config.tiers.map((t) => ({ id: t.id, name: t.name })))];
      await r.rest.put(route, { body: wanted });
      const lines: string[] = [];
      for (const c of wanted) {
        const old = before.find((b) => b.name === c.name);
        lines.push(!old ? `added /${c.name}` : JSON.stringify(old.options ?? []) === JSON.stringify(c.options ?? []) && old.description === c.description ? `unchanged /${c.name}` : `updated /${c.name}`);
      }
      for (const b of before) if (!wanted.some((c) => c.name === b.name)) lines.push(`removed /${b.name}`);
      say(`${lines.join('\n')}\n(${guild ? `guild ${guild}` : 'global: may take up to an hour to show everywhere'})`);
      return 0;
    }
    if (sub === 'panel') {
      const channel = args.rest[1];
      if (!channel || !/^\d{15,21}$/.test(channel)) return complain('Usage: tierdesk discord panel CHANNEL_ID'), 2;
      const embed = new EmbedBuilder().setTitle('Need help?').setDescription('Open a ticket and our team will answer you in a private thread.').setColor(0x5865f2);
      const row = new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId('tierdesk:panel').setLabel('Open a ticket').setStyle(ButtonStyle.Primary));
      const sent = (await r.rest.post(Routes.channelMessages(channel), { body: { embeds: [embed.toJSON()], components: [row.toJSON()], allowed_mentions: { parse: [] } } })) as { id: string };
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
