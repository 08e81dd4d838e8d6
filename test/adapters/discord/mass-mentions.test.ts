import type { APIMessage } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actWithText, command, EDIT_MESSAGE, EDIT_REPLY, openTicket, POST_MESSAGE, press, textsIn, write } from './interactions.js';
import { ann, community, l1Desk, l1Role, olga, requester, startDiscordDesk, type DiscordDesk } from './support.js';

// Users type Discord's mention markup into titles, descriptions and messages. tierdesk shows their
// words but never lets them ping: every message goes out with `allowed_mentions: { parse: [] }`,
// and the fake Discord (whose bot may mention @everyone, so a leak would really ping) reports who
// was really notified in `mention_everyone`, `mentions` and `mention_roles`.

const MENTIONS = `@everyone @here <@&${l1Role.id}> <@${olga.id}> <@!${ann.id}>`;

let t: DiscordDesk;
beforeEach(async () => {
  t = await startDiscordDesk();
});
afterEach(async () => {
  await t.close();
});

/** Who a message really pinged, as the fake resolved it; empty when nobody was. */
function pings(m: APIMessage): string[] {
  return [...(m.mention_everyone ? ['@everyone/@here'] : []), ...m.mentions.map((u) => `user ${u.id}`), ...m.mention_roles.map((r) => `role ${r}`)];
}

/** Every message tierdesk wrote: in channels and threads, and its answers to interactions. */
function everythingTierdeskWrote(): APIMessage[] {
  const world = t.discord.world;
  const stored = [...world.messages.values()].filter((m) => m.author.id === t.discord.ids.botUserId);
  const answers = [...world.interactions.values()].flatMap((r) => [...(r.original ? [r.original] : []), ...r.followups]);
  return [...stored, ...answers];
}

/** A ticket whose title, description and conversation are full of mentions, worked through every path. */
async function mentionEverywhere() {
  const ticket = await openTicket(t, `Printer ${MENTIONS}`, { description: `${MENTIONS}\nsecond line ${MENTIONS}` });
  await write(t, requester, ticket.thread.channel, `requester says ${MENTIONS}`);
  await write(t, ann, ticket.card.id, `note ${MENTIONS}`);
  await press(t, ann, ticket.card, 'claim');
  await actWithText(t, ann, ticket.card, 'reply', `reply ${MENTIONS}`);
  await write(t, ann, ticket.thread.channel, `direct ${MENTIONS}`);
  await write(t, olga, ticket.card.id, `outsider ${MENTIONS}`); // refused, in reply to her
  await command(t, ann, l1Desk.id, 'escalate', { number: 1, reason: `why ${MENTIONS}`, to: `<@${olga.id}> @everyone` }); // refused, quoting "to"
  await actWithText(t, ann, ticket.card, 'escalate', `escalate ${MENTIONS}`);
  return ticket;
}

describe('mentions in what users write', () => {
  it('ping nobody, anywhere tierdesk repeats them', async () => {
    await mentionEverywhere();

    const written = everythingTierdeskWrote();
    expect(written.length).toBeGreaterThan(15);
    // Mention markup did reach a message's content (the refusal quoting "to"), where it could ping.
    expect(written.some((m) => m.content.includes(`<@${olga.id}>`))).toBe(true);
    expect(written.map((m) => ({ id: m.id, pinged: pings(m) })).filter((m) => m.pinged.length > 0)).toEqual([]);
  });

  it('every message tierdesk creates or edits, and every interaction answer, allows no mentions', async () => {
    await mentionEverywhere();

    const calls = [...t.discord.rest.calls(POST_MESSAGE), ...t.discord.rest.calls(EDIT_MESSAGE), ...t.discord.rest.calls(EDIT_REPLY)];
    const answers = t.discord.rest.calls('POST /interactions/:interaction/:token/callback').filter((c) => (c.body as { type: number }).type === 4);
    const bodies = [...calls.map((c) => c.body), ...answers.map((c) => (c.body as { data: unknown }).data)] as Array<{ allowed_mentions?: unknown }>;
    expect(bodies.length).toBeGreaterThan(15);
    expect(bodies.filter((b) => JSON.stringify(b.allowed_mentions) !== JSON.stringify({ parse: [] }))).toEqual([]);
  });

  it('stay readable: mass mentions are neutralised in the text, the words are kept', async () => {
    const ticket = await mentionEverywhere();

    const card = textsIn(t, ticket.card.channel).join('\n');
    expect(card).toContain('Printer @\u200Beveryone @\u200Bhere');
    expect(card).not.toMatch(/(^|[^\u200B])@(everyone|here)\b/);
    expect(textsIn(t, ticket.thread.channel).join('\n')).toContain('reply @\u200Beveryone');
    expect(t.discord.world.channel(ticket.thread.channel).name).toMatch(/^#1 Printer @\u200Beveryone/);
  });

  it('a requester whose display name is a mass mention does not ping when tierdesk names them', async () => {
    t.discord.world.member(community.id, requester.id).nick = '@everyone';

    const ticket = await openTicket(t, 'Printer on fire');
    await actWithText(t, ann, ticket.card, 'reply', 'hello');

    expect(everythingTierdeskWrote().filter((m) => pings(m).length > 0)).toEqual([]);
    expect(textsIn(t, l1Desk.id).join()).toContain('@\u200Beveryone');
    expect(textsIn(t, l1Desk.id).join()).not.toMatch(/(^|[^\u200B])@everyone/);
  });
});
