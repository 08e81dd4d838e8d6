import { createSlackAdapter, type SlackAdapter } from '../../../adapters/slack/slack-adapter.js';
import { createDesk, type Desk } from '../../../src/app/desk.js';
import { Directory } from '../../../src/app/directory.js';
import { loadConfig } from '../../../src/config.js';
import { createMemoryLogger } from '../../../src/logger.js';
import { FakeClock } from '../../../src/ports.js';
import { openDatabase, type Db } from '../../../src/store/connect.js';
import { migrateToLatest } from '../../../src/store/migrate.js';
import { startFakeSlack, type FakeSlack, type SlackHttpSender } from '../../fakes/slack-api/index.js';

export const BOT_TOKEN = 'xoxb-test-token';
export const SIGNING_SECRET = 'test-signing-secret';
export const APP_TOKEN = 'xapp-test-token';

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

export interface SlackDesk {
  slack: FakeSlack;
  desk: Desk;
  db: Db;
  clock: FakeClock;
  adapter: SlackAdapter;
  logger: ReturnType<typeof createMemoryLogger>;
  /** Signed HTTP requests to the adapter's receiver (HTTP mode). */
  sender: SlackHttpSender;
  close(): Promise<void>;
}

/** tierdesk with the real Bolt App against the fake Slack, on a fresh in-memory database. */
export async function startSlackDesk(options: { mode?: 'http' | 'socket'; yaml?: string } = {}): Promise<SlackDesk> {
  const clock = new FakeClock(Date.parse('2024-06-03T09:00:00Z'));
  const slack = await startFakeSlack({
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    appToken: APP_TOKEN,
    users: [
      { id: 'U0EMP', name: 'erin', real_name: 'Erin Employee', tz: 'Europe/Berlin' },
      { id: 'U0ANN', name: 'ann', real_name: 'Ann Agent' },
      { id: 'U0BOB', name: 'bob', real_name: 'Bob Backline' },
      { id: 'U0GRP', name: 'gus', real_name: 'Gus Groupmember' },
      { id: 'U0OUT', name: 'olga', real_name: 'Olga Outsider' },
    ],
    usergroups: { S0DESK: ['U0GRP'] },
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
    tiers: config.tiers.map((t) => ({ id: t.id, name: t.name })),
    defaults: { urgency: config.tickets.defaultUrgency, impact: config.tickets.defaultImpact },
    platformGroups: new Directory(config).platformGroups('slack'),
    logger,
    now: () => clock.now(),
  });
  const desk = createDesk({ db, config, clock, logger, adapters: [adapter], dispatcher: { random: () => 0.5 } });
  await desk.start();
  const sender = slack.sender(adapter.url ?? 'http://127.0.0.1:1/unused');
  return {
    slack, desk, db, clock, adapter, logger, sender,
    async close() {
      await desk.stop();
      await slack.stop();
      await db.destroy();
    },
  };
}

/** Every text a bot message carries (notification text and block texts), for assertions. */
export function messageText(args: Record<string, unknown>): string {
  return JSON.stringify([args.text, args.blocks]);
}
