/**
 * Neutral cards → Discord messages: an embed and rows of buttons. Discord's limits are respected
 * (embed description 4,096, 25 fields of 1,024, 5 rows of 5 buttons, custom ids of 100), long text
 * cut with a pointer to the rest. Mentions never ping unless tierdesk means them: every message is
 * sent with `allowedMentions: { parse: [] }`, and a card's `ping` (role ids: the helper role) is the
 * only exception, as `<@&ID>` in the content with exactly those roles allowed.
 */
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder, type MessageCreateOptions } from 'discord.js';
import type { Card, CardField } from '../../src/ports.js';

export const LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  rows: 5,
  perRow: 5,
  customId: 100,
  label: 80,
} as const;

export function cut(text: string, max: number, rest = 'the rest is in /ticket show'): string {
  if (text.length <= max) return text;
  const note = `… (cut: ${rest})`;
  return text.slice(0, max - note.length) + note;
}

const COLOURS: Record<NonNullable<Card['tone']>, number> = { info: 0x5865f2, public: 0x57f287, note: 0x99aab5, warning: 0xfee75c, success: 0x3ba55d };
const UTC_INSTANT = /\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/;

/** A field's value with its instant as a Discord timestamp, which each reader sees in their own zone. */
export function fieldValue(field: CardField): string {
  if (field.instant === undefined) return field.value;
  const token = `<t:${Math.floor(field.instant / 1000)}:f>`;
  return UTC_INSTANT.test(field.value) ? field.value.replace(UTC_INSTANT, token) : `${field.value} (${token})`;
}

/** The custom id of a card button: `tierdesk:<action>:<value>`. */
export function buttonId(action: string, value: string): string {
  return `tierdesk:${action}:${value}`.slice(0, LIMITS.customId);
}

/** The message for a card. */
export function renderCard(card: Card, rest?: string): MessageCreateOptions & { content?: string } {
  const embed = new EmbedBuilder().setTitle(cut(card.title, LIMITS.title, rest)).setColor(COLOURS[card.tone ?? 'info']);
  if (card.text) embed.setDescription(cut(card.text, LIMITS.description, rest));
  const fields = (card.fields ?? []).slice(0, LIMITS.fields);
  if (fields.length > 0)
    embed.addFields(
      fields.map((f) => ({
        name: cut(f.label, LIMITS.fieldName),
        value: cut(fieldValue(f), LIMITS.fieldValue, rest) || '-',
        inline: f.value.length < 40,
      })),
    );
  const footer = [card.tone === 'note' ? '🔒 Internal note: agents only, never shown to the requester' : undefined, card.context]
    .filter(Boolean)
    .join(' · ');
  if (footer) embed.setFooter({ text: cut(footer, LIMITS.footer) });
  const rows: Array<ActionRowBuilder<ButtonBuilder>> = [];
  const buttons = (card.buttons ?? []).slice(0, LIMITS.rows * LIMITS.perRow);
  for (let i = 0; i < buttons.length; i += LIMITS.perRow) {
    rows.push(
      new ActionRowBuilder<ButtonBuilder>().addComponents(
        buttons.slice(i, i + LIMITS.perRow).map((b) =>
          new ButtonBuilder()
            .setCustomId(buttonId(b.action, b.value))
            .setLabel(cut(b.label, LIMITS.label))
            .setStyle(b.style === 'danger' ? ButtonStyle.Danger : b.style === 'primary' ? ButtonStyle.Primary : ButtonStyle.Secondary),
        ),
      ),
    );
  }
  const ping = pingedRoles(card);
  if (ping.length === 0) return { embeds: [embed], components: rows, allowedMentions: { parse: [] } };
  return { content: ping.map((id) => `<@&${id}>`).join(' '), embeds: [embed], components: rows, allowedMentions: { parse: [], roles: ping } };
}

/** The role ids a card deliberately pings: snowflakes only (nothing else can become markup), at most 100 as Discord allows. */
export function pingedRoles(card: Pick<Card, 'ping'>): string[] {
  return [...new Set((card.ping ?? []).filter((id) => /^\d{15,21}$/.test(id)))].slice(0, 100);
}
