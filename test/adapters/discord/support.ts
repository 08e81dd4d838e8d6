import { applicationCommands } from '../../../adapters/discord/commands.js';
import { createDiscordAdapter } from '../../../adapters/discord/discord-adapter.js';
import { createCatalogue } from '../../../src/capabilities/index.js';
import { createDesk, type Desk } from '../../../src/core/desk.js';
import { Directory } from '../../../src/core/directory.js';
import { loadConfig, type Config } from '../../../src/config/config.js';
import { createMemoryLogger } from '../../../src/logger.js';
import { FakeClock, type ChatAdapter, type Inbound, type Reply } from '../../../src/ports.js';
import { openDatabase, type Db } from '../../../src/store/connect.js';
import { findMessage } from '../../../src/store/messages.js';
import { migrateToLatest } from '../../../src/store/migrate.js';
import type { MessageRow } from '../../../src/store/schema.js';
import { guild, member, role, startFakeDiscord, textChannel, user, type FakeDiscord } from '../../fakes/discord/index.js';
import { Recording } from '../../fakes/recording.js';

export const TOKEN = 'fake-discord-token';
export const APP = '900000000000000001';

// A community: a requester, two L1 agents (one through the role), an L2 agent, an outsider.
export const requester = user({ id: '100000000000000010', username: 'rita' });
export const ann = user({ id: '100000000000000001', username: 'ann' });
export const bob = user({ id: '100000000000000002', username: 'bob' });
export const gus = user({ id: '100000000000000003', username: 'gus' });
export const olga = user({ id: '100000000000000004', username: 'olga' });
export const l1Role = role({ id: '300000000000000001', name: 'L1 agents' });
/** A role an on-call handle may keep (tiers[].oncall_handle.discord). */
export const oncallRole = role({ id: '300000000000000002', name: 'L1 on call' });
export const support = textChannel({ id: '200000000000000009', name: 'support' });
export const l1Desk = textChannel({ id: '200000000000000001', name: 'l1-desk' });
export const l2Desk = textChannel({ id: '200000000000000002', name: 'l2-desk' });
export const transcriptsChannel = textChannel({ id: '200000000000000011', name: 'transcripts' });
export const community = guild({
  id: '400000000000000001',
  name: 'Community',
  owner: olga,
  roles: [l1Role, oncallRole],
  channels: [support, l1Desk, l2Desk, transcriptsChannel],
  members: [member(requester), member(ann), member(bob), member(gus, { roles: [l1Role] }), member(olga)],
});

export const DISCORD_YAML = `
people:
  ann: { name: Ann Agent, discord: "${ann.id}" }
  bob: { name: Bob Backline, discord: "${bob.id}" }
tiers:
  - { id: L1, name: Help desk, agents: [ann], discord_role: "${l1Role.id}", channels: { discord: "${l1Desk.id}" } }
  - { id: L2, name: Second level, agents: [bob], channels: { discord: "${l2Desk.id}" } }
discord:
  guilds: ["${community.id}"]
  tickets_channel: "${support.id}"
`;

/** One inbound event the core finished handling (its transaction committed), and its answer. */
export interface Handled {
  event: Inbound;
  reply: Reply | void;
}

export interface DiscordDesk {
  discord: FakeDiscord;
  desk: Desk;
  db: Db;
  clock: FakeClock;
  config: Config;
  adapter: ChatAdapter;
  logger: ReturnType<typeof createMemoryLogger>;
  /**
   * Resolves once the core has handled the `nth` inbound event with idempotency key `key`
   * (`discord:interaction:<id>`, `discord:message:<id>`): past or future, so act first, then wait.
   */
  handled(key: string, nth?: number): Promise<Handled>;
  /** Every inbound event the core handled so far, oldest first. */
  readonly inbound: readonly Handled[];
  /** Makes the core slow: inbound events wait until the returned function is called. */
  holdCore(): () => void;
  /** Stop the process (desk and adapter), run `meanwhile` (move the clock), start a new one on the same database. */
  restart(meanwhile: () => void): Promise<void>;
  close(): Promise<void>;
}

/** tierdesk with the real discord.js Client against the fake Discord, on a fresh in-memory database. */
export async function startDiscordDesk(options: { yaml?: string } = {}): Promise<DiscordDesk> {
  const clock = new FakeClock(Date.parse('2024-06-03T09:00:00Z'));
  const discord = await startFakeDiscord({ token: TOKEN, applicationId: APP, guilds: [community], now: () => clock.now() });
  const config = loadConfig({ text: options.yaml ?? DISCORD_YAML, env: {} });
  const db = openDatabase(':memory:');
  await migrateToLatest(db);
  const logger = createMemoryLogger();
  const newAdapter = () =>
    createDiscordAdapter({
      token: TOKEN,
      applicationId: APP,
      apiUrl: discord.apiUrl,
      guilds: config.discord.guilds,
      ...(config.discord.ticketsChannel ? { ticketsChannel: config.discord.ticketsChannel } : {}),
      surface: createCatalogue().surface('discord', config),
      platformGroups: new Directory(config).platformGroups('discord'),
      peerForums: config.peer.channels.discord ?? [],
      peerTags: config.peer.tags,
      logger,
      now: () => clock.now(),
    });
  const handled = new Recording<Handled>();
  const gate = { open: Promise.resolve() };
  // Only `start` is wrapped: post, edit, openPrivateThread and addMembers are the adapter's own.
  const watched = (adapter: ChatAdapter): ChatAdapter => ({
    ...adapter,
    start: (deliver, intake) =>
      adapter.start(async (event) => {
        await gate.open;
        const reply = await deliver(event);
        handled.add({ event, reply });
        return reply;
      }, intake),
  });
  const startDesk = async () => {
    const adapter = newAdapter();
    const desk = createDesk({ db, config, clock, logger, adapters: [watched(adapter)], dispatcher: { random: () => 0.5 } });
    await desk.start();
    return { adapter, desk };
  };
  const { adapter, desk } = await startDesk();
  const t: DiscordDesk = {
    discord,
    desk,
    db,
    clock,
    config,
    adapter,
    logger,
    handled(key, nth = 1) {
      let seen = 0;
      return handled.waitFor(`inbound event #${nth} with key ${key}`, (h) => h.event.key === key && ++seen === nth);
    },
    get inbound() {
      return handled.all;
    },
    holdCore() {
      let release!: () => void;
      gate.open = new Promise<void>((resolve) => (release = resolve));
      return () => {
        gate.open = Promise.resolve();
        release();
      };
    },
    async restart(meanwhile) {
      await t.desk.stop();
      meanwhile();
      Object.assign(t, await startDesk());
    },
    async close() {
      await t.desk.stop();
      handled.close(() => `Inbound events handled: ${handled.all.length}.`);
      await discord.stop();
      await db.destroy();
    },
  };
  return t;
}

/** The application commands `tierdesk discord register` registers for this configuration. */
export function registration(config: Config) {
  return applicationCommands(createCatalogue().surface('discord', config));
}

/** Where tierdesk posted a keyed message (`ticket:1:card:L1`, `ticket:1:requester`). */
export async function posted(t: DiscordDesk, key: string): Promise<MessageRow> {
  const row = await findMessage(t.db, key);
  if (!row) throw new Error(`message ${key} was never posted`);
  return row;
}

/** A ticket's row, as stored. */
export function ticketRow(t: DiscordDesk, number: number) {
  return t.db.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
}

/** How many tickets exist. */
export async function ticketCount(t: DiscordDesk): Promise<number> {
  const row = await t.db
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The kinds of a ticket's history events, oldest first. */
export async function historyKinds(t: DiscordDesk, number: number): Promise<string[]> {
  const rows = await t.db.selectFrom('ticket_events').select(['kind']).where('ticket', '=', number).orderBy('id').execute();
  return rows.map((r) => r.kind);
}
