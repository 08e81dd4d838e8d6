import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { APIMessage } from 'discord.js';
import { buttonPress } from '../../fakes/discord/index.js';
import { command, openTicket } from './interactions.js';
import { bob, DISCORD_YAML, l1Desk, ann, startDiscordDesk, type DiscordDesk } from './support.js';

// L2 pages Bob (on call all day) for any P1 escalated into it.
const YAML = `${DISCORD_YAML.replace('agents: [bob], channels:', 'agents: [bob], escalation_policy: l2-default, channels:')}
schedules:
  l2-primary: { zone: UTC, layers: [ { name: all-day, users: [bob], start: "2024-06-01T00:00", turn: 1 week } ] }
escalation_policies:
  l2-default: { steps: [ { notify: { schedule: l2-primary } }, { wait: 5m }, { notify: { channel: L2 } } ] }
paging: { escalated_into: [P1] }
`;

let t: DiscordDesk;
beforeEach(async () => {
  t = await startDiscordDesk({ yaml: YAML });
});
afterEach(async () => {
  await t.close();
});

describe('a page in Discord', () => {
  it('reaches the person on call by DM, and its Acknowledge button (pressed in the DM) stops it', async () => {
    await openTicket(t, 'Database down', { urgency: 'high', impact: 'high' });
    await command(t, ann, l1Desk.id, 'escalate', { number: 1, reason: 'needs a DBA' });
    await t.desk.dispatcher.drain();
    const dm = await t.discord.rest.waitForCall('POST /users/@me/channels', (c) => (c.body as { recipient_id?: string }).recipient_id === bob.id);
    const dmChannel = String((dm.response as { id: string }).id);
    const page = await t.discord.rest.waitForCall('POST /channels/:channel/messages', (c) => c.params.channel === dmChannel);
    expect(JSON.stringify(page.body)).toContain('Page: #1');
    const message = page.response as APIMessage;
    const buttons = JSON.stringify(message.components ?? []).match(/"custom_id":"(tierdesk:ack:[^"]+)"/);
    const ack = buttons ? { custom_id: buttons[1]! } : undefined;
    expect(ack).toBeDefined();
    const context = { ...t.discord.context({ channel: l1Desk.id, user: bob.id }) };
    const payload = buttonPress(context, { customId: String((ack as { custom_id: string }).custom_id), message });
    const dmPayload = {
      ...payload,
      guild_id: undefined,
      member: undefined,
      user: { id: bob.id, username: 'bob', discriminator: '0', global_name: null, avatar: null },
      channel_id: dmChannel,
      channel: { id: dmChannel, type: 1 },
    };
    await t.discord.gateway.interactionCreate(dmPayload as unknown as typeof payload);
    const answer = await t.discord.rest.waitForCall('POST /interactions/:interaction/:token/callback', (c) => c.params.interaction === payload.id);
    expect(JSON.stringify(answer.body)).toMatch(/acknowledged the page for #1/);
    expect((await t.db.selectFrom('pages').select('status').executeTakeFirstOrThrow()).status).toBe('acknowledged');
  });
});
