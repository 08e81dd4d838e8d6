import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromSlack, toSlack } from '../../../adapters/slack/text.js';
import { listEvents } from '../../../src/store/events.js';
import { EMPLOYEE, callsTo, messageText, openTicket, startSlackDesk, ticketRow, type SlackDesk } from './support.js';

// Slack sends `a & b < c > d` typed by a person as `a &amp; b &lt; c &gt; d`.
const TYPED = 'a & b < c > d';
const AS_SLACK_SENDS = 'a &amp; b &lt; c &gt; d';

describe("Slack's text entities", () => {
  it('unescape in one pass and escape back to what Slack sent', () => {
    expect(fromSlack(AS_SLACK_SENDS)).toBe(TYPED);
    expect(toSlack(fromSlack(AS_SLACK_SENDS))).toBe(AS_SLACK_SENDS);
    expect(fromSlack('typed &amp;lt; literally')).toBe('typed &lt; literally');
    expect(fromSlack('<@U0AGENT> and <!here>')).toBe('<@U0AGENT> and <!here>');
  });
});

describe('a round trip of a & b < c > d through Slack', () => {
  let t: SlackDesk;
  beforeEach(async () => {
    t = await startSlackDesk();
  });
  afterEach(async () => {
    await t.close();
  });

  it('a slash command stores what was typed and shows agents and the requester exactly that', async () => {
    const ticket = await openTicket(t, AS_SLACK_SENDS);
    expect((await ticketRow(t, ticket.number)).title).toBe(TYPED);
    const shown = [...callsTo(t, 'chat.postMessage', ticket.card.channel), ...callsTo(t, 'chat.postMessage', ticket.dm.channel)];
    expect(shown.length).toBeGreaterThan(0);
    for (const call of shown) {
      expect(messageText(call.args)).toContain(AS_SLACK_SENDS);
      expect(messageText(call.args)).not.toContain('&amp;amp;');
    }
  });

  it("a message in the requester's thread reaches the agents as written", async () => {
    const ticket = await openTicket(t, 'Printer on fire');
    const sent = await t.sender.event({ type: 'message', channel: ticket.dm.channel, user: EMPLOYEE, text: AS_SLACK_SENDS, thread_ts: ticket.dm.ts });
    await t.handled(sent.eventId);
    await t.desk.dispatcher.drain();
    const events = await listEvents(t.db, ticket.number);
    expect(events.map((e) => e.data.text).filter(Boolean)).toEqual([TYPED]);
    const relayed = callsTo(t, 'chat.postMessage', ticket.card.channel).filter((c) => c.args.thread_ts === ticket.card.ts);
    expect(messageText(relayed[0]!.args)).toContain(AS_SLACK_SENDS);
    expect(messageText(relayed[0]!.args)).not.toContain('&amp;amp;');
  });
});
