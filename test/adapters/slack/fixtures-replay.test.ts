import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ANN, L1_DESK, callsTo, messageText, startSlackDesk, ticketMessages, ticketRow, type SlackDesk } from './support.js';

// Real-shaped payloads, kept as files (test/fixtures/slack/), replayed byte for byte through Bolt's
// HTTP receiver with a valid signature. Only what Slack mints per workspace at run time is patched
// in: where response_url points (the fake, never hooks.slack.com), and the ts / DM channel of the
// messages tierdesk posted in this run.

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const fixture = (name: string): Json => JSON.parse(readFileSync(new URL(`../../fixtures/slack/${name}`, import.meta.url), 'utf8')) as Json;
const FORM = 'application/x-www-form-urlencoded';

let t: SlackDesk;
beforeEach(async () => {
  t = await startSlackDesk();
});
afterEach(async () => {
  await t.close();
});

/** Replays a slash command fixture as Slack sends it: form-encoded fields. */
function replayCommand(fields: Json) {
  return t.sender.post(new URLSearchParams(fields as Record<string, string>).toString(), FORM);
}

/** Replays an interactivity fixture as Slack sends it: `payload=<json>`. */
function replayInteraction(payload: Json) {
  return t.sender.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM);
}

describe('recorded-shape payloads replayed through the receiver', () => {
  it('a slash command, a DM thread reply, a claim button and an intake modal submission', async () => {
    // 1. /ticket new ... (form-encoded)
    const command: Json = { ...fixture('slash-command.ticket-new.json'), response_url: t.slack.web.issueResponseUrl('commands') };
    const commanded = await replayCommand(command);
    expect(commanded.status).toBe(200);
    expect(commanded.json).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/^Ticket #1 opened \(P2, Help desk\)/) });
    await t.handled(command.trigger_id);
    await t.desk.dispatcher.drain();
    expect(await ticketRow(t, 1)).toMatchObject({
      title: 'Projector in room 4 shows no signal',
      description: 'HDMI and USB-C both tried',
      urgency: 'high',
    });
    const { card, dm } = await ticketMessages(t, 1);

    // 2. The requester answers in the thread of their DM card (event_callback, JSON).
    const event = fixture('event-callback.dm-thread-reply.json');
    event.event.channel = dm.channel;
    event.event.thread_ts = dm.ts;
    const evented = await t.sender.post(JSON.stringify(event), 'application/json');
    expect(evented.status).toBe(200);
    await t.handled(event.event_id);
    await t.desk.dispatcher.drain();
    const relayed = callsTo(t, 'chat.postMessage', L1_DESK).filter((c) => c.args.thread_ts === card.ts);
    expect(relayed.map((c) => messageText(c.args))).toEqual([expect.stringContaining('on both inputs, even after a restart')]);

    // 3. Ann presses Claim on the card (block_actions).
    const click = fixture('block-actions.claim.json');
    expect(click.user.id).toBe(ANN);
    click.container.message_ts = card.ts;
    click.message.ts = card.ts;
    click.response_url = t.slack.web.issueResponseUrl('actions');
    const clicked = await replayInteraction(click);
    expect(clicked.status).toBe(200);
    expect((await t.slack.web.waitForResponse(click.response_url)).body).toMatchObject({ response_type: 'ephemeral', text: 'You have claimed #1.' });
    await t.desk.dispatcher.drain();
    expect(await ticketRow(t, 1)).toMatchObject({ status: 'claimed', assignee: 'ann' });
    expect(callsTo(t, 'chat.update', L1_DESK).map((c) => c.args.ts)).toContain(card.ts);

    // 4. Someone submits the intake modal (view_submission): a second ticket, fields by block id.
    const submission = fixture('view-submission.new-ticket.json');
    const submitted = await replayInteraction(submission);
    expect(submitted.status).toBe(200);
    expect(submitted.body).toBe('');
    expect(await ticketRow(t, 2)).toMatchObject({
      title: 'Badge reader at the south entrance rejects every card',
      description: 'Green light, then a long beep.\nStarted after the power cut this morning.',
      urgency: 'high',
      impact: 'high',
      category: null,
      product: 'Access control',
      product_version: '4.2',
      requester_id: 'U0EMP',
    });
  });

  it("each fixture replayed a second time changes nothing (Slack's retries are recognised by their ids)", async () => {
    const command: Json = { ...fixture('slash-command.ticket-new.json'), response_url: t.slack.web.issueResponseUrl('commands') };
    await replayCommand(command);
    const again = await replayCommand({ ...command, response_url: t.slack.web.issueResponseUrl('commands') });
    const submission = fixture('view-submission.new-ticket.json');
    await replayInteraction(submission);
    const resubmitted = await replayInteraction(submission);
    await t.handled(command.trigger_id, 2);
    await t.handled(submission.view.id, 2);

    expect(again.body).toBe('');
    expect(resubmitted.body).toBe('');
    const tickets = await t.db.selectFrom('tickets').select('title').orderBy('number').execute();
    expect(tickets.map((r) => r.title)).toEqual(['Projector in room 4 shows no signal', 'Badge reader at the south entrance rejects every card']);
  });
});
