import { afterEach, describe, expect, it } from 'vitest';
import { actWithText, command, modalShown, openTicket, press, sendCommand, submit } from './interactions.js';
import { ann, DISCORD_YAML, l1Desk, requester, startDiscordDesk, support, ticketCount, type DiscordDesk } from './support.js';

// Spam protection (an open-ticket cap and a cooldown per requester) and Discord's size limits.

let t: DiscordDesk;
afterEach(async () => {
  await t.close();
});

const LIMITED_YAML = `${DISCORD_YAML}
tickets: { max_open_per_requester: 1, cooldown: 1 minute }
`;

describe('per-requester limits: max_open_per_requester 1, cooldown 1 minute', () => {
  it('a second open ticket is refused, ephemerally, whether typed or through the form', async () => {
    t = await startDiscordDesk({ yaml: LIMITED_YAML });
    await openTicket(t, 'Printer on fire');

    const typed = await command(t, requester, support.id, 'new', { title: 'Monitor flickers' });
    const intake = await modalShown(t, (await sendCommand(t, requester, support.id, 'new')).payload);
    const formed = await submit(t, requester, support.id, intake, { title: 'Monitor flickers' });

    for (const refusal of [typed, formed]) {
      expect(refusal.text).toBe(
        'You already have 1 open ticket, the most allowed here. Add to one of them (/ticket list) or wait until one is resolved.',
      );
      expect(refusal.ephemeral).toBe(true);
    }
    expect(await ticketCount(t)).toBe(1);
    expect(t.discord.world.messagesIn(l1Desk.id)).toHaveLength(1);
  });

  it('once the first is resolved, the cooldown still applies, then it is lifted after a minute', async () => {
    t = await startDiscordDesk({ yaml: LIMITED_YAML });
    const first = await openTicket(t, 'Printer on fire');
    await actWithText(t, ann, first.card, 'resolve', 'Fixed');
    t.clock.advance(20_000);

    const tooSoon = await command(t, requester, support.id, 'new', { title: 'Monitor flickers' });
    expect(tooSoon.text).toBe('You opened a ticket moments ago; you can open another in 40 seconds.');
    expect(tooSoon.ephemeral).toBe(true);

    t.clock.advance(40_000);
    const later = await command(t, requester, support.id, 'new', { title: 'Monitor flickers' });
    expect(later.text).toMatch(/^Ticket #2 opened/);
  });

  it('agents are exempt (they open tickets for others)', async () => {
    t = await startDiscordDesk({ yaml: LIMITED_YAML });
    await openTicket(t, 'For a caller', {}, ann, l1Desk.id);

    const second = await command(t, ann, l1Desk.id, 'new', { title: 'For another caller' });

    expect(second.text).toMatch(/^Ticket #2 opened/);
  });

  it('a refusal leaves no trace: the same requester may retry once allowed, with a new interaction', async () => {
    t = await startDiscordDesk({ yaml: LIMITED_YAML });
    const first = await openTicket(t, 'Printer on fire');
    await command(t, requester, support.id, 'new', { title: 'Second' });
    await press(t, ann, first.card, 'claim');
    await actWithText(t, ann, first.card, 'resolve', 'Fixed');
    t.clock.advance(60_000);

    expect((await command(t, requester, support.id, 'new', { title: 'Second' })).text).toMatch(/^Ticket #2 opened/);
  });
});

describe("Discord's size limits", () => {
  const embedSize = (e: { title?: string; description?: string; footer?: { text: string }; fields?: Array<{ name: string; value: string }> }) =>
    [e.title, e.description, e.footer?.text, ...(e.fields ?? []).flatMap((f) => [f.name, f.value])].reduce((n, s) => n + [...(s ?? '')].length, 0);

  it('a 4,000-character description and a 200-character title fit the card, which says where the rest is', async () => {
    t = await startDiscordDesk();
    const title = `Printer ${'on fire '.repeat(30)}`.slice(0, 200);
    const description = `${'Smoke from tray 2. '.repeat(210)}`.slice(0, 3990) + 'THE-END';

    const ticket = await openTicket(t, title, { description });

    const [embed] = t.discord.world.message(ticket.card.channel, ticket.card.id).embeds;
    expect([...(embed?.title ?? '')].length).toBeLessThanOrEqual(256);
    expect(embed?.title).toBe(`🎫 #1 ${title.trim()}`);
    expect([...(embed?.description ?? '')].length).toBeLessThanOrEqual(4096);
    expect(embed?.description).not.toContain('THE-END');
    expect(embed?.description).toMatch(/\(cut: \/ticket show 1 has the rest\)$/);
    expect(embedSize(embed ?? {})).toBeLessThanOrEqual(6000);
    expect(String(t.discord.world.channel(ticket.thread.channel).name).length).toBeLessThanOrEqual(100);
  });

  it('the longest reply and resolution (4,000 characters each) still fit every embed', async () => {
    t = await startDiscordDesk();
    const ticket = await openTicket(t, 'Printer on fire', { description: 'd'.repeat(4000) });
    const long = (word: string) => `${word} `.repeat(800).slice(0, 4000);

    await command(t, ann, l1Desk.id, 'reply', { number: 1, text: long('reply') });
    await command(t, ann, l1Desk.id, 'note', { number: 1, text: long('note') });
    await command(t, ann, l1Desk.id, 'resolve', { number: 1, resolution: long('resolution') });

    const refused = t.discord.rest.calls().filter((c) => c.status === 400);
    expect(refused).toEqual([]);
    const dead = await t.db.selectFrom('outbox').select(['message_key', 'last_error']).where('status', '=', 'dead').execute();
    expect(dead).toEqual([]);
    for (const channel of [ticket.card.channel, ticket.card.id, ticket.thread.channel]) {
      for (const m of t.discord.world.messagesIn(channel)) for (const e of m.embeds) expect(embedSize(e)).toBeLessThanOrEqual(6000);
    }
    // The requester still sees how to confirm or reopen after the longest resolution.
    const descriptions = t.discord.world.messagesIn(ticket.thread.channel).map((m) => m.embeds[0]?.description ?? '');
    expect(descriptions).toContainEqual(expect.stringMatching(/\/ticket confirm 1\. If not, \/ticket reopen 1 within 1 week\.$/));
  });

  it('a title over the limit is refused, saying where the details go', async () => {
    t = await startDiscordDesk();

    const answer = await command(t, requester, support.id, 'new', { title: 'x'.repeat(201) });

    expect(answer.text).toBe('The title is 201 characters; the limit is 200. Put the details in --description.');
    expect(await ticketCount(t)).toBe(0);
  });

  // Regression (found by this suite, fixed): a card answer is an embed, within Discord's limits.
  it('/ticket show of a long ticket shows the whole description, or says where the rest is', async () => {
    t = await startDiscordDesk();
    const description = `${'Smoke from tray 2. '.repeat(150)}`.slice(0, 2800) + ' THE-END';
    await openTicket(t, 'Printer on fire', { description });

    const show = await command(t, ann, l1Desk.id, 'show', { number: 1 });
    const shownText = [show.text, ...(show.record.original?.embeds ?? []).map((e) => e.description ?? '')].join('\n');

    expect(shownText.includes('THE-END') || /cut|the rest/i.test(show.text)).toBe(true);
  });
});
