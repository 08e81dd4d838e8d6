/**
 * The schema of tierdesk.yaml: every section and key the loader accepts, their types and what they mean.
 * It is the one description of the file's shape: `validateConfig` checks a file against it first (unknown
 * keys, with a "did you mean"; wrong types), `tierdesk config schema` prints it as JSON Schema for editors,
 * and a test keeps tierdesk.example.yaml showing every key it knows. What a shape cannot say (a duration's
 * units, a time zone, a reference to another section) is checked by the section readers afterwards.
 */
import { z } from 'zod';
import { OUT_OF_HOURS_FIELDS } from './out-of-hours.js';

import { product } from './schema-products.js';
import { csat, transcripts, webhook } from './schema-closing.js';
import { duration, id, ids, level, oncallHandle, percentages, priorities, priority, snowflake, strict, text } from './schema-parts.js';

export { unknownKeyNote, type UnknownKeyNote } from './schema-parts.js';

const person = strict({
  name: text('display name (default: the person id)'),
  slack: id('Slack member id, such as U0123ABCD'),
  discord: snowflake('Discord user id'),
  console: id('the name typed in the console (default: the person id)'),
  zone: text('IANA time zone, such as America/New_York: times tierdesk tells them are in it'),
}).nullable();

const tier = strict(
  {
    id: id('tier id: letters, digits, ".", "_" or "-", such as L1'),
    name: text('display name (default: the id)'),
    agents: ids('people ids of the agents who work this tier'),
    channels: strict(
      {
        console: id('console channel name (default: <id>-desk in lower case)'),
        slack: id('Slack channel id for agent cards, such as C0123ABCD'),
        discord: snowflake('Discord channel id for agent cards'),
      },
      { noun: 'platform' },
    ).describe('where the tier\u2019s ticket cards are posted, per platform'),
    slack_usergroup: text('members of this Slack user group (S0123ABCD) are agents of the tier too'),
    discord_role: snowflake('members with this Discord role are agents of the tier too'),
    escalation_policy: id('the escalation policy pages for this tier climb (a name under escalation_policies)'),
    oncall_schedule: id('the schedule /oncall shows for this tier (a name under schedules)'),
    hours: id('calendar of the tier\u2019s staffed hours (a name under calendars, or 24x7 / 12x5)'),
    leads: ids('people ids who may override the tier\u2019s on-call schedule'),
    oncall_handle: oncallHandle,
  },
  { required: ['id'] },
);

const tickets = strict({
  default_impact: level('impact when --impact is not given'),
  default_urgency: level('urgency when --urgency is not given'),
  reopen_window: duration('how long a resolved ticket may be reopened before it closes'),
  categories: z.array(z.string()).describe('when set, only these categories are accepted'),
  max_open_per_requester: z.int().min(1).describe('per requester: at most this many tickets not yet resolved (agents are exempt)'),
  cooldown: duration('per requester: the least time between two new tickets (agents are exempt)'),
  retention: duration('delete closed tickets\u2019 conversation text this long after they close (fields and figures stay; default: keep)'),
});

const LEVEL_KEYS = ['high', 'medium', 'low'] as const;
const matrixRow = strict({ high: priority, medium: priority, low: priority }, { noun: 'urgency', required: [...LEVEL_KEYS] });
const priorityMatrix = strict({
  matrix: strict({ high: matrixRow, medium: matrixRow, low: matrixRow }, { noun: 'impact', required: [...LEVEL_KEYS] }).describe(
    'impact → urgency → priority',
  ),
});

const routing = z
  .array(
    strict(
      {
        category: id('a ticket category'),
        product: text('a product (a name under products)'),
        from: text('the first version of the product the rule matches (default: the first)'),
        to: text('the last version of the product the rule matches (default: the last)'),
        tier: id('the tier id a matching new ticket enters'),
      },
      { required: ['tier'] },
    ),
  )
  .describe('the first rule whose category and product (and version range) match picks the tier a new ticket enters');

const dayHours = z.array(z.string()).nullable().describe('open ranges "HH:MM-HH:MM" ("24:00" allowed); leave out for closed');
const weekdays = strict(
  { mon: dayHours, tue: dayHours, wed: dayHours, thu: dayHours, fri: dayHours, sat: dayHours, sun: dayHours },
  { noun: 'weekday' },
);
const calendar = strict(
  {
    zone: text('IANA time zone, such as Europe/Berlin or UTC'),
    hours: z.union([z.enum(['24x7', '12x5']), weekdays]).describe('24x7, 12x5, or a table of weekdays to open ranges'),
    holidays: z.array(z.string()).describe('closed local dates YYYY-MM-DD'),
  },
  { required: ['zone', 'hours'] },
);

const sla = strict(
  {
    warnings: percentages('fractions of a target at which agents are warned (default [75%, 90%])'),
    groups: z
      .record(
        z.string(),
        strict({
          people: ids('people ids'),
          ids: ids('platform:id entries, such as slack:U0123 or discord:1000…'),
          slack_usergroups: ids('Slack user group ids'),
          discord_roles: ids('Discord role ids (quoted)'),
        }),
      )
      .describe('customer groups by name: requesters with their own targets'),
    policies: z
      .array(
        strict(
          {
            priority: priority.describe('the priority this policy applies to'),
            priorities: z.array(priority).describe('several priorities, instead of priority'),
            group: id('a customer group under sla.groups (default: everyone)'),
            first_response: duration('business time until the first agent reply'),
            resolution: duration('business time until resolution'),
            calendar: id('a calendar under calendars, or 24x7 / 12x5'),
            warnings: percentages('this policy\u2019s warnings, instead of sla.warnings'),
          },
          { required: ['first_response', 'resolution', 'calendar'] },
        ),
      )
      .describe('targets per priority (and optionally per customer group)'),
  },
  { required: ['policies'] },
);

const slack = strict(
  {
    reaction_channels: z.array(z.string()).describe('channel ids where the reaction on a message opens a ticket from it'),
    reaction: text('the reaction\u2019s emoji name (default ticket)'),
  },
  { hint: 'tokens belong in the environment' },
);

const discord = strict({
  guilds: z.array(snowflake('guild id')).describe('guild (server) ids tierdesk serves'),
  tickets_channel: snowflake('text channel in which each ticket gets a private thread with its requester'),
});

const layer = strict(
  {
    name: text('layer name'),
    users: z.array(z.union([id('a person id'), z.array(id('a person id'))])).describe('the rotation; an entry may list people on call together'),
    start: text('local start of the first turn, "YYYY-MM-DDTHH:MM" in the zone'),
    turn: text('length of a turn, such as 1 week, 12 hours, 2 days'),
    restrict: z
      .array(
        strict(
          {
            days: z.array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])).describe('weekdays (default: every day)'),
            from: text('"HH:MM"'),
            to: text('"HH:MM" (24:00 allowed)'),
          },
          { required: ['from', 'to'] },
        ),
      )
      .describe('the layer is on call only inside these windows'),
    turns: z.enum(['elapsed', 'restricted']).describe('elapsed: turns advance with the calendar; restricted: only restricted time counts'),
    zone: text('IANA time zone of this layer (default: the schedule\u2019s)'),
  },
  { required: ['users', 'start', 'turn'] },
);
const schedule = strict(
  {
    zone: text('IANA time zone of the schedule'),
    layers: z.array(layer).describe('rotations; a later layer wins where it has someone on call'),
    overrides: z
      .array(
        strict(
          { user: id('a person id'), from: text('instant with offset, "2024-11-05T06:00:00Z"'), to: text('instant with offset') },
          { required: ['user', 'from', 'to'] },
        ),
      )
      .describe('someone on call instead, for a while'),
  },
  { required: ['zone', 'layers'] },
);

const step = z
  .union([
    strict(
      {
        notify: strict({
          schedule: id('a schedule under schedules: whoever is on call'),
          user: id('a person id'),
          channel: id('a tier id: its agent channel'),
        }),
      },
      { required: ['notify'] },
    ),
    strict({ wait: duration('wait before the next step') }, { required: ['wait'] }),
  ])
  .describe('{ notify: { schedule | user | channel: … } } or { wait: DURATION }');
const policy = strict(
  {
    steps: z.array(step).describe('notify and wait steps, in order'),
    repeat: z.int().min(0).describe('how many more times the steps run when nobody acknowledges'),
  },
  { required: ['steps'] },
);

const paging = strict(
  {
    opened_outside_hours: priorities('page when a ticket of these priorities opens outside the tier\u2019s hours'),
    sla_warning: priorities('page on an SLA warning'),
    sla_breach: priorities('page on an SLA breach'),
    escalated_into: priorities('page when a ticket is escalated into the tier'),
    handoff_to_channel: z.boolean().describe('also tell the tier channel who comes on call at each handoff'),
  },
  { noun: 'rule' },
);

const peerChannels = (description: string) => z.union([id('a channel'), z.array(id('a channel'))]).describe(description);
const count = (description: string) => z.int().min(0).max(1_000_000).describe(description);
const peer = strict({
  channels: strict(
    {
      console: peerChannels('console channel names'),
      slack: peerChannels('Slack channel ids: each top-level message is a question'),
      discord: peerChannels('Discord forum channel ids (quoted): each post is a question'),
    },
    { noun: 'platform' },
  ),
  moderators: ids('people ids who may mark solutions on any question (agents always may)'),
  helper_group: strict({ slack: text('Slack user group id, such as S0HELPERS'), discord: snowflake('Discord role id') }).describe(
    'pinged for unanswered questions, granted at the helper threshold',
  ),
  points: strict({
    solution: count('points for a marked solution'),
    thanks: count('points for a thank-you'),
    per_thread: count('most points one helper earns on one question'),
    per_day: count('most points one helper earns in a day'),
  }),
  helper_threshold: count('points (all time) at which the helper group is granted'),
  unanswered: strict({
    ping_after: duration('ping the helpers after this long without an answer'),
    ticket_after: duration('turn the question into a ticket after this long'),
    calendar: id('count business time on this calendar'),
    tier: id('the tier the ticket enters'),
  }),
  stale: strict({
    ask_after: duration('ask "still need help?" after this much quiet'),
    close_after: duration('close after this much more quiet'),
  }),
  tags: strict({ open: text('Discord forum tag for open questions'), solved: text('Discord forum tag for solved questions') }),
});

const kb = strict({
  authors: ids('tiers whose agents add, edit, publish and save articles (default: every tier but the first)'),
  deflection: z.boolean().describe('offer matching articles before a ticket is opened'),
});

/** The whole configuration file. Every section is optional but `tiers`. */
export const configSchema = strict(
  {
    people: z.record(z.string(), person).nullable().describe('people tierdesk knows, by an id you choose'),
    tiers: z.array(tier).describe('the support ladder, first rung first'),
    tickets: tickets.nullable().describe('ticket defaults and limits'),
    priority: priorityMatrix.nullable().describe('the impact × urgency matrix (default: ITIL 3×3)'),
    routing: routing.nullable(),
    calendars: z.record(z.string(), calendar).nullable().describe('business-hour calendars by name (24x7 and 12x5 are built in)'),
    sla: sla.nullable().describe('SLA targets; without them tickets have no clocks'),
    slack: slack.nullable().describe('Slack settings that are not secrets'),
    discord: discord.nullable().describe('Discord settings that are not secrets'),
    schedules: z.record(z.string(), schedule).nullable().describe('on-call schedules by name'),
    escalation_policies: z.record(z.string(), policy).nullable().describe('escalation policies by name'),
    paging: paging.nullable().describe('when a tier\u2019s escalation policy is paged, by ticket priority'),
    peer: peer.nullable().describe('peer support: questions, helpers, points'),
    kb: kb.nullable().describe('the knowledge base'),
    csat: csat.nullable().describe('satisfaction surveys after resolution'),
    transcripts: transcripts.nullable().describe('where closed tickets\u2019 transcripts go'),
    webhooks: z.array(webhook).nullable().describe('outbound webhooks: lifecycle events POSTed as signed JSON, retried and in order per ticket'),
    out_of_hours: strict({
      enabled: z.boolean().describe('tell a requester whose ticket arrives outside its tier\u2019s hours when it opens (default true)'),
      message: text(
        `the wording, with named fields: ${Object.keys(OUT_OF_HOURS_FIELDS)
          .map((f) => `{${f}}`)
          .join(' ')}`,
      ),
    })
      .nullable()
      .describe('the answer to a ticket opened while its tier is closed'),
    products: z.record(z.string(), product).nullable().describe('products tickets are about, by name: versions and support windows'),
  },
  { noun: 'section', required: ['tiers'] },
);

/** The JSON Schema of tierdesk.yaml, for editors (`tierdesk config schema`, tierdesk.schema.json). */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'tierdesk.yaml',
    description: 'The configuration of tierdesk, a chat-native help desk. Secrets come from the environment, never from this file.',
  };
}
