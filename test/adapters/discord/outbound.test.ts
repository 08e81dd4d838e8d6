import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordOutbound } from '../../../adapters/discord/discord-adapter.js';
import { DEFAULT_PEER_TAGS } from '../../../adapters/discord/forum.js';
import { createMemoryLogger } from '../../../src/logger.js';
import { PermanentDeliveryError, type Card, type ChatAdapter, type Person, type Place } from '../../../src/ports.js';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord/index.js';
import { APP, community, l1Desk, requester, support, TOKEN } from './support.js';

// The delivery worker of `tierdesk start` posts through a client that never logs in to the gateway:
// it knows no guild until it asks, and discord.js returns no channel of a guild it does not know.

let discord: FakeDiscord;
let outbound: ChatAdapter;
beforeEach(async () => {
  discord = await startFakeDiscord({ token: TOKEN, applicationId: APP, guilds: [community] });
  outbound = createDiscordOutbound({
    token: TOKEN,
    apiUrl: discord.apiUrl,
    guilds: [community.id],
    ticketsChannel: support.id,
    peerTags: DEFAULT_PEER_TAGS,
    logger: createMemoryLogger(),
  });
  await outbound.start(async () => undefined);
});
afterEach(async () => {
  await outbound.stop();
  await discord.stop();
});

const card = (title: string): Card => ({ title, text: 'Printer on fire', fallback: title });
const desk: Place = { platform: 'discord', space: community.id, channel: l1Desk.id };
const rita: Person = { platform: 'discord', space: community.id, id: requester.id, name: 'rita' };
const guildFetches = () => discord.rest.calls('GET /guilds/:guild').filter((c) => c.status === 200).length;

describe('the delivery side alone (no gateway)', () => {
  it('posts and edits a card in a channel, and opens a private thread in the tickets channel and writes in it', async () => {
    const posted = await outbound.post(desk, card('#1 Printer on fire'));
    await outbound.edit!(desk, posted.messageId, card('#1 Printer on fire (claimed)'));
    const thread = await outbound.openPrivateThread!(rita, '#1 Printer on fire');
    await outbound.post(thread, card('Your ticket #1'));

    expect(discord.world.messagesIn(l1Desk.id).map((m) => m.embeds[0]?.title)).toEqual(['#1 Printer on fire (claimed)']);
    expect(discord.world.channel(thread.channel).parent_id).toBe(support.id);
    expect([...(discord.world.threadMembers.get(thread.channel)?.keys() ?? [])]).toContain(requester.id);
    expect(discord.world.messagesIn(thread.channel).map((m) => m.embeds[0]?.title)).toEqual(['Your ticket #1']);
    expect(discord.gateway.connections).toHaveLength(0);
  });

  it('asks for its guild once, and the channel it has seen not again', async () => {
    await outbound.post(desk, card('#1'));
    await outbound.post(desk, card('#2'));
    await outbound.post(desk, card('#3'));

    expect(guildFetches()).toBe(1);
    expect(discord.rest.calls('GET /channels/:channel').filter((c) => c.params.channel === l1Desk.id)).toHaveLength(1);
  });

  it('retries later when the guild cannot be read (not given up), and asks again on the next delivery', async () => {
    discord.rest.failNext('GET /guilds/:guild', { status: 503 });

    const first = await outbound.post(desk, card('#1')).catch((err: unknown) => err);
    expect(first).toBeInstanceOf(Error);
    expect(first).not.toBeInstanceOf(PermanentDeliveryError);
    await outbound.post(desk, card('#1'));

    expect(discord.world.messagesIn(l1Desk.id)).toHaveLength(1);
    expect(guildFetches()).toBe(1);
  });
});
