import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ANN, EMPLOYEE, L1_DESK, callsTo, messageText, startSlackDesk, ticketCount, ticketMessages, ticketRow, type SlackDesk } from './support.js';

// The same tierdesk over Socket Mode (SLACK_APP_TOKEN set): envelopes over a WebSocket, each acked.

let t: SlackDesk;
beforeEach(async () => {
  t = await startSlackDesk({ mode: 'socket' });
});
afterEach(async () => {
  await t.close();
});

describe('Socket Mode', () => {
  it('connects with the app token, and receives no HTTP', async () => {
    expect(t.adapter.url).toBeUndefined();
    expect(t.slack.socket.openConnections).toBe(1);
    expect(t.slack.web.calls('apps.connections.open')[0]).toMatchObject({ token: 'xapp-test-token', status: 200 });
  });

  it("/ticket new through an envelope: ticket opened, card posted, the answer in the envelope's ack", async () => {
    const ack = await t.slack.socket.slashCommand({
      command: '/ticket',
      text: 'new Printer on fire --urgency high',
      user_id: EMPLOYEE,
      channel_id: 'C0RANDOM',
    });
    const { reply } = await t.handled(ack.fields.trigger_id);
    await t.desk.dispatcher.drain();

    expect(ack.envelope_id).toEqual(expect.any(String));
    expect(t.slack.socket.acks.map((a) => a.envelope_id)).toContain(ack.envelope_id);
    expect(reply?.text).toMatch(/Ticket #1 opened \(P2, Help desk\)/);
    expect(await ticketRow(t, 1)).toMatchObject({ title: 'Printer on fire', urgency: 'high' });
    expect(messageText(callsTo(t, 'chat.postMessage', L1_DESK)[0]!.args)).toContain('#1 Printer on fire');
    expect(ack.payload).toEqual({ response_type: 'ephemeral', text: expect.stringMatching(/Ticket #1 opened/) });
    expect(t.slack.web.responses(ack.fields.response_url)).toEqual([]);
  });

  it('the same envelope payload delivered twice (a redelivery) opens one ticket', async () => {
    const first = await t.slack.socket.slashCommand({ command: '/ticket', text: 'new Printer on fire', user_id: EMPLOYEE, channel_id: 'C0RANDOM' });
    await t.slack.socket.deliver('slash_commands', first.fields);
    await t.handled(first.fields.trigger_id, 2);

    expect(await ticketCount(t)).toBe(1);
  });

  it('events and button presses arrive as envelopes too: a reply is relayed, a claim updates the card', async () => {
    const opened = await t.slack.socket.slashCommand({ command: '/ticket', text: 'new Printer on fire', user_id: EMPLOYEE, channel_id: 'C0RANDOM' });
    await t.handled(opened.fields.trigger_id);
    await t.desk.dispatcher.drain();
    const { card, dm } = await ticketMessages(t, 1);

    const event = await t.slack.socket.event({ type: 'message', channel: dm.channel, user: EMPLOYEE, text: 'Still smoking', thread_ts: dm.ts });
    await t.handled(event.eventId);
    const click = await t.slack.socket.interaction({
      type: 'block_actions',
      user: ANN,
      channel: L1_DESK,
      container: { type: 'message', message_ts: card.ts, channel_id: L1_DESK, is_ephemeral: false },
      message: { type: 'message', ts: card.ts, text: '' },
      actions: [{ type: 'button', action_id: 'tierdesk:claim', block_id: 'b', value: '1', action_ts: '1717405300.000100' }],
    });
    await t.handled(click.triggerId!);
    await t.desk.dispatcher.drain();

    expect(event.payload ?? {}).toEqual({});
    expect(
      callsTo(t, 'chat.postMessage', L1_DESK)
        .filter((c) => c.args.thread_ts === card.ts)
        .map((c) => String(c.args.text)),
    ).toEqual([expect.stringContaining('Still smoking')]);
    expect(callsTo(t, 'chat.update', L1_DESK).map((c) => c.args.ts)).toContain(card.ts);
    expect((await t.slack.web.waitForResponse(click.responseUrl)).body).toMatchObject({ text: 'You have claimed #1.' });
  });
});
