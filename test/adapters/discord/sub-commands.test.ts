import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actWithText, command, openTicket, press, textsIn, ticketPlaces, type OpenedTicket } from './interactions.js';
import { ann, bob, gus, historyKinds, l1Desk, l2Desk, registration, requester, startDiscordDesk, ticketRow, type DiscordDesk } from './support.js';

// Every card button has a `/ticket` sub-command twin with typed options; free text reaches the
// core as typed (an option value is never re-parsed: `--force` and line breaks stay words).

let t: DiscordDesk;
let ticket: OpenedTicket;
beforeEach(async () => {
  t = await startDiscordDesk();
  ticket = await openTicket(t);
});
afterEach(async () => {
  await t.close();
});

const privateThread = () => textsIn(t, ticket.thread.channel);
const eventData = async (kind: string) => {
  const rows = await t.db.selectFrom('ticket_events').select('data').where('ticket', '=', 1).where('kind', '=', kind).orderBy('id').execute();
  return rows.map((r) => JSON.parse(r.data) as Record<string, unknown>);
};

describe('the twins of the card buttons', () => {
  it('every button any card state shows is a registered /ticket sub-command', async () => {
    const registered = registration(t.config) as Array<{ name: string; options?: Array<{ name: string }> }>;
    const subsOf = (name: string) => new Set((registered.find((c) => c.name === name)?.options ?? []).map((o) => o.name));
    const subs = subsOf('ticket');
    const actions = new Set<string>();
    const collect = () => {
      for (const m of [...t.discord.world.messagesIn(l1Desk.id), ...t.discord.world.messagesIn(l2Desk.id)]) {
        const rows = (m.components ?? []) as unknown as Array<{ components?: Array<{ custom_id?: string }> }>;
        for (const c of rows.flatMap((row) => row.components ?? [])) if (c.custom_id) actions.add(c.custom_id.split(':')[1]!);
      }
    };
    collect();
    await press(t, ann, ticket.card, 'claim');
    collect();
    await press(t, ann, ticket.card, 'wait');
    collect();
    await actWithText(t, ann, ticket.card, 'resolve', 'Fixed');
    collect();
    await press(t, ann, ticket.card, 'reopen');
    await actWithText(t, ann, ticket.card, 'escalate', 'Firmware');
    collect();

    expect([...actions].sort()).toEqual(['claim', 'consult', 'escalate', 'kb.save', 'reopen', 'reply', 'resolve', 'wait']);
    // `kb.save` ("Save as article" on the resolved card) is the twin of `/kb save`.
    const kbSubs = subsOf('kb');
    for (const action of actions) {
      if (action.startsWith('kb.')) expect(kbSubs, `/kb ${action.slice(3)}`).toContain(action.slice(3));
      else if (action === 'consult')
        continue; // the consults capability's /ticket consult (not in this hand-built command)
      else expect(subs, `/ticket ${action}`).toContain(action);
    }
  });

  it('/ticket claim number:1, then force:true takes it over', async () => {
    expect((await command(t, gus, l1Desk.id, 'claim', { number: 1 })).text).toBe('You have claimed #1.');
    expect((await command(t, ann, l1Desk.id, 'claim', { number: 1 })).text).toMatch(/already claimed by gus\. To take it over/);

    const forced = await command(t, ann, l1Desk.id, 'claim', { number: 1, force: true });

    expect(forced.text).toBe('You have claimed #1 (taken over from gus).');
    expect(await ticketRow(t, 1)).toMatchObject({ assignee: 'ann' });
  });

  it('/ticket reply keeps --force and line breaks as written', async () => {
    const text = 'Run the updater with --force --to L3\nthen restart:\n  1. unplug it\n  2. wait ten seconds';

    const answer = await command(t, ann, l1Desk.id, 'reply', { number: 1, text });

    expect(answer.text).toBe('Reply sent to rita on #1.');
    expect(privateThread().at(-1)).toBe(`💬 Ann Agent on #1\n${text}`);
    expect(await eventData('replied')).toEqual([expect.objectContaining({ text })]);
  });

  it("/ticket note goes only to the card's thread", async () => {
    await command(t, ann, l1Desk.id, 'note', { number: 1, text: 'cursed printer --urgency high' });

    expect(textsIn(t, ticket.card.id)).toEqual([expect.stringContaining('cursed printer --urgency high')]);
    expect(privateThread().join()).not.toContain('cursed');
  });

  it('/ticket wait asks the requester, in their thread', async () => {
    await command(t, ann, l1Desk.id, 'claim', { number: 1 });

    await command(t, ann, l1Desk.id, 'wait', { number: 1, question: 'Which model is it?' });

    expect(await ticketRow(t, 1)).toMatchObject({ status: 'waiting_on_requester' });
    expect(privateThread().join('\n')).toContain('Which model is it?');
  });

  it('/ticket escalate with a reason that looks like options, and to: chosen from the tiers', async () => {
    const reason = 'Needs a DBA --to L1\nsee the logs';

    const answer = await command(t, ann, l1Desk.id, 'escalate', { number: 1, reason, to: 'L2' });

    expect(answer.text).toBe('#1 escalated from L1 to L2 Second level.');
    expect(await eventData('escalated')).toEqual([expect.objectContaining({ from: 'L1', to: 'L2', reason })]);
    expect((await ticketPlaces(t, 1, 'L2')).card.channel).toBe(l2Desk.id);
  });

  it("/ticket resolve, then the requester's /ticket reopen and /ticket confirm from their thread", async () => {
    await command(t, ann, l1Desk.id, 'claim', { number: 1 });
    await command(t, ann, l1Desk.id, 'resolve', { number: 1, resolution: 'Replaced the fuser\n(part 4711)' });
    expect(await ticketRow(t, 1)).toMatchObject({ status: 'resolved', resolution: 'Replaced the fuser\n(part 4711)' });

    const reopened = await command(t, requester, ticket.thread.channel, 'reopen', { number: 1, reason: 'Smoking again' });
    expect(reopened.text).toBe('#1 is open again.');
    await command(t, ann, l1Desk.id, 'resolve', { number: 1, resolution: 'New printer' });
    const confirmed = await command(t, requester, ticket.thread.channel, 'confirm', { number: 1 });

    expect(confirmed.text).toBe('Thanks! #1 is closed.');
    expect(await historyKinds(t, 1)).toEqual(['opened', 'claimed', 'resolved', 'reopened', 'resolved', 'closed']);
  });

  it('/ticket confirm by someone else than the requester is refused', async () => {
    await command(t, ann, l1Desk.id, 'resolve', { number: 1, resolution: 'Fixed' });

    const answer = await command(t, bob, l1Desk.id, 'confirm', { number: 1 });

    expect(answer.text).toBe('Only rita, who raised #1, can confirm its resolution.');
    expect(answer.ephemeral).toBe(true);
  });
});

describe('the commands that have no button', () => {
  it('/ticket priority changes impact and the priority with it', async () => {
    await command(t, ann, l1Desk.id, 'priority', { number: 1, impact: 'high' });

    expect(await ticketRow(t, 1)).toMatchObject({ impact: 'high', urgency: 'high', priority: 'P1' });
  });

  it('/ticket show, list and history answer only the asker', async () => {
    const show = await command(t, ann, l1Desk.id, 'show', { number: 1 });
    const list = await command(t, requester, ticket.thread.channel, 'list');
    const history = await command(t, ann, l1Desk.id, 'history', { number: 1 });
    const help = await command(t, requester, ticket.thread.channel, 'help');

    expect([show, list, history, help].map((a) => a.ephemeral)).toEqual([true, true, true, true]);
    expect(show.text).toMatch(/^🎫 #1 Printer on fire/);
    expect(list.text).toMatch(/^#1 P2 open L1 · Printer on fire/);
    expect(history.text).toMatch(/opened/);
    expect(help.text).toMatch(/^tierdesk commands/);
  });

  it('a ticket that does not exist, or is not yours, is refused ephemerally', async () => {
    const missing = await command(t, ann, l1Desk.id, 'show', { number: 99 });
    const notYours = await command(t, gus, l1Desk.id, 'confirm', { number: 1 });

    expect([missing.text, missing.ephemeral]).toEqual(['There is no ticket #99.', true]);
    expect(notYours.text).toMatch(/Only rita, who raised #1/);
  });
});
