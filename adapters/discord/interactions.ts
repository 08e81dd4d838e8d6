import {
  MessageFlags,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type Channel,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
  type MessageContextMenuCommandInteraction,
} from 'discord.js';
import { cut, renderCard } from './render.js';
import type { Inbound, MessageRef, Person, Place, Reply } from '../../src/ports.js';
import {
  actionModal,
  ASK_MODAL,
  askModal,
  KB_ADD_MODAL,
  KB_EDIT_MODAL,
  kbModal,
  MARK_SOLUTION,
  NEW_TICKET_MODAL,
  newTicketModal,
} from './commands.js';
import type { DiscordAdapterOptions } from './discord-adapter.js';

export interface InteractionContext extends DiscordAdapterOptions {
  deliver: (event: Inbound) => Promise<Reply | void>;
  from: Person;
  /** Where something in this channel happened: a post in a peer forum is `{ channel: forum, thread: post }`. */
  placeOf: (channel: Channel | null, channelId: string, guildId: string) => Place;
  /** Who wrote a message, as the core knows people (display name, platform groups). */
  authorOf: (message: Message) => Promise<Person>;
}

/** The answer to "Mark as solution" on a bot's message. */
export const NOT_A_PERSONS_ANSWER = "Mark a person's answer, not a bot's message.";

/** Buttons that need words first show a form. */
const NEEDS_TEXT = new Set(['escalate', 'resolve', 'reply']);

/** `tierdesk:<action>:<value>`: a `/ticket` sub-command (`claim`) or `family.sub` (`kb.vote`, `deflect.open`, `peer.keep`). */
export const BUTTON_ID = /^tierdesk:([a-z]+(?:\.[a-z]+)?)(?::([\s\S]*))?$/;

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

/** `/kb <sub> ...` options → the structured arguments of the `kb` command. */
export function kbArgs(i: ChatInputCommandInteraction): Record<string, string> {
  const o = i.options;
  const args: Record<string, string> = { sub: o.getSubcommand() };
  const id = o.getInteger('id');
  if (id !== null) args.id = String(id);
  const query = o.getString('query');
  if (query !== null) args.query = query;
  const vote = o.getString('vote');
  if (vote !== null) args.vote = vote;
  // `/kb save ticket:4` or `question:7`: the source, as the `kb.save` button's value names it.
  const ticket = o.getInteger('ticket');
  const question = o.getInteger('question');
  if (ticket !== null || question !== null) args.source = ticket !== null ? `ticket ${ticket}` : `question ${question}`;
  return args;
}

/**
 * One interaction → one Inbound event. Discord wants an answer within 3 s: forms are shown at once;
 * everything else is answered at once when the core is quick, else deferred (ephemeral) and edited.
 * Errors and refusals are ephemeral; the interaction id is the idempotency key.
 */
export async function handleInteraction(interaction: Interaction, ctx: InteractionContext): Promise<void> {
  const guild = interaction.guildId ?? ''; // '' only for a button on a DM (a page)
  const channelId = interaction.channelId ?? guild;
  const place = ctx.placeOf(interaction.channel, channelId, guild);
  const base = { key: `discord:interaction:${interaction.id}`, at: interaction.createdTimestamp, from: ctx.from, place };

  if (interaction.isChatInputCommand()) {
    const name = interaction.commandName;
    if (name === 'ticket') {
      const sub = interaction.options.getSubcommand();
      if (sub === 'new' && !interaction.options.getString('title')) {
        await interaction.showModal(newTicketModal(ctx.defaults));
        return;
      }
      await answerSoon(interaction, ctx.deliver({ ...base, kind: 'command', name: 'ticket', args: commandArgs(interaction) }));
      return;
    }
    if (name === 'ask') {
      const question = interaction.options.getString('question');
      if (!question?.trim()) {
        await interaction.showModal(askModal());
        return;
      }
      await answerSoon(interaction, ctx.deliver({ ...base, kind: 'command', name: 'ask', text: question }));
      return;
    }
    if (name === 'helpers') {
      const period = interaction.options.getString('period');
      await answerSoon(
        interaction,
        ctx.deliver({ ...base, kind: 'command', name: 'helpers', text: period ?? '', ...(period ? { args: { period } } : {}) }),
      );
      return;
    }
    if (name === 'kb') {
      const sub = interaction.options.getSubcommand();
      if (sub === 'add' || sub === 'edit') {
        await interaction.showModal(kbModal(sub === 'edit' ? interaction.options.getInteger('id', true) : undefined));
        return;
      }
      await answerSoon(interaction, ctx.deliver({ ...base, kind: 'command', name: 'kb', args: kbArgs(interaction) }));
      return;
    }
    return;
  }

  if (interaction.isMessageContextMenuCommand() && interaction.commandName === MARK_SOLUTION) {
    // A bot's message (tierdesk's own "Similar questions" and "Solved" cards too) is nobody's answer:
    // refused here, at once and to the person alone; the core never hears of it.
    if (interaction.targetMessage.author.bot) {
      await interaction.reply({ content: NOT_A_PERSONS_ANSWER, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
      return;
    }
    await answerSoon(interaction, markSolution(interaction, ctx, base));
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
    if (id === ASK_MODAL) {
      await answerSoon(interaction, ctx.deliver({ ...base, kind: 'command', name: 'ask', args: { title: value('title'), text: value('text') } }));
      return;
    }
    const kb: Record<string, string> | undefined =
      id === KB_ADD_MODAL ? { sub: 'add' } : id.startsWith(`${KB_EDIT_MODAL}:`) ? { sub: 'edit', id: id.slice(KB_EDIT_MODAL.length + 1) } : undefined;
    if (kb) {
      // A new article sends every field; an edit only the fields filled in (an empty one stays as it was).
      const args: Record<string, string> = { ...kb };
      for (const f of ['title', 'body', 'tags']) if (kb.sub === 'add' || value(f).trim() !== '') args[f] = value(f);
      await answerSoon(interaction, ctx.deliver({ ...base, kind: 'command', name: 'kb', args }));
      return;
    }
    const m = /^tierdesk:act:([a-z]+):(\d+)$/.exec(id);
    if (m) await answerSoon(interaction, ctx.deliver({ ...base, kind: 'action', action: m[1]!, value: m[2]!, text: value('text') }));
    return;
  }

  if (interaction.isButton()) {
    const m = BUTTON_ID.exec(interaction.customId);
    if (!m) return;
    const action = m[1]!;
    const value = m[2] ?? '';
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

/** "Mark as solution" on a message: the core decides who may; the answer goes to the person alone. */
async function markSolution(
  interaction: MessageContextMenuCommandInteraction,
  ctx: InteractionContext,
  base: { key: string; at: number; from: Person; place: Place },
): Promise<Reply | void> {
  const target = interaction.targetMessage;
  const about: MessageRef = { id: target.id, author: await ctx.authorOf(target), text: target.content, link: target.url };
  return ctx.deliver({ ...base, kind: 'action', action: 'peer.solution', value: '', message: target.id, about });
}

type AnswerBody = { content: string; embeds?: APIEmbed[]; components?: APIActionRowComponent<APIComponentInMessageActionRow>[] };

interface Answerable {
  reply(o: AnswerBody & { flags: MessageFlags.Ephemeral; allowedMentions: { parse: [] } }): Promise<unknown>;
  deferReply(o: { flags: MessageFlags.Ephemeral }): Promise<unknown>;
  editReply(o: AnswerBody & { allowedMentions: { parse: [] } }): Promise<unknown>;
}

const json = <T>(x: unknown): T => ('toJSON' in (x as object) ? (x as { toJSON(): T }).toJSON() : (x as T));

/**
 * An answer as Discord shows it: a card as an embed (within its limits) with its buttons (a
 * search result's Open, an article's Helpful / Publish), and the words said before the card (the
 * text minus the card's own fallback: "Draft article #1 saved…") as the content; plain text cut
 * with a pointer.
 */
function answerBody(reply: Reply): AnswerBody {
  if (!reply.card) return { content: cut(reply.text, 2000, 'see /ticket show') };
  const rendered = renderCard(reply.card);
  const components = (rendered.components ?? []).map((row) => json<APIActionRowComponent<APIComponentInMessageActionRow>>(row));
  const fallback = reply.card.fallback;
  const lead = fallback !== '' && reply.text.endsWith(fallback) ? reply.text.slice(0, reply.text.length - fallback.length).trim() : '';
  return {
    content: cut(lead, 2000, 'see the card'),
    embeds: (rendered.embeds ?? []).map((e) => json<APIEmbed>(e)),
    ...(components.length > 0 ? { components } : {}),
  };
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
