import { MessageFlags, type APIEmbed, type ChatInputCommandInteraction, type Interaction } from 'discord.js';
import { cut, renderCard } from './render.js';
import type { Inbound, Person, Reply } from '../../src/ports.js';
import { actionModal, NEW_TICKET_MODAL, newTicketModal } from './commands.js';
import type { DiscordAdapterOptions } from './discord-adapter.js';

export interface InteractionContext extends DiscordAdapterOptions {
  deliver: (event: Inbound) => Promise<Reply | void>;
  from: Person;
}

/** Buttons that need words first show a form. */
const NEEDS_TEXT = new Set(['escalate', 'resolve', 'reply']);

/** `/ticket <sub> ...` options → structured arguments (free text stays verbatim). */
export function commandArgs(i: ChatInputCommandInteraction): Record<string, string> {
  const o = i.options;
  const args: Record<string, string> = { sub: o.getSubcommand() };
  const n = o.getInteger('number');
  if (n !== null) args.number = String(n);
  const words = o.getString('text') ?? o.getString('reason') ?? o.getString('resolution');
  if (words !== null) args.text = words;
  for (const name of ['force', 'mine']) if (o.getBoolean(name) === true) args[name] = 'true';
  for (const name of ['to', 'tier', 'status', 'impact', 'urgency', 'priority', 'title', 'description', 'category', 'product', 'version']) {
    const v = o.getString(name);
    if (v !== null) args[name] = v;
  }
  return args;
}

/**
 * One interaction → one Inbound event. Discord wants an answer within 3 s: forms are shown at once;
 * everything else is answered at once when the core is quick, else deferred (ephemeral) and edited.
 * Errors and refusals are ephemeral; the interaction id is the idempotency key.
 */
export async function handleInteraction(interaction: Interaction, ctx: InteractionContext): Promise<void> {
  const guild = interaction.guildId ?? ''; // '' only for a button on a DM (a page)
  const base = { key: `discord:interaction:${interaction.id}`, at: interaction.createdTimestamp, from: ctx.from, place: { platform: 'discord' as const, space: guild, channel: interaction.channelId ?? guild } };

  if (interaction.isChatInputCommand() && interaction.commandName === 'ticket') {
    const sub = interaction.options.getSubcommand();
    if (sub === 'new' && !interaction.options.getString('title')) {
      await interaction.showModal(newTicketModal(ctx.defaults));
      return;
    }
    await answerSoon(interaction, ctx.deliver({ ...base, kind: 'command', name: 'ticket', args: commandArgs(interaction) }));
    return;
  }

  if (interaction.isModalSubmit()) {
    const id = interaction.customId;
    const value = (field: string) => {
      try {
        return interaction.fields.getTextInputValue(field);
      } catch {
        return '';
      }
    };
    if (id === NEW_TICKET_MODAL) {
      const args: Record<string, string> = { sub: 'new', title: value('title') };
      if (value('description').trim()) args.description = value('description');
      for (const f of ['urgency', 'impact']) if (value(f).trim()) args[f] = value(f).trim().toLowerCase();
      const product = value('product').trim();
      if (product) {
        const m = /^(.*?)\s+v?(\d[\w.-]*)$/.exec(product);
        if (m) Object.assign(args, { product: m[1]!, version: m[2]! });
        else args.product = product;
      }
      await answerSoon(interaction, ctx.deliver({ ...base, kind: 'command', name: 'ticket', args }));
      return;
    }
    const m = /^tierdesk:act:([a-z]+):(\d+)$/.exec(id);
    if (m) await answerSoon(interaction, ctx.deliver({ ...base, kind: 'action', action: m[1]!, value: m[2]!, text: value('text') }));
    return;
  }

  if (interaction.isButton()) {
    const m = /^tierdesk:([a-z]+):?(.*)$/.exec(interaction.customId);
    if (!m) return;
    const [, action, value] = m as unknown as [string, string, string];
    if (action === 'panel') {
      await interaction.showModal(newTicketModal(ctx.defaults));
      return;
    }
    if (NEEDS_TEXT.has(action)) {
      await interaction.showModal(actionModal(action, value.split(' ')[0] ?? ''));
      return;
    }
    await answerSoon(interaction, ctx.deliver({ ...base, kind: 'action', action, value, message: interaction.message.id }));
  }
}

interface Answerable {
  reply(o: { content: string; embeds?: APIEmbed[]; flags: MessageFlags.Ephemeral; allowedMentions: { parse: [] } }): Promise<unknown>;
  deferReply(o: { flags: MessageFlags.Ephemeral }): Promise<unknown>;
  editReply(o: { content: string; embeds?: APIEmbed[]; allowedMentions: { parse: [] } }): Promise<unknown>;
}

/** An answer as Discord shows it: a card as an embed (within its limits), plain text cut with a pointer. */
function answerBody(reply: Reply): { content: string; embeds?: APIEmbed[] } {
  if (reply.card) return { content: '', embeds: (renderCard(reply.card).embeds ?? []).map((e) => ('toJSON' in e ? (e as { toJSON(): APIEmbed }).toJSON() : (e as APIEmbed))) };
  return { content: cut(reply.text, 2000, 'see /ticket show') };
}

/**
 * Answer within Discord's 3 s: when the core answers within 1.5 s (nearly always) reply at once,
 * one request; otherwise defer (ephemeral) and edit the deferred reply when the answer comes.
 */
async function answerSoon(interaction: Answerable, work: Promise<Reply | void>): Promise<void> {
  const quick = await Promise.race([work.then((reply) => ({ reply })), deadline()]);
  if (quick) {
    // No reply means the core saw this interaction before (a redelivery): it was answered then.
    if (quick.reply) await interaction.reply({ ...answerBody(quick.reply), flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    return;
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const reply = await work;
  await interaction.editReply({ ...(reply ? answerBody(reply) : { content: 'Done.' }), allowedMentions: { parse: [] } });
}

function deadline(): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), 1500).unref());
}
