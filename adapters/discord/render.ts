/**
 * Neutral cards → Discord messages: an embed and rows of buttons. Discord's limits are respected
 * (embed description 4,096, 25 fields of 1,024, 5 rows of 5 buttons, custom ids of 100), long text
 * cut with a pointer to the rest. Mentions never ping unless tierdesk means them: every message is
 * sent with `allowedMentions: { parse: [] }`, and a card's `ping` (role ids: the helper role) is the
 * only exception, as `<@&ID>` in the content with exactly those roles allowed.
 */
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIEmbedField,
  type MessageMentionOptions,
} from 'discord.js';
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

/** A card as Discord's message JSON: one embed, rows of buttons, and who may be pinged. */
export interface RenderedCard {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponentWithCustomId>[];
  allowedMentions: MessageMentionOptions;
}

/**
 * The message for a card, as Discord's JSON. Written out rather than through discord.js's builders,
 * which check every value again (and build an error for each branch of a check that does not match):
 * the limits are kept here, by cutting, for every card posted, edited or shown in an answer.
 */
export function renderCard(card: Card, rest?: string): RenderedCard {
  const embed: APIEmbed = { title: cut(card.title, LIMITS.title, rest), color: COLOURS[card.tone ?? 'info'] };
  if (card.text) embed.description = cut(card.text, LIMITS.description, rest);
  const fields = (card.fields ?? []).slice(0, LIMITS.fields);
  if (fields.length > 0)
    embed.fields = fields.map((f): APIEmbedField => ({
      name: cut(f.label, LIMITS.fieldName),
      value: cut(fieldValue(f), LIMITS.fieldValue, rest) || '-',
      inline: f.value.length < 40,
    }));
  const footer = [card.tone === 'note' ? '🔒 Internal note: agents only, never shown to the requester' : undefined, card.context]
    .filter(Boolean)
    .join(' · ');
  if (footer) embed.footer = { text: cut(footer, LIMITS.footer) };
  const rows: RenderedCard['components'] = [];
  const buttons = (card.buttons ?? []).slice(0, LIMITS.rows * LIMITS.perRow);
  for (let i = 0; i < buttons.length; i += LIMITS.perRow) {
    rows.push({
      type: ComponentType.ActionRow,
      components: buttons.slice(i, i + LIMITS.perRow).map((b) => ({
        type: ComponentType.Button,
        custom_id: buttonId(b.action, b.value),
        label: cut(b.label, LIMITS.label),
        style: b.style === 'danger' ? ButtonStyle.Danger : b.style === 'primary' ? ButtonStyle.Primary : ButtonStyle.Secondary,
      })),
    });
  }
  const ping = pingedRoles(card);
  if (ping.length === 0) return { embeds: [embed], components: rows, allowedMentions: { parse: [] } };
  return { content: ping.map((id) => `<@&${id}>`).join(' '), embeds: [embed], components: rows, allowedMentions: { parse: [], roles: ping } };
}

/** The role ids a card deliberately pings: snowflakes only (nothing else can become markup), at most 100 as Discord allows. */
export function pingedRoles(card: Pick<Card, 'ping'>): string[] {
  return [...new Set((card.ping ?? []).filter((id) => /^\d{15,21}$/.test(id)))].slice(0, 100);
}
