import type { AdmissionOptions } from '../../../src/core/intake-queue.js';
import { createSlackAdapter, type SlackAdapter } from '../../../adapters/slack/slack-adapter.js';
import { createCatalogue } from '../../../src/capabilities/index.js';
import { createDesk, type Desk } from '../../../src/core/desk.js';
import { Directory } from '../../../src/core/directory.js';
import { loadConfig } from '../../../src/config/config.js';
import { createMemoryLogger } from '../../../src/logger.js';
import { FakeClock, type ChatAdapter, type Inbound, type Reply } from '../../../src/ports.js';
import { openDatabase, type Db } from '../../../src/store/connect.js';
import { findMessage } from '../../../src/store/messages.js';
import { migrateToLatest } from '../../../src/store/migrate.js';
import type { MessageRow } from '../../../src/store/schema.js';
import { startFakeSlack, type FakeSlack, type FakeUserSeed, type RecordedCall, type SlackHttpSender } from '../../fakes/slack-api/index.js';
import { Recording } from '../../fakes/recording.js';

export const BOT_TOKEN = 'xoxb-test-token';
export const SIGNING_SECRET = 'test-signing-secret';
export const APP_TOKEN = 'xapp-test-token';

/** The people of the test workspace, by Slack user id. */
export const EMPLOYEE = 'U0EMP';
export const ANN = 'U0ANN'; // L1 agent, configured in people
export const BOB = 'U0BOB'; // L2 agent, configured in people
export const GUS = 'U0GRP'; // L1 agent only through the S0DESK user group
export const OLGA = 'U0OUT'; // nobody in particular
export const L1_DESK = 'C0L1DESK';
export const L2_DESK = 'C0L2DESK';
export const GENERAL = 'C0GENERAL';

/** A workspace: an employee, three agents (one only through a user group), tier channels. */
export const SLACK_YAML = `
people:
  ann: { name: Ann Agent, slack: U0ANN }
  bob: { name: Bob Backline, slack: U0BOB }
tiers:
  - { id: L1, name: Help desk, agents: [ann], slack_usergroup: S0DESK, channels: { slack: C0L1DESK } }
  - { id: L2, name: Second level, agents: [bob], channels: { slack: C0L2DESK } }
slack:
  reaction_channels: [C0GENERAL]
sla:
  policies:
    - { priority: P2, first_response: 1 hour, resolution: 8 hours, calendar: 24x7 }
`;

/** One inbound event the core finished handling (its transaction committed), and its answer. */
export interface Handled {
  event: Inbound;
  reply: Reply | void;
}

export interface SlackDesk {
  slack: FakeSlack;
  desk: Desk;
  db: Db;
  clock: FakeClock;
  adapter: SlackAdapter;
  logger: ReturnType<typeof createMemoryLogger>;
  /** Signed HTTP requests to the adapter's receiver (HTTP mode). */
  sender: SlackHttpSender;
  /**
   * Resolves once the core has handled the `nth` inbound event whose raw Slack payload carries `id`
   * (a trigger id, event id or view id): past or future, so send first, then wait.
   */
  handled(id: string, nth?: number): Promise<Handled>;
  /** Every inbound event handled so far, oldest first. */
  readonly inbound: readonly Handled[];
  /**
   * Makes the core slow: inbound events wait before being handled until the returned function is
   * called (a busy database, as the adapter sees it).
   */
  holdCore(): () => void;
  /** Inbound events that reached the core's door so far (held there while holdCore is in force). */
  readonly arrived: number;
  close(): Promise<void>;
}

/** tierdesk with the real Bolt App against the fake Slack, on a fresh in-memory database. */
export async function startSlackDesk(
  options: {
    mode?: 'http' | 'socket';
    yaml?: string;
    wrap?: (adapter: ChatAdapter) => ChatAdapter;
    users?: FakeUserSeed[];
    admission?: AdmissionOptions;
  } = {},
): Promise<SlackDesk> {
  const clock = new FakeClock(Date.parse('2024-06-03T09:00:00Z'));
  const slack = await startFakeSlack({
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    appToken: APP_TOKEN,
    users: [
      { id: EMPLOYEE, name: 'erin', real_name: 'Erin Employee', tz: 'Europe/Berlin' },
      { id: ANN, name: 'ann', real_name: 'Ann Agent' },
      { id: BOB, name: 'bob', real_name: 'Bob Backline' },
      { id: GUS, name: 'gus', real_name: 'Gus Groupmember' },
      { id: OLGA, name: 'olga', real_name: 'Olga Outsider' },
      ...(options.users ?? []),
    ],
    // S0ONCALL: a group an on-call handle may own (tiers[].oncall_handle); Olga is in it at first.
    usergroups: { S0DESK: [GUS], S0ONCALL: [OLGA] },
    now: () => clock.now(),
  });
  const config = loadConfig({ text: options.yaml ?? SLACK_YAML, env: {} });
  const db = openDatabase(':memory:');
  await migrateToLatest(db);
  const logger = createMemoryLogger();
  const adapter = createSlackAdapter({
    botToken: BOT_TOKEN,
    ...(options.mode === 'socket' ? { appToken: APP_TOKEN } : { signingSecret: SIGNING_SECRET }),
    apiUrl: slack.apiUrl,
    port: 0,
    host: '127.0.0.1',
    reaction: config.slack.reaction,
    surface: createCatalogue().surface('slack', config),
    ...(config.tickets.categories ? { categories: config.tickets.categories } : {}),
    defaults: { urgency: config.tickets.defaultUrgency, impact: config.tickets.defaultImpact },
    platformGroups: new Directory(config).platformGroups('slack'),
    peerChannels: config.peer.channels.slack ?? [],
    logger,
    now: () => clock.now(),
  });
  const handled = new Recording<Handled>();
  const gate = { open: Promise.resolve(), arrived: 0 };
  // `wrap`: what the process puts around the adapter (src/cli.ts: the InboundGate).
  const seen = observed(adapter, handled, gate);
  const desk = createDesk({
    db,
    config,
    clock,
    logger,
    adapters: [options.wrap ? options.wrap(seen) : seen],
    dispatcher: { random: () => 0.5 },
    ...(options.admission ? { admission: options.admission } : {}),
  });
  await desk.start();
  const sender = slack.sender(adapter.url ?? 'http://127.0.0.1:1/unused');
  return {
    slack,
    desk,
    db,
    clock,
    adapter,
    logger,
    sender,
    handled(id, nth = 1) {
      let seen = 0;
      return handled.waitFor(`inbound event #${nth} carrying ${id}`, (h) => JSON.stringify(h.event.raw ?? null).includes(id) && ++seen === nth);
    },
    get inbound() {
      return handled.all;
    },
    get arrived() {
      return gate.arrived;
    },
    holdCore() {
      let release!: () => void;
      gate.open = new Promise<void>((resolve) => (release = resolve));
      return () => {
        gate.open = Promise.resolve();
        release();
      };
    },
    async close() {
      await desk.stop();
      handled.close(() => `Inbound events handled: ${handled.all.length}.`);
      await slack.stop();
      await db.destroy();
    },
  };
}

/** The adapter as the desk sees it, recording each inbound event once the core has answered it. */
function observed(adapter: SlackAdapter, handled: Recording<Handled>, gate: { open: Promise<void>; arrived: number }): ChatAdapter {
  return {
    platform: adapter.platform,
    start: (deliver, intake) =>
      adapter.start(async (event) => {
        gate.arrived += 1;
        await gate.open;
        const reply = await deliver(event);
        handled.add({ event, reply });
        return reply;
      }, intake),
    stop: () => adapter.stop(),
    post: (place, card) => adapter.post(place, card),
    edit: (place, id, card) => adapter.edit(place, id, card),
    openDirect: (person) => adapter.openDirect(person),
    labelThread: (place, label) => adapter.labelThread!(place, label),
    grantGroup: (person, group) => adapter.grantGroup!(person, group),
    setGroupMembers: (group, people) => adapter.setGroupMembers!(group, people),
    upload: (place, file, card) => adapter.upload!(place, file, card),
  };
}

/** Every text a bot message carries (notification text and block texts), for assertions. */
export function messageText(args: Record<string, unknown>): string {
  return JSON.stringify([args.text, args.blocks]);
}

/** Did Slack accept the call? */
export function succeeded(call: RecordedCall): boolean {
  return call.status === 200 && typeof call.response === 'object' && call.response.ok === true;
}

/** The successful `method` calls aimed at `channel`. */
export function callsTo(t: SlackDesk, method: string, channel: string): RecordedCall[] {
  return t.slack.web.calls(method).filter((c) => c.args.channel === channel && succeeded(c));
}

/** Where tierdesk posted a keyed message (`ticket:1:card:L1`, `ticket:1:requester`). */
export async function posted(t: SlackDesk, key: string): Promise<MessageRow> {
  const row = await findMessage(t.db, key);
  if (!row) throw new Error(`message ${key} was never posted`);
  return row;
}

export interface OpenedTicket {
  number: number;
  /** The card in the L1 agents' channel. */
  card: { channel: string; ts: string };
  /** The requester's anchor message in their DM with the bot. */
  dm: { channel: string; ts: string };
}

/** `/ticket new <text>` from `user`; waits until the core has opened it and its messages are out. */
export async function openTicket(t: SlackDesk, text: string, user = EMPLOYEE): Promise<OpenedTicket> {
  const sent = await t.sender.slashCommand({ command: '/ticket', text: `new ${text}`, user_id: user, channel_id: 'C0RANDOM' });
  const { reply } = await t.handled(sent.triggerId);
  const number = Number(/#(\d+) opened/.exec(reply?.text ?? '')?.[1]);
  if (!Number.isInteger(number)) throw new Error(`no ticket opened: ${reply?.text}`);
  await t.desk.dispatcher.drain();
  return { number, ...(await ticketMessages(t, number)) };
}

/** The L1 card and the requester's DM anchor of ticket `number`. */
export async function ticketMessages(t: SlackDesk, number: number, tier = 'L1'): Promise<Omit<OpenedTicket, 'number'>> {
  const card = await posted(t, `ticket:${number}:card:${tier}`);
  const dm = await posted(t, `ticket:${number}:requester`);
  return { card: { channel: card.channel, ts: card.message_id }, dm: { channel: dm.channel, ts: dm.message_id } };
}

/** How many tickets exist. */
export async function ticketCount(t: SlackDesk): Promise<number> {
  const row = await t.db
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A ticket's row, as stored. */
export function ticketRow(t: SlackDesk, number: number) {
  return t.db.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
}
