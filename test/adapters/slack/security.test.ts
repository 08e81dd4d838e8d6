import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SendOptions } from '../../fakes/slack-api/index.js';
import { STILL_WORKING } from '../../../adapters/slack/slash-commands.js';
import { EMPLOYEE, L1_DESK, OLGA, callsTo, openTicket, startSlackDesk, ticketCount, type SlackDesk } from './support.js';

// Requests Slack did not sign, or signed too long ago, are refused; what Slack sends twice counts once.

let t: SlackDesk;
beforeEach(async () => {
  t = await startSlackDesk();
});
afterEach(async () => {
  await t.close();
});

const NEW_TICKET = { command: '/ticket', text: 'new Printer on fire', user_id: EMPLOYEE, channel_id: 'C0RANDOM' };
const sixMinutesAgo = () => Math.floor(Date.now() / 1000) - 6 * 60;

describe('request verification', () => {
  const forgeries: Array<[string, () => SendOptions]> = [
    ['a bad signature', () => ({ signing: { secret: 'not-the-signing-secret' } })],
    ['a timestamp more than 5 minutes old', () => ({ signing: { timestampSec: sixMinutesAgo() } })],
    ['no signature at all', () => ({ signing: { unsigned: true } })],
  ];

  for (const [what, forged] of forgeries) {
    it(`a slash command with ${what} → 401, no ticket, no Web API call`, async () => {
      const callsBefore = t.slack.web.calls().length;

      const sent = await t.sender.slashCommand(NEW_TICKET, forged());
      await t.desk.dispatcher.drain();

      expect(sent.status).toBe(401);
      expect(t.inbound).toEqual([]);
      expect(await ticketCount(t)).toBe(0);
      expect(t.slack.web.calls().slice(callsBefore)).toEqual([]);
      expect(t.slack.web.responses(sent.responseUrl)).toEqual([]);
    });
  }

  it('an event and a button press with a bad signature → 401 and nothing relayed or changed', async () => {
    const ticket = await openTicket(t, 'Printer on fire');
    const callsBefore = t.slack.web.calls().length;
    const inboundBefore = t.inbound.length;
    const forged = { signing: { secret: 'not-the-signing-secret' } };

    const event = await t.sender.event(
      { type: 'message', channel: ticket.dm.channel, user: EMPLOYEE, text: 'forged', thread_ts: ticket.dm.ts },
      forged,
    );
    const stale = await t.sender.event(
      { type: 'message', channel: ticket.dm.channel, user: EMPLOYEE, text: 'stale', thread_ts: ticket.dm.ts },
      { signing: { timestampSec: sixMinutesAgo() } },
    );
    const click = await t.sender.interaction(
      {
        type: 'block_actions',
        user: EMPLOYEE,
        channel: L1_DESK,
        message: { type: 'message', ts: ticket.card.ts, text: '' },
        actions: [{ type: 'button', action_id: 'tierdesk:claim', value: '1' }],
      },
      forged,
    );
    await t.desk.dispatcher.drain();

    expect([event.status, stale.status, click.status]).toEqual([401, 401, 401]);
    expect(t.inbound.length).toBe(inboundBefore);
    expect(t.slack.web.calls().slice(callsBefore)).toEqual([]);
  });

  it("a body past the front door's limit → 413 before anything is parsed, and nothing stored", async () => {
    const huge = new URLSearchParams({
      command: '/ticket',
      text: `new ${'x'.repeat(4_300_000)}`,
      user_id: EMPLOYEE,
      channel_id: 'C0RANDOM',
      team_id: 'T0TEAM',
      trigger_id: 'big.1',
    });

    const sent = await t.sender.post(huge.toString(), 'application/x-www-form-urlencoded');

    expect(sent.status).toBe(413);
    expect(t.inbound).toEqual([]);
    expect(await ticketCount(t)).toBe(0);
  });

  it('a form POST to a path beside the endpoint is a 404, and tierdesk keeps serving', async () => {
    const url = new URL(t.adapter.url!);
    for (const path of ['/slack/events/x', '/slack/eventsfoo']) {
      const sent = await fetch(`${url.origin}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'a=1',
      });
      expect(sent.status).toBe(404);
    }
    const ok = await t.sender.slashCommand(NEW_TICKET);
    expect(ok.status).toBe(200);
  });

  it('a command body with a signature that matches another body → 401 (the signature covers the bytes sent)', async () => {
    const body = new URLSearchParams({
      command: '/ticket',
      text: 'new Printer on fire',
      user_id: EMPLOYEE,
      channel_id: 'C0RANDOM',
      team_id: 'T0TEAM',
      trigger_id: 'swap.1',
    });
    const other = new URLSearchParams({
      command: '/ticket',
      text: 'new Something else',
      user_id: EMPLOYEE,
      channel_id: 'C0RANDOM',
      team_id: 'T0TEAM',
      trigger_id: 'swap.1',
    });
    const signed = await import('../../fakes/slack-api/signing.js');
    const ts = Math.floor(Date.now() / 1000);

    const sent = await t.sender.post(body.toString(), 'application/x-www-form-urlencoded', {
      signing: { timestampSec: ts, signature: signed.slackSignature('test-signing-secret', ts, other.toString()) },
    });

    expect(sent.status).toBe(401);
    expect(await ticketCount(t)).toBe(0);
  });

  it('a correctly signed request from the same sender still works (the check is not a blanket refusal)', async () => {
    const sent = await t.sender.slashCommand(NEW_TICKET);

    expect(sent.status).toBe(200);
    await t.handled(sent.triggerId);
    expect(await ticketCount(t)).toBe(1);
  });
});

describe("acknowledging within Slack's 3 seconds", () => {
  it('a fast command is answered in the ack itself', async () => {
    const sent = await t.sender.slashCommand(NEW_TICKET);

    expect(sent.json).toEqual({ response_type: 'ephemeral', text: expect.stringMatching(/^Ticket #1 opened/) });
  });

  it('a slow one is acked with an interim line well before 3 s, and answered through its response_url when done', async () => {
    const release = t.holdCore();
    const started = performance.now();

    const sent = await t.sender.slashCommand(NEW_TICKET);
    const ackedAfter = performance.now() - started;
    release();
    const answer = await t.slack.web.waitForResponse(sent.responseUrl);

    expect(sent.status).toBe(200);
    expect(sent.json).toEqual({ response_type: 'ephemeral', text: STILL_WORKING });
    expect(ackedAfter).toBeLessThan(2500);
    expect(answer.body).toEqual({ response_type: 'ephemeral', text: expect.stringMatching(/^Ticket #1 opened/) });
  });
});

describe('what Slack delivers twice counts once', () => {
  it('a retried event (same event_id, x-slack-retry-num: 1) relays the message once', async () => {
    const ticket = await openTicket(t, 'Printer on fire');
    const reply = { type: 'message', channel: ticket.dm.channel, user: EMPLOYEE, text: 'Still smoking', thread_ts: ticket.dm.ts };

    const first = await t.sender.event(reply);
    const retry = await t.sender.event(
      { ...reply, ts: (first.callback.event as { ts: string }).ts },
      { eventId: first.eventId, retryNum: 1, retryReason: 'http_timeout' },
    );
    const [once, twice] = [await t.handled(first.eventId), await t.handled(first.eventId, 2)];
    await t.desk.dispatcher.drain();

    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(twice.reply).toBeUndefined();
    expect(once.event.key).toBe(twice.event.key);
    const relayed = callsTo(t, 'chat.postMessage', L1_DESK).filter((c) => c.args.thread_ts === ticket.card.ts);
    expect(relayed).toHaveLength(1);
  });

  it('the same slash command trigger delivered twice opens one ticket and answers once', async () => {
    const first = await t.sender.slashCommand(NEW_TICKET);
    const again = await t.sender.slashCommand({ ...NEW_TICKET, trigger_id: first.triggerId });
    await t.handled(first.triggerId, 2);
    await t.desk.dispatcher.drain();

    expect([first.status, again.status]).toEqual([200, 200]);
    expect(await ticketCount(t)).toBe(1);
    expect(callsTo(t, 'chat.postMessage', L1_DESK)).toHaveLength(1);
    expect(first.json).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/Ticket #1 opened/) });
    expect(again.body).toBe(''); // the repeat is acked and otherwise ignored
    expect(t.slack.web.responses()).toEqual([]);
  });

  // The same words from the same person within ten minutes give the first ticket back (a retry by hand);
  // from two people they are two tickets: only Slack's trigger id dedupes the platform's retries.
  it('two different /ticket new commands with the same text from two people are two tickets (only the trigger dedupes)', async () => {
    const a = await t.sender.slashCommand(NEW_TICKET);
    const b = await t.sender.slashCommand({ ...NEW_TICKET, user_id: OLGA });
    await Promise.all([t.handled(a.triggerId), t.handled(b.triggerId)]);

    expect(await ticketCount(t)).toBe(2);
  });
});
