import { createDiscordAdapter } from '../../../adapters/discord/discord-adapter.js';
import { createDesk, type Desk } from '../../../src/app/desk.js';
import { Directory } from '../../../src/app/directory.js';
import { loadConfig } from '../../../src/config.js';
import { createMemoryLogger } from '../../../src/logger.js';
import { FakeClock, type ChatAdapter } from '../../../src/ports.js';
import { openDatabase, type Db } from '../../../src/store/connect.js';
import { migrateToLatest } from '../../../src/store/migrate.js';
import { guild, member, role, startFakeDiscord, textChannel, user, type FakeDiscord } from '../../fakes/discord/index.js';

export const TOKEN = 'fake-discord-token';
export const APP = '900000000000000001';

// A community: a requester, two L1 agents (one through the role), an L2 agent, an outsider.
export const requester = user({ id: '100000000000000010', username: 'rita' });
export const ann = user({ id: '100000000000000001', username: 'ann' });
export const bob = user({ id: '100000000000000002', username: 'bob' });
export const gus = user({ id: '100000000000000003', username: 'gus' });
export const olga = user({ id: '100000000000000004', username: 'olga' });
export const l1Role = role({ id: '300000000000000001', name: 'L1 agents' });
export const support = textChannel({ id: '200000000000000009', name: 'support' });
export const l1Desk = textChannel({ id: '200000000000000001', name: 'l1-desk' });
export const l2Desk = textChannel({ id: '200000000000000002', name: 'l2-desk' });
export const community = guild({
  id: '400000000000000001',
  name: 'Community',
  owner: olga,
  roles: [l1Role],
  channels: [support, l1Desk, l2Desk],
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

export interface DiscordDesk {
  discord: FakeDiscord;
  desk: Desk;
  db: Db;
  clock: FakeClock;
  adapter: ChatAdapter;
  logger: ReturnType<typeof createMemoryLogger>;
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
  const adapter = createDiscordAdapter({
    token: TOKEN,
    applicationId: APP,
    apiUrl: discord.apiUrl,
    guilds: config.discord.guilds,
    ...(config.discord.ticketsChannel ? { ticketsChannel: config.discord.ticketsChannel } : {}),
    tiers: config.tiers.map((t) => ({ id: t.id, name: t.name })),
    defaults: { urgency: config.tickets.defaultUrgency, impact: config.tickets.defaultImpact },
    platformGroups: new Directory(config).platformGroups('discord'),
    logger,
    now: () => clock.now(),
  });
  const desk = createDesk({ db, config, clock, logger, adapters: [adapter], dispatcher: { random: () => 0.5 } });
  await desk.start();
  return {
    discord, desk, db, clock, adapter, logger,
    async close() {
      await desk.stop();
      await discord.stop();
      await db.destroy();
    },
  };
}
