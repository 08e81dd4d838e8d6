import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guild, member, textChannel } from '../../fakes/discord/index.js';
import { gatewayMessage } from '../../fakes/discord/messages.js';
import {
  answerOf,
  CALLBACK,
  callsTo,
  command,
  EDIT_REPLY,
  openTicket,
  POST_MESSAGE,
  press,
  sendCommand,
  sendPress,
  sendSubmit,
  pressForModal,
  submit,
  textsIn,
  write,
} from './interactions.js';
import { FORM_TOO_SLOW } from '../../../adapters/discord/answer.js';
import { ann, historyKinds, l1Desk, olga, requester, startDiscordDesk, support, ticketCount, ticketRow, type DiscordDesk } from './support.js';

// Discord's rules for interactions: answered within 3 s (a form at once, anything slow deferred
// first), errors and refusals only to the person (flag 64), and the same interaction twice does
// nothing the second time.

let t: DiscordDesk;
beforeEach(async () => {
  t = await startDiscordDesk();
});
afterEach(async () => {
  await t.close();
});

const WINDOW_MS = 3_000;
const callbacksFor = (id: string) => t.discord.rest.calls(CALLBACK).filter((c) => c.params.interaction === id);

describe('answering within 3 seconds', () => {
  it("every interaction of a ticket's life got its first answer inside the window, once", async () => {
    const ticket = await openTicket(t);
    await press(t, ann, ticket.card, 'claim');
    await submit(t, ann, l1Desk.id, await pressForModal(t, ann, ticket.card, 'reply'), { text: 'Hello' });
    await command(t, olga, l1Desk.id, 'claim', { number: 1 });

    const records = [...t.discord.world.interactions.values()];
    expect(records).toHaveLength(5); // new, claim, reply button, reply form, olga's claim
    for (const r of records) {
      expect(r.response, `interaction ${r.id}`).toBeDefined();
      expect(r.response!.at - r.at).toBeLessThan(WINDOW_MS);
      expect([4, 5, 9]).toContain(r.response!.type);
      expect(callbacksFor(r.id)).toHaveLength(1);
    }
    expect(t.discord.rest.calls(CALLBACK).filter((c) => c.status !== 204)).toEqual([]);
  });

  it("a quick core: the answer is the interaction's reply itself (type 4, ephemeral), one request", async () => {
    const answer = await command(t, requester, support.id, 'new', { title: 'Printer on fire', urgency: 'high' });

    expect(callbacksFor(answer.payload.id).map((c) => c.body)).toEqual([
      { type: 4, data: expect.objectContaining({ flags: 64, content: expect.stringMatching(/^Ticket #1 opened \(P2, Help desk\)/) }) },
    ]);
    expect(t.discord.rest.calls(EDIT_REPLY)).toEqual([]);
  });

  it('a slow core: the interaction is deferred (ephemeral) while the core works, then the answer is edited in', async () => {
    const ticket = await openTicket(t);
    const release = t.holdCore();

    const { payload, record } = await sendPress(t, ann, ticket.card, 'claim');
    const deferred = await t.discord.rest.waitForCall(CALLBACK, (c) => c.params.interaction === payload.id);
    expect(deferred.body).toEqual({ type: 5, data: { flags: 64 } });
    expect(t.inbound.map((h) => h.event.key)).not.toContain(`discord:interaction:${payload.id}`);
    t.clock.advance(10_000); // the core takes 10 s: long past the 3 s window, well within the token's 15 min
    release();
    const answer = await answerOf(t, payload, record);

    expect([answer.type, answer.text, answer.ephemeral]).toEqual([5, 'You have claimed #1.', true]);
    expect(
      t.discord.rest
        .calls(EDIT_REPLY)
        .filter((c) => c.params.token === payload.token)
        .map((c) => c.status),
    ).toEqual([200]);
  });

  it('a form is the first answer when the core is quick; a slow core is deferred and asks to try again (a modal cannot follow a deferral)', async () => {
    const ticket = await openTicket(t);
    const form = await pressForModal(t, ann, ticket.card, 'escalate');
    expect(form.custom_id).toBe('tierdesk:form:ticket:sub=escalate&number=1');

    const release = t.holdCore();
    const { payload, record } = await sendPress(t, ann, ticket.card, 'escalate');
    const deferred = await t.discord.rest.waitForCall(CALLBACK, (c) => c.params.interaction === payload.id);
    release();
    const answer = await answerOf(t, payload, record);

    expect(deferred.body).toEqual({ type: 5, data: { flags: 64 } });
    expect([answer.type, answer.text, answer.ephemeral]).toEqual([5, FORM_TOO_SLOW, true]);
    expect(await ticketRow(t, 1)).toMatchObject({ tier: 'L1' });
  });
});

describe('errors and refusals are ephemeral', () => {
  it('from a command, a button and a form alike', async () => {
    const ticket = await openTicket(t);
    const fromCommand = await command(t, requester, support.id, 'show', { number: 42 });
    const fromButton = await press(t, olga, ticket.card, 'claim');
    const fromForm = await submit(t, ann, l1Desk.id, await pressForModal(t, ann, ticket.card, 'reply'), { text: '   ' });

    expect(fromCommand.text).toBe('There is no ticket #42.');
    expect(fromButton.text).toMatch(/^Only Help desk \(L1\) agents can claim/);
    expect(fromForm.text).toMatch(/^A reply needs some text/);
    expect([fromCommand, fromButton, fromForm].map((a) => a.ephemeral)).toEqual([true, true, true]);
    expect(t.discord.world.messagesIn(support.id)).toEqual([]); // nothing public in the channel
  });
});

describe('what goes wrong on our side', () => {
  it('is answered privately with a reference to quote, logged with the same reference, no internals shown', async () => {
    await t.db.schema.dropTable('ticket_events').execute(); // the database breaks under the core

    const answer = await command(t, requester, support.id, 'new', { title: 'Printer on fire' });

    const ref = /\(reference ([^)]+)\)/.exec(answer.text)?.[1];
    expect(answer.text).toMatch(/^Sorry, something went wrong on our side \(reference \S+\)\. Nothing was changed/);
    expect(answer.ephemeral).toBe(true);
    expect(answer.text).not.toMatch(/ticket_events|sqlite|at \w+ \(/i);
    expect(t.logger.lines).toContainEqual(
      expect.objectContaining({ level: 'error', fields: expect.objectContaining({ ref, key: `discord:interaction:${answer.payload.id}` }) }),
    );
    expect(await ticketCount(t)).toBe(0);
  });

  it('an interaction from a guild tierdesk does not serve never reaches the core', async () => {
    const other = guild({
      name: 'Elsewhere',
      owner: olga,
      channels: [textChannel({ id: '200000000000000077', name: 'general' })],
      members: [member(requester)],
    });
    t.discord.world.addGuild(other);

    await sendCommand(t, requester, '200000000000000077', 'new', { title: 'Not here' });
    await command(t, requester, support.id, 'list'); // interactions are taken in order: the first was seen

    expect(t.inbound.map((h) => h.event.key)).toHaveLength(1);
    expect(await ticketCount(t)).toBe(0);
  });
});

describe('the same interaction delivered twice', () => {
  /** The gateway delivers `payload` again (a replayed dispatch); the core sees the key a second time. */
  async function deliverAgain(payload: { id: string }) {
    await t.discord.gateway.dispatch('INTERACTION_CREATE', payload as unknown as Record<string, unknown>);
    const again = await t.handled(`discord:interaction:${payload.id}`, 2);
    await t.desk.dispatcher.drain();
    return again;
  }

  it('/ticket new: one ticket, one card, one private thread', async () => {
    const { payload, record } = await sendCommand(t, requester, support.id, 'new', { title: 'Printer on fire' });
    await answerOf(t, payload, record);
    await t.desk.dispatcher.drain();

    const again = await deliverAgain(payload);

    expect(again.reply).toBeUndefined();
    expect(await ticketCount(t)).toBe(1);
    expect(callsTo(t, POST_MESSAGE, l1Desk.id)).toHaveLength(1);
    expect(t.discord.rest.calls('POST /channels/:channel/threads')).toHaveLength(1);
  });

  it('a claim button: claimed once, the card edited once', async () => {
    const ticket = await openTicket(t);
    const { payload, record } = await sendPress(t, ann, ticket.card, 'claim');
    await answerOf(t, payload, record);
    await t.desk.dispatcher.drain();

    await deliverAgain(payload);

    expect(await historyKinds(t, 1)).toEqual(['opened', 'claimed']);
    expect(callsTo(t, 'PATCH /channels/:channel/messages/:message', l1Desk.id)).toHaveLength(1);
  });

  it('a reply form: the requester gets the reply once', async () => {
    const ticket = await openTicket(t);
    const form = await pressForModal(t, ann, ticket.card, 'reply');
    const { payload, record } = await sendSubmit(t, ann, l1Desk.id, form, { text: 'Only once, please' });
    await answerOf(t, payload, record);
    await t.desk.dispatcher.drain();

    await deliverAgain(payload);

    expect(textsIn(t, ticket.thread.channel).filter((m) => m.includes('Only once, please'))).toHaveLength(1);
  });

  it('a replayed message in the private thread is relayed once', async () => {
    const ticket = await openTicket(t);
    const { message } = await write(t, requester, ticket.thread.channel, 'Only once');

    await t.discord.gateway.dispatch('MESSAGE_CREATE', gatewayMessage(t.discord.world, message));
    // Messages are handled in order: once the next one is handled, the replay has been seen.
    await write(t, requester, ticket.thread.channel, 'sentinel');

    expect(textsIn(t, ticket.card.id)).toEqual(['💬 rita (requester) on #1\nOnly once', '💬 rita (requester) on #1\nsentinel']);
    expect(await historyKinds(t, 1)).toEqual(['opened', 'requester_message', 'requester_message']);
  });
});
