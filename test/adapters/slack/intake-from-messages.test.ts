import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stateValues, submitView, viewOpenedWith } from './interactions.js';
import { EMPLOYEE, GENERAL, L1_DESK, OLGA, callsTo, messageText, startSlackDesk, ticketCount, ticketRow, type SlackDesk } from './support.js';

// A message becomes a ticket: the 🎫 reaction in a watched channel, or the "Create ticket" message shortcut.

let t: SlackDesk;
beforeEach(async () => {
  t = await startSlackDesk();
});
afterEach(async () => {
  await t.close();
});

/** `user` adds `reaction` to the message at (channel, ts): a `reaction_added` event. */
async function react(user: string, channel: string, ts: string, reaction = 'ticket') {
  const sent = await t.sender.event({
    type: 'reaction_added',
    user,
    reaction,
    item: { type: 'message', channel, ts },
    item_user: EMPLOYEE,
    event_ts: t.slack.web.workspace.nextTs(),
  });
  expect(sent.status).toBe(200);
  return sent;
}

describe('the ticket reaction', () => {
  it('on a message in a watched channel opens a ticket from the message, its thread and a permalink', async () => {
    const message = t.slack.web.workspace.addMessage({ channel: GENERAL, user: EMPLOYEE, text: 'The wiki is down again\nError 502 on every page' });
    t.slack.web.workspace.addMessage({ channel: GENERAL, user: OLGA, text: 'same here', thread_ts: message.ts });

    const sent = await react(EMPLOYEE, GENERAL, message.ts);
    const { reply } = await t.handled(sent.eventId);
    await t.desk.dispatcher.drain();

    expect(reply?.text).toMatch(/Ticket #1 opened/);
    const row = await ticketRow(t, 1);
    expect(row.title).toBe('The wiki is down again');
    expect(row.description).toContain('Error 502 on every page');
    expect(row.description).toContain('same here');
    const permalink = `https://tierdesk-fake.slack.com/archives/${GENERAL}/p${message.ts.replace('.', '')}`;
    expect(row.description).toContain(`From: ${permalink}`);
    expect(row.requester_id).toBe(EMPLOYEE);
    expect(messageText(callsTo(t, 'chat.postMessage', L1_DESK)[0]!.args)).toContain('The wiki is down again');
    expect((await t.slack.web.waitForCall('chat.postEphemeral')).args).toMatchObject({ channel: GENERAL, user: EMPLOYEE });
  });

  it('in a channel that is not watched does nothing', async () => {
    const message = t.slack.web.workspace.addMessage({ channel: 'C0RANDOM', user: EMPLOYEE, text: 'The wiki is down' });

    const sent = await react(EMPLOYEE, 'C0RANDOM', message.ts);
    const { reply } = await t.handled(sent.eventId);
    await t.desk.dispatcher.drain();

    expect(reply).toBeUndefined();
    expect(await ticketCount(t)).toBe(0);
    expect(t.slack.web.calls('chat.postMessage')).toEqual([]);
    expect(t.slack.web.calls('chat.postEphemeral')).toEqual([]);
  });

  it('another emoji does nothing, and nothing is even read', async () => {
    const message = t.slack.web.workspace.addMessage({ channel: GENERAL, user: EMPLOYEE, text: 'Lunch?' });
    const sent = await react(EMPLOYEE, GENERAL, message.ts, 'thumbsup');
    // Then a ticket reaction: once it is handled, the thumbs-up (sent first) has long been looked at.
    const other = t.slack.web.workspace.addMessage({ channel: GENERAL, user: EMPLOYEE, text: 'VPN down' });
    await t.handled((await react(EMPLOYEE, GENERAL, other.ts)).eventId);

    expect(t.inbound.map((h) => JSON.stringify(h.event.raw)).join()).not.toContain(sent.eventId);
    expect(t.slack.web.calls('conversations.replies').map((c) => c.args.ts)).toEqual([other.ts]);
    expect(await ticketCount(t)).toBe(1);
  });

  it('a retried reaction event opens one ticket', async () => {
    const message = t.slack.web.workspace.addMessage({ channel: GENERAL, user: EMPLOYEE, text: 'The wiki is down' });
    const first = await react(EMPLOYEE, GENERAL, message.ts);
    await t.sender.event(first.callback.event as { type: string }, { eventId: first.eventId, retryNum: 1 });
    await t.handled(first.eventId, 2);

    expect(await ticketCount(t)).toBe(1);
  });
});

describe('the "Create ticket" message shortcut', () => {
  it('opens the intake modal prefilled from the message, with a link back; submitting it opens the ticket', async () => {
    const message = t.slack.web.workspace.addMessage({ channel: GENERAL, user: OLGA, text: 'Can someone reset my MFA?\nI got a new phone.' });
    const { channel: _channel, ...asSlackShowsIt } = message;

    const sent = await t.sender.interaction({
      type: 'message_action',
      user: EMPLOYEE,
      callback_id: 'tierdesk_create_ticket',
      channel: GENERAL,
      message_ts: message.ts,
      message: asSlackShowsIt,
    });
    const view = await viewOpenedWith(t, sent.triggerId!);

    expect(sent.status).toBe(200);
    const values = stateValues(view, {});
    expect(values.title!.value).toMatchObject({ value: 'Can someone reset my MFA?' });
    expect(values.description!.value!.value).toMatch(
      /^Can someone reset my MFA\?\nI got a new phone\.\n\nFrom: https:\/\/tierdesk-fake\.slack\.com\/archives\/C0GENERAL\/p\d+$/,
    );
    expect(JSON.parse(view.private_metadata)).toMatchObject({ channel: GENERAL, args: { sub: 'new', anyway: 'true' } }); // never deflected (form-answers.test.ts)

    const submitted = await submitView(t, EMPLOYEE, view, { urgency: 'low' });
    expect(submitted.body).toBe('');
    expect(await ticketRow(t, 1)).toMatchObject({ title: 'Can someone reset my MFA?', urgency: 'low', requester_id: EMPLOYEE });
  });
});
