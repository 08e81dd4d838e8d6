/**
 * Discord's application commands, derived from the surface (src/surface.ts): one chat-input command
 * per surface command, its sub-commands as `Subcommand` options (a command whose only sub-command is
 * '' takes its arguments as options directly), and one message context-menu command per message
 * action. Built with discord.js's builders, which check names, descriptions and Discord's limits as
 * they build: nothing here lists a command of its own.
 */
import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  ContextMenuCommandBuilder,
  InteractionContextType,
  SlashCommandBooleanOption,
  SlashCommandBuilder,
  SlashCommandIntegerOption,
  SlashCommandStringOption,
  SlashCommandSubcommandBuilder,
  SlashCommandSubcommandGroupBuilder,
  type RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { Surface, SurfaceArg, SurfaceCommand, SurfaceSub } from '../../src/surface.js';

/** Discord's limits: options per level (and sub-commands per group), choices per option, characters. */
const MAX_OPTIONS = 25;
const MAX_CHOICES = 25;
const MAX_DESCRIPTION = 100;
const MAX_STRING = 6000;

/** A group of sub-commands past the 25 a command holds directly: `more`, `more2`... */
export const OVERFLOW_GROUP = 'more';

/** Every command tierdesk registers on Discord (bulk overwrite), in the surface's order. */
export function applicationCommands(surface: Surface): RESTPostAPIApplicationCommandsJSONBody[] {
  const chat = surface.commands.map((c) => chatInputCommand(c).toJSON());
  const menus = surface.messageActions.map((m) =>
    new ContextMenuCommandBuilder()
      .setName(m.label)
      .setType(ApplicationCommandType.Message)
      .setContexts(InteractionContextType.Guild)
      .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
      .toJSON(),
  );
  return [...chat, ...menus];
}

/** One chat-input command; used only in guilds (`contexts` replaces the deprecated `dm_permission`). */
export function chatInputCommand(command: SurfaceCommand): SlashCommandBuilder {
  const builder = new SlashCommandBuilder()
    .setName(command.name)
    .setDescription(describe(command.summary, command.name))
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall);
  const own = command.subs.length === 1 && command.subs[0]!.name === '' ? command.subs[0] : undefined;
  if (own) {
    for (const arg of ordered(own)) addOption(builder, arg, own);
    return builder;
  }
  const subs = command.subs.filter((s) => s.name !== '');
  // More than 25 sub-commands: the first 24 stay, the rest go in groups of 25 rather than fail.
  const direct = subs.length > MAX_OPTIONS ? subs.slice(0, MAX_OPTIONS - 1) : subs;
  for (const sub of direct) builder.addSubcommand(subcommand(sub));
  const rest = subs.slice(direct.length);
  for (let i = 0; i * MAX_OPTIONS < rest.length; i++) {
    const group = new SlashCommandSubcommandGroupBuilder()
      .setName(i === 0 ? OVERFLOW_GROUP : `${OVERFLOW_GROUP}${i + 1}`)
      .setDescription(`More ${command.name} commands`);
    for (const sub of rest.slice(i * MAX_OPTIONS, (i + 1) * MAX_OPTIONS)) group.addSubcommand(subcommand(sub));
    builder.addSubcommandGroup(group);
  }
  return builder;
}

function subcommand(sub: SurfaceSub): SlashCommandSubcommandBuilder {
  const builder = new SlashCommandSubcommandBuilder().setName(sub.name).setDescription(describe(sub.summary, sub.name));
  for (const arg of ordered(sub)) addOption(builder, arg, sub);
  return builder;
}

/**
 * Whether Discord insists on the argument. One a form collects (any words or choice of a
 * sub-command that has a form, as the core's forms ask for them) is optional here: when it is
 * missing the core shows the form instead of refusing.
 */
export function registeredRequired(arg: SurfaceArg, sub: SurfaceSub): boolean {
  return arg.required && !(sub.hasForm && arg.type === 'string');
}

/** Discord wants required options first; the order of the rest is the declaration's. */
function ordered(sub: SurfaceSub): SurfaceArg[] {
  const args = sub.args.slice(0, MAX_OPTIONS);
  return [...args.filter((a) => registeredRequired(a, sub)), ...args.filter((a) => !registeredRequired(a, sub))];
}

/** A command or sub-command builder: what takes options. */
interface OptionHost {
  addIntegerOption(make: (o: SlashCommandIntegerOption) => SlashCommandIntegerOption): unknown;
  addStringOption(make: (o: SlashCommandStringOption) => SlashCommandStringOption): unknown;
  addBooleanOption(make: (o: SlashCommandBooleanOption) => SlashCommandBooleanOption): unknown;
}

function addOption(host: OptionHost, arg: SurfaceArg, sub: SurfaceSub): void {
  const required = registeredRequired(arg, sub);
  const description = describe(arg.summary, arg.name);
  if (arg.type === 'boolean') {
    host.addBooleanOption((o) => o.setName(arg.name).setDescription(description).setRequired(required));
    return;
  }
  if (arg.type === 'integer') {
    host.addIntegerOption((o) => {
      o.setName(arg.name).setDescription(description).setRequired(required);
      if (arg.min !== undefined) o.setMinValue(arg.min);
      if (arg.max !== undefined) o.setMaxValue(arg.max);
      return o;
    });
    return;
  }
  host.addStringOption((o) => {
    o.setName(arg.name).setDescription(description).setRequired(required);
    const choices = arg.choices ?? [];
    // More choices than Discord lists: the words are typed, and the core names the values it takes.
    if (choices.length > 0 && choices.length <= MAX_CHOICES)
      o.addChoices(...choices.map((c) => ({ name: c.label.slice(0, MAX_DESCRIPTION), value: c.value })));
    else if (arg.maxLength !== undefined) o.setMaxLength(Math.min(arg.maxLength, MAX_STRING));
    return o;
  });
}

/** A description Discord takes: 1 to 100 characters. */
function describe(summary: string, fallback: string): string {
  const text = summary.trim() || fallback;
  const first = text.charAt(0).toUpperCase() + text.slice(1);
  return first.length <= MAX_DESCRIPTION ? first : `${first.slice(0, MAX_DESCRIPTION - 1)}…`;
}
