/** Which platforms run (their credentials are set), and whether every tier has somewhere to post on them. */
import type { Config, TierConfig } from './config.js';
import type { Bad } from './fields.js';

const PLATFORMS = [
  { platform: 'slack', variable: 'SLACK_BOT_TOKEN', example: 'C0123ABCD' },
  { platform: 'discord', variable: 'DISCORD_TOKEN', example: '"200000000000000001"' },
] as const;

/**
 * With platform credentials set, the console does not run, so a tier's agent cards can only reach a
 * platform channel: a tier with none on any running platform would queue its cards forever. `check`
 * and `start` both refuse it, naming what to set.
 */
export function platformProblems(tiers: readonly TierConfig[], secrets: Config['secrets'], bad: Bad): void {
  const running = PLATFORMS.filter((p) => secrets[p.platform] !== undefined);
  if (running.length === 0 || tiers.length === 0) return;
  const reaches = (t: TierConfig) => running.some((p) => t.channels[p.platform] !== undefined);
  if (!tiers.some(reaches)) {
    for (const p of running)
      bad(
        p.variable,
        `is set, but no tier has a ${p.platform === 'slack' ? 'Slack' : 'Discord'} channel, so agent cards would never be delivered: ` +
          `set tiers[].channels.${p.platform} (a channel id such as ${p.example}) for every tier, or unset ${p.variable} to use the console`,
      );
    return;
  }
  tiers.forEach((t, i) => {
    if (reaches(t)) return;
    const names = running.map((p) => `channels.${p.platform}`).join(' or ');
    bad(`tiers[${i}].channels`, `tier ${t.id} has no ${names}, so its agent cards would never be delivered: set ${names}`);
  });
}
