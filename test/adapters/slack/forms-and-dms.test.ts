import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pressButton, stateValues, submitView, viewOpenedWith } from './interactions.js';
import { ANN, BOB, EMPLOYEE, GENERAL, OLGA, callsTo, messageText, openTicket, startSlackDesk, ticketRow, type SlackDesk } from './support.js';

// The core decides who may before any form opens; a DM with tierdesk is never silent.

let t: SlackDesk;
beforeEach(async () => {
  t = await startSlackDesk();
});
afterEach(async () => {
  await t.close();
});

describe('Resolve on a ticket card', () => {
  for (const [who, user] of [
    ['a non-agent', OLGA],
    ['an agent of another tier', BOB],
  ] as const) {
    it(`pressed by ${who}: an ephemeral refusal with the reason, and no views.open call`, async () => {
      const ticket = await openTicket(t, 'Printer on fire');
      const pressed = await pressButton(t, user, ticket.card, 'resolve');
      const { reply } = await t.handled(pressed.triggerId);

      expect(reply?.form).toBeUndefined();
      const answer = (await t.slack.web.waitForResponse(pressed.responseUrl)).body as { text: string; response_type: string };
      expect(answer).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/Only Help desk \(L1\) agents can resolve ticket #1/) });
      expect(t.slack.web.calls('views.open')).toEqual([]);
      expect(await ticketRow(t, 1)).toMatchObject({ status: 'open' });
    });
  }

  it('pressed by an agent of the tier: the form the core answers with; submitting it resolves the ticket', async () => {
    const ticket = await openTicket(t, 'Printer on fire');
    const pressed = await pressButton(t, ANN, ticket.card, 'resolve');
    const view = await viewOpenedWith(t, pressed.triggerId);
    expect(view.callback_id).toBe('tierdesk_form:ticket.resolve');
    expect(view.blocks.map((b) => b.block_id)).toEqual(['resolution']);

    const submitted = await submitView(t, ANN, view, { resolution: 'Cleared the jam --with care' });
    const { event } = await t.handled(view.id);

    expect(submitted.body).toBe('');
    expect(event).toMatchObject({
      kind: 'command',
      name: 'ticket',
      args: { sub: 'resolve', number: '1', resolution: 'Cleared the jam --with care' },
    });
    expect(await ticketRow(t, 1)).toMatchObject({ status: 'resolved', resolution: 'Cleared the jam --with care' });
  });
});

describe('forms the core answers with', () => {
  it('/ticket with nothing more opens the new-ticket modal', async () => {
    const sent = await t.sender.slashCommand({ command: '/ticket', text: '', user_id: EMPLOYEE, channel_id: 'C0RANDOM' });
    const view = await viewOpenedWith(t, sent.triggerId);

    expect(sent.body).toBe('');
    expect(view.callback_id).toBe('tierdesk_form:ticket.new');
    expect(stateValues(view, {}).urgency!.value).toMatchObject({ selected_option: { value: 'medium' } });
  });

  it('the Create ticket shortcut opens the form filled in from the message', async () => {
    const message = t.slack.web.workspace.addMessage({ channel: GENERAL, user: OLGA, text: 'The scanner is offline\nsince 9am' });
    const used = await t.sender.interaction({
      type: 'message_action',
      user: EMPLOYEE,
      callback_id: 'tierdesk_create_ticket',
      channel: GENERAL,
      message_ts: message.ts,
    });
    const { event } = await t.handled(used.triggerId!);
    const view = await viewOpenedWith(t, used.triggerId!);

    expect(event).toMatchObject({
      kind: 'action',
      action: 'ticket.message',
      value: '',
      about: { id: message.ts, text: 'The scanner is offline\nsince 9am' },
    });
    expect(stateValues(view, {}).title!.value).toMatchObject({ value: 'The scanner is offline' });
  });
});

describe("a requester's DM with tierdesk, outside any ticket's thread", () => {
  /** `text` written at the top of the employee's DM with tierdesk; the answer tierdesk posted there. */
  async function writeInDm(text: string) {
    const dm = t.slack.web.workspace.dmWith(EMPLOYEE);
    const sent = await t.sender.event({ type: 'message', channel: dm, user: EMPLOYEE, text });
    const { event } = await t.handled(sent.eventId);
    expect(event).toMatchObject({ kind: 'message', text, direct: true, place: { channel: dm } });
    const answer = await t.slack.web.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === dm && c.args.thread_ts === undefined && !messageText(c.args).includes('Ticket #'),
    );
    return { channel: dm, ts: String((answer.response as { ts: string }).ts), text: messageText(answer.args) };
  }

  async function press(message: { channel: string; ts: string }, action: string) {
    const pressed = await pressButton(t, EMPLOYEE, message, action);
    const { reply } = await t.handled(pressed.triggerId);
    await t.desk.dispatcher.drain();
    return reply?.text ?? '';
  }

  it('with no ticket: offered a ticket made from it; the button opens it', async () => {
    const offer = await writeInDm('my laptop will not boot');

    expect(await press(offer, 'dm.open')).toMatch(/Ticket #1 opened/);
    expect(await ticketRow(t, 1)).toMatchObject({ requester_id: EMPLOYEE, title: 'my laptop will not boot' });
  });

  it('with one active ticket: joined to it, and told where it went', async () => {
    await openTicket(t, 'Printer on fire');
    const told = await writeInDm('it smells of toast now');

    expect(told.text).toMatch(/Added to your ticket #1/);
    await t.desk.dispatcher.drain();
    const relayed = callsTo(t, 'chat.postMessage', 'C0L1DESK').map((c) => messageText(c.args));
    expect(relayed.join()).toContain('it smells of toast now');
  });

  it('with two: asked which, and the chosen ticket gets the words', async () => {
    await openTicket(t, 'Printer on fire');
    await openTicket(t, 'VPN drops');
    const ask = await writeInDm('still broken after lunch');

    // Buttons: #2 VPN drops, #1 Printer on fire, A new ticket.
    expect(await press(ask, 'dm.attach#2')).toMatch(/Added to your ticket #1/);
    const l1 = callsTo(t, 'chat.postMessage', 'C0L1DESK').filter((c) => messageText(c.args).includes('still broken after lunch'));
    expect(l1).toHaveLength(1);
    expect(l1[0]!.args.thread_ts).toBe(
      (await t.db.selectFrom('messages').select('message_id').where('key', '=', 'ticket:1:card:L1').executeTakeFirstOrThrow()).message_id,
    );
  });
});
