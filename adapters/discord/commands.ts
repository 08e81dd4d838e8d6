/**
 * The application commands (`/ticket`, `/ask`, `/helpers`, `/kb`, the message command "Mark as
 * solution") and the forms (modals) tierdesk shows in Discord. Every card button has a sub-command
 * twin, so everything works from the keyboard too.
 */
import {
  ActionRowBuilder,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type RESTPostAPIApplicationCommandsJSONBody,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';

const LEVEL_CHOICES = [
  { name: 'high', value: 'high' },
  { name: 'medium', value: 'medium' },
  { name: 'low', value: 'low' },
];
const number = (description = 'Ticket number'): APIApplicationCommandBasicOption => ({
  type: ApplicationCommandOptionType.Integer,
  name: 'number',
  description,
  required: true,
  min_value: 1,
});
const text = (name: string, description: string, required = true, max = 4000): APIApplicationCommandBasicOption => ({
  type: ApplicationCommandOptionType.String,
  name,
  description,
  required,
  max_length: max,
});
const sub = (name: string, description: string, options: APIApplicationCommandBasicOption[] = []): APIApplicationCommandSubcommandOption => ({
  type: ApplicationCommandOptionType.Subcommand,
  name,
  description,
  options,
});

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
      sub('claim', 'Take a ticket', [
        number(),
        { type: ApplicationCommandOptionType.Boolean, name: 'force', description: 'Take it over from another agent' },
      ]),
      sub('reply', 'Answer the requester (public)', [number(), text('text', 'Your reply')]),
      sub('note', 'Internal note, never shown to the requester', [number(), text('text', 'The note')]),
      sub('wait', 'Wait on the requester', [number(), text('text', 'A question for them', false)]),
      sub('escalate', 'Move to the next tier', [
        number(),
        text('reason', 'Why'),
        { type: ApplicationCommandOptionType.String, name: 'to', description: 'A higher tier', choices: tierChoices },
      ]),
      sub('resolve', 'Resolve, telling the requester how', [number(), text('resolution', 'How it was solved')]),
      sub('reopen', 'Reopen a resolved ticket', [number(), text('reason', 'Why', false)]),
      sub('confirm', 'Confirm the resolution and close', [number()]),
      sub('priority', 'Change impact, urgency or priority', [
        number(),
        { type: ApplicationCommandOptionType.String, name: 'impact', description: 'Impact', choices: LEVEL_CHOICES },
        { type: ApplicationCommandOptionType.String, name: 'urgency', description: 'Urgency', choices: LEVEL_CHOICES },
        {
          type: ApplicationCommandOptionType.String,
          name: 'priority',
          description: 'P1..P5',
          choices: ['P1', 'P2', 'P3', 'P4', 'P5'].map((p) => ({ name: p, value: p })),
        },
      ]),
      sub('stats', 'SLA attainment and backlog'),
      sub('help', 'Every command'),
    ],
  };
}

/** `/ask question:…`; without a question, a form (title and details). */
export function askCommand(): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return {
    name: 'ask',
    description: 'Ask the community in the help forum (without a question: a form)',
    dm_permission: false,
    options: [text('question', 'Your question, in a sentence or two', false)],
  };
}

export const HELPER_PERIODS = ['week', 'month', 'all'] as const;

/** `/helpers period:week|month|all`: the points leaderboard. */
export function helpersCommand(): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return {
    name: 'helpers',
    description: 'The helpers with the most points',
    dm_permission: false,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'period',
        description: 'Which period (default: all time)',
        choices: HELPER_PERIODS.map((p) => ({ name: p, value: p })),
      },
    ],
  };
}

const article = (): APIApplicationCommandBasicOption => ({
  type: ApplicationCommandOptionType.Integer,
  name: 'id',
  description: 'Article number',
  required: true,
  min_value: 1,
});

/** `/kb <sub>`: search, read, write and publish knowledge base articles. */
export function kbCommand(): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return {
    name: 'kb',
    description: 'Search and write knowledge base articles',
    dm_permission: false,
    options: [
      sub('search', 'Search articles and solved questions', [text('query', 'Words to look for', true, 500)]),
      sub('show', 'Show an article', [article()]),
      sub('add', 'Write a new article (a form)'),
      sub('edit', 'Edit an article (a form)', [article()]),
      sub('publish', 'Publish a draft article', [article()]),
      sub('vote', 'Say whether an article helped you', [
        article(),
        {
          type: ApplicationCommandOptionType.String,
          name: 'vote',
          description: 'Did it help?',
          required: true,
          choices: [
            { name: 'helpful', value: 'helpful' },
            { name: 'not helpful', value: 'not-helpful' },
          ],
        },
      ]),
      sub('history', 'Every edit of an article', [article()]),
      sub('drafts', 'Articles waiting to be published'),
      sub('unpublish', 'Take an article out of search', [article()]),
      sub('delete', 'Delete an article', [article()]),
      sub('save', 'A draft article from a resolved ticket or a solved question', [
        { type: ApplicationCommandOptionType.Integer, name: 'ticket', description: 'Ticket number', min_value: 1 },
        { type: ApplicationCommandOptionType.Integer, name: 'question', description: 'Question number (Q…)', min_value: 1 },
      ]),
    ],
  };
}

/** The message command (right-click a message → Apps) that marks an answer as a peer question's solution. */
export const MARK_SOLUTION = 'Mark as solution';

export function markSolutionCommand(): RESTPostAPIContextMenuApplicationCommandsJSONBody {
  return { name: MARK_SOLUTION, type: ApplicationCommandType.Message, dm_permission: false };
}

/** Every command tierdesk registers, in the order `tierdesk discord register` lists them. */
export function allCommands(tiers: Array<{ id: string; name: string }>): RESTPostAPIApplicationCommandsJSONBody[] {
  return [ticketCommand(tiers), askCommand(), helpersCommand(), kbCommand(), markSolutionCommand()];
}

export const NEW_TICKET_MODAL = 'tierdesk:new';
export const ASK_MODAL = 'tierdesk:ask';
export const KB_ADD_MODAL = 'tierdesk:kb:add';
/** `tierdesk:kb:edit:<article>`. */
export const KB_EDIT_MODAL = 'tierdesk:kb:edit';

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

const ACTION_LABEL: Record<string, string> = {
  escalate: 'Why does it need the next tier?',
  resolve: 'Resolution (the requester sees it)',
  reply: 'Your reply (the requester sees it)',
};

/** The one-field form an action needs: `tierdesk:act:<action>:<ticket>`. */
export function actionModal(action: string, ticket: string): ModalBuilder {
  return new ModalBuilder()
    .setCustomId(`tierdesk:act:${action}:${ticket}`.slice(0, 100))
    .setTitle(`${action[0]!.toUpperCase()}${action.slice(1)} #${ticket}`.slice(0, 45))
    .addComponents(input('text', ACTION_LABEL[action] ?? 'Text', TextInputStyle.Paragraph, 4000, true));
}

/** `/ask` without a question: the question's title (a forum post's name holds 100 characters) and its details. */
export function askModal(): ModalBuilder {
  return new ModalBuilder()
    .setCustomId(ASK_MODAL)
    .setTitle('Ask the community')
    .addComponents(
      input('title', 'Your question, in one line', TextInputStyle.Short, 100, true),
      input('text', 'Details: what you tried, what happened', TextInputStyle.Paragraph, 4000, false),
    );
}

/** `/kb add` and `/kb edit ID`: title, body (Markdown) and tags (comma-separated). */
export function kbModal(id?: number): ModalBuilder {
  return new ModalBuilder()
    .setCustomId(id === undefined ? KB_ADD_MODAL : `${KB_EDIT_MODAL}:${id}`)
    .setTitle(id === undefined ? 'New article' : `Edit article ${id}`.slice(0, 45))
    .addComponents(
      input('title', 'Title', TextInputStyle.Short, 200, id === undefined),
      input('body', 'Body (Markdown)', TextInputStyle.Paragraph, 4000, id === undefined),
      input('tags', 'Tags, separated by commas', TextInputStyle.Short, 200, false),
    );
}
