import type { APIMessage, APIUser } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { command, openTicket, pressInDm, shown, write } from './interactions.js';
import { historyKinds, requester, startDiscordDesk, support, ticketCount, ticketRow, type DiscordDesk } from './support.js';

// A DM is never silent: what a requester writes to tierdesk in their DM, outside any ticket's
// private thread, reaches the core as a direct message; the answer (and its buttons) comes back in
// the DM, and pressing them there works like any card button.

let t: DiscordDesk;
let dm: string;
beforeEach(async () => {
  t = await startDiscordDesk();
  dm = t.discord.world.openDm(requester.id).id;
});
afterEach(async () => {
  await t.close();
});

/** `who` writes in their DM with the bot; resolves with what tierdesk answered there. */
async function writeToTierdesk(who: APIUser, text: string): Promise<{ handled: Awaited<ReturnType<typeof write>>['handled']; answer: APIMessage }> {
  const { handled } = await write(t, who, dm, text);
  const said = t.discord.world.messagesIn(dm).at(-1);
  if (!said || said.author.id === who.id) throw new Error(`tierdesk did not answer in the DM (its reply: ${JSON.stringify(handled.reply)})`);
  return { handled, answer: said };
}

const buttonLabels = (m: APIMessage) =>
  ((m.components ?? []) as unknown as Array<{ components: Array<{ label?: string }> }>).flatMap((r) => r.components.map((b) => b.label));

describe('a message in the DM with tierdesk', () => {
  it('with no open ticket: reaches the core as direct, is offered a ticket in the DM, and its button opens one from the words', async () => {
    const { handled, answer } = await writeToTierdesk(requester, 'My laptop will not boot since the update');

    expect(handled.event).toMatchObject({ kind: 'message', direct: true, text: 'My laptop will not boot since the update' });
    expect(handled.event.place).toMatchObject({ channel: dm, space: t.config.discord.guilds[0] });
    expect(answer.channel_id).toBe(dm);
    expect(buttonLabels(answer)).toEqual(['Open a ticket']);

    const opened = await pressInDm(t, requester, answer, 'Open a ticket');

    expect(opened.text).toMatch(/Ticket #1 opened/);
    expect(await ticketRow(t, 1)).toMatchObject({ requester_id: requester.id, requester_space: t.config.discord.guilds[0] });
  });

  it('with one open ticket: joins that ticket and says where it went', async () => {
    await openTicket(t);

    const { answer } = await writeToTierdesk(requester, 'It smells of toast now');

    expect(shown(answer)).toMatch(/^Added to your ticket #1 \(Printer on fire\)/);
    expect(await historyKinds(t, 1)).toContain('requester_message');
    expect(await ticketCount(t)).toBe(1);
  });

  it('with two open tickets: asks which one in the DM, keeping the words, and the chosen ticket gets them', async () => {
    await openTicket(t);
    await command(t, requester, support.id, 'new', { title: 'VPN drops' });

    const { answer } = await writeToTierdesk(requester, 'Still broken after lunch');
    expect(buttonLabels(answer)).toEqual(['#2 VPN drops', '#1 Printer on fire', 'A new ticket']);

    const attached = await pressInDm(t, requester, answer, '#1 Printer on fire');

    expect(attached.text).toMatch(/Added to your ticket #1/);
    expect(await historyKinds(t, 1)).toContain('requester_message');
    expect(await historyKinds(t, 2)).not.toContain('requester_message');
  });
});
