/**
 * Interactions → Inbound events, read against the surface (never a list of our own): a chat-input
 * command → the command with its arguments by declared name; a button → its action; a modal's
 * submission → the command its form submits; a message command → its message action. The core's
 * answer is shown ephemerally, or as a modal when it asks for a form.
 */
import {
  Events,
  MessageFlags,
  type Channel,
  type Client,
  type GuildMember,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
  type MessageContextMenuCommandInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { Inbound, MessageRef, Person, Place, Reply } from '../../src/ports.js';
import type { Surface, SurfaceSub } from '../../src/surface.js';
import { answerSoon } from './answer.js';
import type { DiscordAdapterOptions } from './discord-adapter.js';
import { fieldValue, parseFormId } from './forms.js';
import type { ConversationsContext } from './conversations.js';

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

/** The message action whose target must be a person's message (tierdesk's own cards are nobody's answer). */
const MARK_SOLUTION_ACTION = 'peer.solution';

/** `tierdesk:<action>:<value>`: a button's action (`claim`, `kb.vote`, `dm.open`) and the value it carries. */
export const BUTTON_ID = /^tierdesk:([a-z]+(?:\.[a-z]+)?)(?::([\s\S]*))?$/;

type Base = { key: string; at: number; from: Person; place: Place };

/** A sub-command as the surface offers it. */
function surfaceSub(surface: Surface, command: string, sub: string): SurfaceSub | undefined {
  return surface.commands.find((c) => c.name === command)?.subs.find((s) => s.name === sub);
}

/** A chat-input command's options → its arguments by declared name (`sub` from the sub-command chosen). */
export function commandArgs(i: ChatInputCommandInteraction, surface: Surface): Record<string, string> {
  const subName = i.options.getSubcommand(false) ?? '';
  const args: Record<string, string> = subName ? { sub: subName } : {};
  for (const arg of surfaceSub(surface, i.commandName, subName)?.args ?? []) {
    const value =
      arg.type === 'boolean'
        ? i.options.getBoolean(arg.name)
        : arg.type === 'integer'
          ? i.options.getInteger(arg.name)
          : i.options.getString(arg.name);
    // A switch turned off says nothing: the command's default.
    if (value !== null && value !== false) args[arg.name] = String(value);
  }
  return args;
}

/** A modal's submission → the command its form submits: the carried arguments and each input filled in, by name. */
export function submittedArgs(i: ModalSubmitInteraction, surface: Surface): { command: string; args: Record<string, string> } | undefined {
  const form = parseFormId(i.customId);
  if (!form) return undefined;
  const declared = surfaceSub(surface, form.command, form.args.sub ?? '')?.args ?? [];
  const values: Record<string, string> = {};
  for (const field of i.fields.fields.values()) {
    // A text input's words, or a string select's one value (none chosen: as an input left empty).
    const given = 'value' in field && typeof field.value === 'string' ? field.value : 'values' in field ? (field.values[0] ?? '') : undefined;
    if (given === undefined) continue;
    values[field.customId] = fieldValue(given, declared.find((a) => a.name === field.customId)?.choices);
  }
  // An optional input left empty says nothing (the command's default; an article's edit keeps what
  // it had), unless all are: then the command hears every one as '' and says what it misses.
  const required = new Set(declared.filter((a) => a.required).map((a) => a.name));
  const given = Object.entries(values).filter(([name, v]) => v.trim() !== '' || required.has(name));
  const args = { ...form.args, ...(given.length > 0 ? Object.fromEntries(given) : values) };
  return { command: form.command, args };
}

/**
 * One interaction → one Inbound event. Discord wants an answer within 3 s: everything is answered
 * at once when the core is quick, else deferred (ephemeral) and edited. Errors and refusals are
 * ephemeral; the interaction id is the idempotency key.
 */
export async function handleInteraction(
  interaction: Interaction,
  ctx: InteractionContext,
  space: string,
  received = performance.now(),
): Promise<void> {
  const channelId = interaction.channelId ?? space;
  const place = ctx.placeOf(interaction.channel, channelId, space);
  const base: Base = { key: `discord:interaction:${interaction.id}`, at: interaction.createdTimestamp, from: ctx.from, place };

  if (interaction.isChatInputCommand()) {
    const args = commandArgs(interaction, ctx.surface);
    await answerSoon(interaction, ctx.deliver({ ...base, kind: 'command', name: interaction.commandName, args }), received);
    return;
  }
  if (interaction.isMessageContextMenuCommand()) {
    const action = ctx.surface.messageActions.find((m) => m.label === interaction.commandName)?.action;
    if (action === undefined) return;
    // A bot's message (tierdesk's own "Similar questions" and "Solved" cards too) is nobody's answer:
    // refused here, at once and to the person alone; the core never hears of it.
    if (action === MARK_SOLUTION_ACTION && interaction.targetMessage.author.bot) {
      await interaction.reply({ content: NOT_A_PERSONS_ANSWER, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
      return;
    }
    await answerSoon(interaction, messageAction(interaction, ctx, base, action), received);
    return;
  }
  if (interaction.isModalSubmit()) {
    const submitted = submittedArgs(interaction, ctx.surface);
    if (!submitted) return;
    // A modal's submission cannot open another modal: `showModal` is left out of what it may do.
    const { reply, deferReply, editReply } = interaction;
    const answerable = { reply: reply.bind(interaction), deferReply: deferReply.bind(interaction), editReply: editReply.bind(interaction) };
    await answerSoon(answerable, ctx.deliver({ ...base, kind: 'command', name: submitted.command, args: submitted.args }), received);
    return;
  }
  if (interaction.isButton()) {
    const m = BUTTON_ID.exec(interaction.customId);
    if (!m) return;
    const event: Inbound = { ...base, kind: 'action', action: m[1]!, value: m[2] ?? '', message: interaction.message.id };
    await answerSoon(interaction, ctx.deliver(event), received);
  }
}

/** A message command on a message: the core decides who may; the answer goes to the person alone. */
async function messageAction(
  interaction: MessageContextMenuCommandInteraction,
  ctx: InteractionContext,
  base: Base,
  action: string,
): Promise<Reply | void> {
  const target = interaction.targetMessage;
  const about: MessageRef = { id: target.id, author: await ctx.authorOf(target), text: target.content, link: target.url };
  return ctx.deliver({ ...base, kind: 'action', action, value: '', message: target.id, about });
}

/**
 * Every interaction from a served guild, and buttons pressed in a DM tierdesk wrote (a page, the
 * answer to a DM: they come without a guild, and count in the served guild the person belongs to).
 */
export function followInteractions(client: Client, ctx: ConversationsContext & { options: DiscordAdapterOptions }): void {
  client.on(Events.InteractionCreate, (interaction) => {
    const received = performance.now();
    const deliver = ctx.deliver();
    if (!deliver) return;
    const dmButton = !interaction.guildId && interaction.isButton();
    if (!dmButton && (!interaction.guildId || !ctx.guilds.has(interaction.guildId))) {
      // Say so rather than let Discord show "This interaction failed".
      if (interaction.isRepliable())
        void interaction.reply({ content: 'tierdesk does not serve this server.', flags: MessageFlags.Ephemeral }).catch(() => undefined);
      return;
    }
    void (async () => {
      const home = interaction.guildId
        ? { space: interaction.guildId, member: interaction.member as GuildMember | null }
        : await ctx.homeOf(interaction.user.id);
      const from = ctx.person(home.member, interaction.user, home.space);
      await handleInteraction(interaction, { ...ctx.options, deliver, from, placeOf: ctx.placeOf, authorOf: ctx.authorOf }, home.space, received);
    })().catch((err) => ctx.logger.error('discord interaction failed', { error: (err as Error).message }));
  });
}
