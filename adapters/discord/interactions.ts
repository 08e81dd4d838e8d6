/**
 * Interactions → Inbound events, read against the surface (never a list of our own): a chat-input
 * command → the command with its arguments by declared name; a button → its action; a modal's
 * submission → the command its form submits; a message command → its message action. The core's
 * answer is shown ephemerally, or as a modal when it asks for a form.
 */
import {
  Events,
  type Channel,
  type Client,
  type GuildMember,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { Inbound, MessageRef, Person, Place, Reply } from '../../src/ports.js';
import { BUSY_REPLY, QUEUED_REPLY, type Intake } from '../../src/intake-port.js';
import type { Surface, SurfaceSub } from '../../src/surface.js';
import { answerable, answerSoon, type Answerable } from './answer.js';
import type { InteractionAnswers } from './interaction-answers.js';
import { observeIntakeAck } from '../../src/core/metrics.js';
import type { DiscordAdapterOptions } from './discord-adapter.js';
import { fieldValue, parseFormId } from './forms.js';
import type { ConversationsContext } from './conversations.js';

export interface InteractionContext extends DiscordAdapterOptions {
  deliver: (event: Inbound) => Promise<Reply | void>;
  /** Admission control under load (absent: every request runs at once). */
  intake?: Intake;
  /** Where answers go (not through discord.js: see interaction-answers.ts). */
  answers: InteractionAnswers;
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
  if (!interaction.isRepliable()) return;
  // A modal's submission cannot open another modal: it is answered without one.
  const answer = answerable(ctx.answers, interaction, !interaction.isModalSubmit());
  // Answers given here rather than by answerSoon are timed for the intake histogram too.
  const acked = () => observeIntakeAck('discord', (performance.now() - received) / 1000);
  // Under load the intake says queue (stored, answered later through the interaction's webhook) or
  // refuse (nothing changed): either is one quick reply, well within Discord's 3 s.
  const admission = ctx.intake?.admit() ?? 'run';
  if (admission === 'refuse') {
    await answer.reply({ content: BUSY_REPLY });
    return acked();
  }
  const event = await inboundOf(interaction, ctx, base, answer, acked);
  if (!event) return;
  if (admission === 'queue') {
    const queued = await ctx.intake!.enqueue(event, JSON.stringify({ token: interaction.token })).then(
      () => true,
      (err: unknown) => (
        ctx.logger.error('discord: cannot queue an interaction', { error: err instanceof Error ? err.message : String(err) }),
        false
      ),
    );
    await answer.reply({ content: queued ? QUEUED_REPLY : BUSY_REPLY });
    if (queued) ctx.intake!.acknowledged(event.key);
    acked();
    return;
  }
  if (interaction.isModalSubmit() || interaction.isMessageComponent() || interaction.isCommand())
    await answerSoon(answer, ctx.deliver(event), received);
}

/**
 * The Inbound event an interaction stands for, or undefined when it is none of tierdesk's (or is
 * refused here: "Mark as solution" on a bot's message is answered at once and the core never hears of it).
 */
async function inboundOf(
  interaction: Interaction,
  ctx: InteractionContext,
  base: Base,
  answer: Answerable,
  acked: () => void,
): Promise<Inbound | undefined> {
  if (interaction.isChatInputCommand())
    return { ...base, kind: 'command', name: interaction.commandName, args: commandArgs(interaction, ctx.surface) };
  if (interaction.isMessageContextMenuCommand()) {
    const action = ctx.surface.messageActions.find((m) => m.label === interaction.commandName)?.action;
    if (action === undefined) return undefined;
    const target = interaction.targetMessage;
    // A bot's message (tierdesk's own "Similar questions" and "Solved" cards too) is nobody's answer.
    if (action === MARK_SOLUTION_ACTION && target.author.bot) {
      await answer.reply({ content: NOT_A_PERSONS_ANSWER });
      acked();
      return undefined;
    }
    const about: MessageRef = { id: target.id, author: await ctx.authorOf(target), text: target.content, link: target.url };
    return { ...base, kind: 'action', action, value: '', message: target.id, about };
  }
  if (interaction.isModalSubmit()) {
    const submitted = submittedArgs(interaction, ctx.surface);
    return submitted ? { ...base, kind: 'command', name: submitted.command, args: submitted.args } : undefined;
  }
  if (interaction.isButton()) {
    const m = BUTTON_ID.exec(interaction.customId);
    if (!m) return undefined;
    return { ...base, kind: 'action', action: m[1]!, value: m[2] ?? '', message: interaction.message.id };
  }
  return undefined;
}

/**
 * Every interaction from a served guild, and buttons pressed in a DM tierdesk wrote (a page, the
 * answer to a DM: they come without a guild, and count in the served guild the person belongs to).
 */
export function followInteractions(
  client: Client,
  ctx: ConversationsContext & { options: DiscordAdapterOptions; intake: () => Intake | undefined; answers: InteractionAnswers },
): void {
  client.on(Events.InteractionCreate, (interaction) => {
    const received = performance.now();
    const deliver = ctx.deliver();
    if (!deliver) return;
    const dmButton = !interaction.guildId && interaction.isButton();
    if (!dmButton && (!interaction.guildId || !ctx.guilds.has(interaction.guildId))) {
      // Say so rather than let Discord show "This interaction failed".
      if (interaction.isRepliable())
        void answerable(ctx.answers, interaction, false)
          .reply({ content: 'tierdesk does not serve this server.' })
          .then(() => observeIntakeAck('discord', (performance.now() - received) / 1000))
          .catch(() => undefined);
      return;
    }
    void (async () => {
      const home = interaction.guildId
        ? { space: interaction.guildId, member: interaction.member as GuildMember | null }
        : await ctx.homeOf(interaction.user.id);
      const from = ctx.person(home.member, interaction.user, home.space);
      const intake = ctx.intake();
      const interactionCtx = {
        ...ctx.options,
        deliver,
        ...(intake ? { intake } : {}),
        answers: ctx.answers,
        from,
        placeOf: ctx.placeOf,
        authorOf: ctx.authorOf,
      };
      await handleInteraction(interaction, interactionCtx, home.space, received);
    })().catch((err) => ctx.logger.error('discord interaction failed', { error: (err as Error).message }));
  });
}
