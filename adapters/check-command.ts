/**
 * `tierdesk check [--online]`: the configuration's summary, then, online, each configured platform's
 * checks by its adapter. Here rather than in src/cli.ts because it is where both adapters meet.
 */
import type { Config } from '../src/config/config.js';
import { printChecks, referencesOf } from '../src/cli/check-online.js';
import { redactUrl } from '../src/store/dialect.js';
import { checkDiscordOnline } from './discord/online-check.js';
import { checkSlackOnline } from './slack/online-check.js';

/** Resolves with the exit code: 1 when an online check failed. */
export async function checkCommand(config: Config, online: boolean, say: (text: string) => void): Promise<number> {
  say(`${config.source}: OK (${config.tiers.length} tiers, ${config.people.length} people, database ${redactUrl(config.database.url)})`);
  if (!online) return 0;
  const { slack, discord } = config.secrets;
  if (!slack && !discord) return (say('No Slack or Discord token is set: nothing to check online.'), 0);
  const lines = [
    ...(slack ? await checkSlackOnline(slack, referencesOf(config, 'slack')) : []),
    ...(discord ? await checkDiscordOnline(discord, config.discord.guilds, referencesOf(config, 'discord')) : []),
  ];
  return printChecks(lines, say);
}
