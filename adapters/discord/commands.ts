/**
 * The `/ticket` application command and the forms (modals) tierdesk shows in Discord. Every card
 * button has a sub-command twin, so everything works from the keyboard too.
 */
import {
  ActionRowBuilder, ApplicationCommandOptionType, ModalBuilder, TextInputBuilder, TextInputStyle,
  type APIApplicationCommandBasicOption, type APIApplicationCommandSubcommandOption, type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';

const LEVEL_CHOICES = [{ name: 'high', value: 'high' }, { name: 'medium', value: 'medium' }, { name: 'low', value: 'low' }];
const number = (description = 'Ticket number'): APIApplicationCommandBasicOption => ({ type: ApplicationCommandOptionType.Integer, name: 'number', description, required: true, min_value: 1 });
const text = (name: string, description: string, required = true): APIApplicationCommandBasicOption => ({ type: ApplicationCommandOptionType.String, name, description, required, max_length: 4000 });
const sub = (name: string, description: string, options: APIApplicationCommandBasicOption[] = []): APIApplicationCommandSubcommandOption => ({ type: ApplicationCommandOptionType.Subcommand, name, description, options });

/** The command definitions, as registered with Discord (bulk overwrite). */
export function ticketCommand(tiers: Array<{ id: string; name: string }>): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const tierChoices = tiers.slice(0, 25).map((t) => ({ name: `${t.id} ${t.name}`.slice(0, 100), value: t.id }));
  return {
    name: 'ticket',
    description: 'Open, work and look up help desk tickets',
    dm_permission: false,
    options: [
      sub('new', 'Open a ticket (without a title: a form)', [
        text('title', 'What is wrong, in one line', false),
        text('description', 'Details', false),
        { type: ApplicationCommandOptionType.String, name: 'urgency', description: 'How urgent it is for you', choices: LEVEL_CHOICES },
        { type: ApplicationCommandOptionType.String, name: 'impact', description: 'How many people it affects', choices: LEVEL_CHOICES },
        text('category', 'Category', false),
        text('product', 'Product', false),
        text('version', 'Product version', false),
      ]),
      sub('show', 'Show a ticket', [number()]),
      sub('list', 'List tickets', [
        { type: ApplicationCommandOptionType.Boolean, name: 'mine', description: 'Only tickets assigned to me' },
        { type: ApplicationCommandOptionType.String, name: 'tier', description: 'Only this tier', choices: tierChoices },
        { type: ApplicationCommandOptionType.String, name: 'status', description: 'open, claimed, waiting, resolved, closed or all' },
      ]),
      sub('history', 'Every change to a ticket', [number()]),
      sub('claim', 'Take a ticket', [number(), { type: ApplicationCommandOptionType.Boolean, name: 'force', description: 'Take it over from another agent' }]),
      sub('reply', 'Answer the requester (public)', [number(), text('text', 'Your reply')]),
      sub('note', 'Internal note, never shown to the requester', [number(), text('text', 'The note')]),
      sub('wait', 'Wait on the requester', [number(), text('text', 'A question for them', false)]),
      sub('escalate', 'Move to the next tier', [number(), text('reason', 'Why'), { type: ApplicationCommandOptionType.String, name: 'to', description: 'A higher tier', choices: tierChoices }]),
      sub('resolve', 'Resolve, telling the requester how', [number(), text('resolution', 'How it was solved')]),
      sub('reopen', 'Reopen a resolved ticket', [number(), text('reason', 'Why', false)]),
      sub('confirm', 'Confirm the resolution and close', [number()]),
      sub('priority', 'Change impact, urgency or priority', [
        number(),
        { type: ApplicationCommandOptionType.String, name: 'impact', description: 'Impact', choices: LEVEL_CHOICES },
        { type: ApplicationCommandOptionType.String, name: 'urgency', description: 'Urgency', choices: LEVEL_CHOICES },
        { type: ApplicationCommandOptionType.String, name: 'priority', description: 'P1..P5', choices: ['P1', 'P2', 'P3', 'P4', 'P5'].map((p) => ({ name: p, value: p })) },
      ]),
      sub('stats', 'SLA attainment and backlog'),
      sub('help', 'Every command'),
    ],
  };
}

export const NEW_TICKET_MODAL = 'tierdesk:new';

const input = (id: string, label: string, style: TextInputStyle, max: number, required: boolean, value?: string) => {
  const b = new TextInputBuilder().setCustomId(id).setLabel(label).setStyle(style).setMaxLength(max).setRequired(required);
  if (value) b.setValue(value.slice(0, max));
  return new ActionRowBuilder<TextInputBuilder>().addComponents(b);
};

/** The intake form (a modal holds five text inputs). */
export function newTicketModal(defaults: { urgency: string; impact: string; title?: string; description?: string }): ModalBuilder {
  return new ModalBuilder()
    .setCustomId(NEW_TICKET_MODAL)
    .setTitle('New ticket')
    .addComponents(
      input('title', 'Title: what is wrong?', TextInputStyle.Short, 200, true, defaults.title),
      input('description', 'Description', TextInputStyle.Paragraph, 4000, false, defaults.description),
      input('urgency', 'Urgency for you: high, medium or low', TextInputStyle.Short, 6, false, defaults.urgency),
      input('impact', 'Impact: high, medium or low', TextInputStyle.Short, 6, false, defaults.impact),
      input('product', 'Product and version (e.g. Editor 2.1)', TextInputStyle.Short, 100, false),
    );
}

const ACTION_LABEL: Record<string, string> = { escalate: 'Why does it need the next tier?', resolve: 'Resolution (the requester sees it)', reply: 'Your reply (the requester sees it)' };

/** The one-field form an action needs: `tierdesk:act:<action>:<ticket>`. */
export function actionModal(action: string, ticket: string): ModalBuilder {
  return new ModalBuilder()
    .setCustomId(`tierdesk:act:${action}:${ticket}`.slice(0, 100))
    .setTitle(`${action[0]!.toUpperCase()}${action.slice(1)} #${ticket}`.slice(0, 45))
    .addComponents(input('text', ACTION_LABEL[action] ?? 'Text', TextInputStyle.Paragraph, 4000, true));
}
