import { randomBytes } from 'node:crypto';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ComponentType,
  GuildFeature,
  InteractionContextType,
  InteractionType,
  Locale,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIGuildMember,
  type APIMessage,
  type APIMessageApplicationCommandGuildInteraction,
  type APIMessageComponentGuildInteraction,
  type APIModalSubmitGuildInteraction,
} from 'discord.js';
import type { FakeChannel } from './payloads.js';

/**
 * Where and by whom an interaction happens. `startFakeDiscord(...).context({ channel, user })`
 * builds one from the fake's guild: the member's roles, permissions and a fresh-id source.
 */
export interface InteractionContext {
  applicationId: string;
  guildId: string;
  /** The channel or thread the interaction happens in. */
  channel: FakeChannel;
  member: APIGuildMember;
  /** The member's permissions (a bigint as a decimal string), as Discord computes them. */
  permissions: string;
  /** The bot's permissions in the channel. */
  appPermissions: string;
  locale?: Locale;
  /** Snowflakes on the fake's clock, so interaction ids increase with time. */
  newId: () => string;
}

/** An option value: strings are type 3, integers 4, other numbers 10, booleans 5; or give the type. */
export type OptionValue = string | number | boolean | { type: ApplicationCommandOptionType; value: string | number | boolean };

/** Discord's interaction tokens are long opaque strings; this one is random, in the same alphabet. */
const interactionToken = () => `aW50ZXJhY3Rpb246${randomBytes(60).toString('base64url')}`;

/** The fields every guild interaction carries. */
function base(ctx: InteractionContext) {
  return {
    id: ctx.newId(),
    application_id: ctx.applicationId,
    token: interactionToken(),
    version: 1 as const,
    guild_id: ctx.guildId,
    guild: { id: ctx.guildId, locale: Locale.EnglishUS, features: [GuildFeature.Community] },
    guild_locale: Locale.EnglishUS,
    channel_id: ctx.channel.id,
    // discord.js reads the channel id from `channel.id`, not from `channel_id`.
    channel: { ...ctx.channel, permissions: ctx.permissions } as APIChatInputApplicationCommandGuildInteraction['channel'],
    member: { ...ctx.member, permissions: ctx.permissions },
    app_permissions: ctx.appPermissions,
    locale: ctx.locale ?? Locale.EnglishUS,
    entitlements: [],
    authorizing_integration_owners: { '0': ctx.guildId },
    context: InteractionContextType.Guild,
    attachment_size_limit: 10_485_760,
  };
}

function optionsOf(values: Record<string, OptionValue>): APIApplicationCommandInteractionDataBasicOption[] {
  return Object.entries(values).map(([name, v]) => {
    if (typeof v === 'object') return { name, type: v.type, value: v.value } as APIApplicationCommandInteractionDataBasicOption;
    const type =
      typeof v === 'string'
        ? ApplicationCommandOptionType.String
        : typeof v === 'boolean'
          ? ApplicationCommandOptionType.Boolean
          : Number.isInteger(v)
            ? ApplicationCommandOptionType.Integer
            : ApplicationCommandOptionType.Number;
    return { name, type, value: v } as APIApplicationCommandInteractionDataBasicOption;
  });
}

/**
 * A chat-input command (interaction type 2, `data.type` 1): `/ticket new title:…` is
 * `{ name: 'ticket', subcommand: 'new', options: { title: '…' } }`; the options then nest inside a
 * sub-command option (type 1), which nests inside a group (type 2) when `group` is given.
 */
export function chatInputCommand(
  ctx: InteractionContext,
  input: { name: string; subcommand?: string; group?: string; options?: Record<string, OptionValue>; commandId?: string; guildCommand?: boolean },
): APIChatInputApplicationCommandGuildInteraction {
  const leaf = optionsOf(input.options ?? {});
  const sub = input.subcommand ? [{ type: ApplicationCommandOptionType.Subcommand as const, name: input.subcommand, options: leaf }] : undefined;
  const options =
    input.group && sub ? [{ type: ApplicationCommandOptionType.SubcommandGroup as const, name: input.group, options: sub }] : (sub ?? leaf);
  return {
    ...base(ctx),
    type: InteractionType.ApplicationCommand,
    data: {
      id: input.commandId ?? ctx.newId(),
      name: input.name,
      type: ApplicationCommandType.ChatInput,
      ...(input.guildCommand ? { guild_id: ctx.guildId } : {}),
      ...(options.length ? { options } : {}),
    },
  };
}

/** How the modal being answered laid out its inputs: legacy action rows, or labels (type 18). */
export type ModalLayout = 'rows' | 'labels';

/** The layout of a modal as the bot sent it (the `data` of a type 9 interaction callback). */
export function modalLayout(modal: object): ModalLayout {
  const { components } = modal as { components?: unknown };
  const first = Array.isArray(components) ? (components[0] as Record<string, unknown> | undefined) : undefined;
  return first && 'component' in first ? 'labels' : 'rows';
}

/**
 * A modal submission (interaction type 5): one input per `fields` entry, in the layout the modal was
 * shown with (Discord echoes the modal's structure back with `value`s filled in). An entry given as a
 * list is a string select's chosen values (`{ type: 3, custom_id, values }`, only inside a Label).
 */
export function modalSubmit(
  ctx: InteractionContext,
  input: { customId: string; fields: Record<string, string | string[]>; layout?: ModalLayout; message?: APIMessage },
): APIModalSubmitGuildInteraction {
  let nextComponentId = 0;
  const components = Object.entries(input.fields).map(([custom_id, value]) => {
    const outer = (nextComponentId += 1);
    const id = (nextComponentId += 1);
    const text = Array.isArray(value)
      ? { type: ComponentType.StringSelect as const, id, custom_id, values: value }
      : { type: ComponentType.TextInput as const, id, custom_id, value };
    return input.layout === 'labels'
      ? { type: ComponentType.Label as const, id: outer, component: text }
      : { type: ComponentType.ActionRow as const, id: outer, components: [text] };
  });
  return {
    ...base(ctx),
    type: InteractionType.ModalSubmit,
    data: { custom_id: input.customId, components } as APIModalSubmitGuildInteraction['data'],
    ...(input.message ? { message: input.message } : {}),
  };
}

/** A button press (interaction type 3, component type 2) on one of the bot's messages. */
export function buttonPress(ctx: InteractionContext, input: { customId: string; message: APIMessage }): APIMessageComponentGuildInteraction {
  return {
    ...base(ctx),
    type: InteractionType.MessageComponent,
    data: { custom_id: input.customId, component_type: ComponentType.Button },
    message: input.message,
  };
}

/** A string select choice (interaction type 3, component type 3). */
export function selectChoice(
  ctx: InteractionContext,
  input: { customId: string; values: string[]; message: APIMessage },
): APIMessageComponentGuildInteraction {
  return {
    ...base(ctx),
    type: InteractionType.MessageComponent,
    data: { custom_id: input.customId, component_type: ComponentType.StringSelect, values: input.values },
    message: input.message,
  };
}

/** A message context-menu command (type 2, `data.type` 3) aimed at `target`, e.g. "Open ticket from message". */
export function messageCommand(
  ctx: InteractionContext,
  input: { name: string; target: APIMessage; commandId?: string },
): APIMessageApplicationCommandGuildInteraction {
  return {
    ...base(ctx),
    type: InteractionType.ApplicationCommand,
    data: {
      id: input.commandId ?? ctx.newId(),
      name: input.name,
      type: ApplicationCommandType.Message,
      target_id: input.target.id,
      resolved: { messages: { [input.target.id]: input.target } },
    },
  };
}
