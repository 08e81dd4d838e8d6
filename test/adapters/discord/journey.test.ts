import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatInputCommand } from '../../fakes/discord/index.js';
import { l1Desk, requester, startDiscordDesk, support, type DiscordDesk } from './support.js';

let t: DiscordDesk;
beforeEach(async () => {
  t = await startDiscordDesk();
});
afterEach(async () => {
  await t.close();
});

describe('a ticket in Discord, end to end with the real discord.js Client', () => {
  it('opens from /ticket new, posts the card to L1, opens a private thread with the requester', async () => {
    await t.discord.gateway.interactionCreate(
      chatInputCommand(t.discord.context({ channel: support.id, user: requester.id }), { name: 'ticket', subcommand: 'new', options: { title: 'Printer on fire', urgency: 'high' } }),
    );
    const answer = await t.discord.rest.waitForCall('PATCH /webhooks/:app/:token/messages/:message');
    expect(JSON.stringify(answer.body)).toMatch(/Ticket #1 opened \(P2, Help desk\)/);
    const card = await t.discord.rest.waitForCall('POST /channels/:channel/messages', (c) => c.params.channel === l1Desk.id);
    expect(JSON.stringify(card.body)).toContain('#1 Printer on fire');
    expect(JSON.stringify(card.body)).toContain('tierdesk:claim:1');
    const thread = await t.discord.rest.waitForCall('POST /channels/:channel/threads', (c) => c.params.channel === support.id);
    expect(thread.body).toMatchObject({ type: 12, invitable: false });
    await t.discord.rest.waitForCall('PUT /channels/:channel/thread-members/:user', (c) => c.params.user === requester.id);
  });
});
