import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMPLOYEE, L1_DESK, callsTo, openTicket, posted, startSlackDesk, succeeded, type SlackDesk } from './support.js';

// When Slack says slow down (429 + Retry-After), fails (5xx) or refuses (channel_not_found):
// the outbox retries on the core's clock, in order, once, or gives up and says so.

let t: SlackDesk;
beforeEach(async () => {
  t = await startSlackDesk();
});
afterEach(async () => {
  await t.close();
});

/** Move the core's clock and let the dispatcher deliver whatever has come due. */
async function after(ms: number) {
  t.clock.advance(ms);
  await t.desk.dispatcher.drain();
}

/** Open ticket #N with `/ticket new` and wait for the core (not for delivery, which may be failing). */
async function raise(title: string) {
  const sent = await t.sender.slashCommand({ command: '/ticket', text: `new ${title} --urgency high`, user_id: EMPLOYEE, channel_id: 'C0RANDOM' });
  await t.handled(sent.triggerId);
  await t.desk.dispatcher.drain();
}

/** The requester writes in their DM thread (which was delivered: only the card is failing). */
async function requesterWrites(number: number, text: string) {
  const dm = await posted(t, `ticket:${number}:requester`);
  const sent = await t.sender.event({ type: 'message', channel: dm.channel, user: EMPLOYEE, text, thread_ts: dm.message_id });
  await t.handled(sent.eventId);
  await t.desk.dispatcher.drain();
}

/** Ann (an L1 agent) runs `/ticket <line>` in the agents' channel. */
async function agentTypes(line: string) {
  const sent = await t.sender.slashCommand({ command: '/ticket', text: line, user_id: 'U0ANN', channel_id: L1_DESK });
  await t.handled(sent.triggerId);
  await t.desk.dispatcher.drain();
}

const l1Attempts = () => t.slack.web.calls('chat.postMessage').filter((c) => c.args.channel === L1_DESK);
const l1Texts = () => callsTo(t, 'chat.postMessage', L1_DESK).map((c) => String(c.args.text).split('\n')[0]);

describe('a 429 with Retry-After: 30', () => {
  it("delivers the card once the clock has passed 30 s, exactly once, with the ticket's messages after it in order", async () => {
    t.slack.web.failNext('chat.postMessage', { status: 429, retryAfter: 30 });

    await raise('Printer on fire');
    await requesterWrites(1, 'first');
    await requesterWrites(1, 'second');
    expect(l1Attempts().map((c) => c.status)).toEqual([429]);
    expect(callsTo(t, 'chat.postMessage', (await posted(t, 'ticket:1:requester')).channel)).toHaveLength(1); // the DM is not held up

    await after(29_000);
    expect(callsTo(t, 'chat.postMessage', L1_DESK)).toEqual([]);

    await after(1_000);
    expect(l1Attempts().map((c) => c.status)).toEqual([429, 200, 200, 200]);
    await after(60_000);
    expect(l1Attempts()).toHaveLength(4); // once: nothing is sent again later
    const card = await posted(t, 'ticket:1:card:L1');
    expect(l1Texts()).toEqual([
      expect.stringContaining('#1 Printer on fire'),
      expect.stringContaining('(requester)'),
      expect.stringContaining('(requester)'),
    ]);
    const thread = callsTo(t, 'chat.postMessage', L1_DESK).slice(1);
    expect(thread.map((c) => c.args.thread_ts)).toEqual([card.message_id, card.message_id]);
    expect(thread.map((c) => String(c.args.text))).toEqual([expect.stringContaining('first'), expect.stringContaining('second')]);
  });

  it('a rate-limited card edit goes out after its Retry-After, once', async () => {
    await openTicket(t, 'Printer on fire');
    const card = await posted(t, 'ticket:1:card:L1');
    t.slack.web.failNext('chat.update', { status: 429, retryAfter: 10 });

    await agentTypes('claim 1');
    await after(9_000);
    expect(callsTo(t, 'chat.update', L1_DESK)).toEqual([]);
    await after(1_000);
    await after(60_000);

    const updates = callsTo(t, 'chat.update', L1_DESK);
    expect(updates.map((c) => c.args.ts)).toEqual([card.message_id]);
    expect(String(updates[0]!.args.text)).toContain('Assignee: Ann Agent');
  });

  // Regression (found by this suite, fixed): the newest state waits for the Retry-After too
  it('a newer state of a card waiting out a Retry-After waits too', async () => {
    await openTicket(t, 'Printer on fire');
    t.slack.web.failNext('chat.update', { status: 429, retryAfter: 10 });

    await agentTypes('claim 1');
    await agentTypes('priority 1 --impact high');
    await after(9_000);
    expect(callsTo(t, 'chat.update', L1_DESK)).toEqual([]);
    await after(1_000);

    const updates = callsTo(t, 'chat.update', L1_DESK);
    expect(updates).toHaveLength(1);
    expect(String(updates[0]!.args.text)).toContain('impact high');
  });

  it('a message waiting for its rate-limited card is not given up, however many passes it takes', async () => {
    t.slack.web.failNext('chat.postMessage', { status: 429, retryAfter: 30 });
    await raise('Printer on fire');
    await requesterWrites(1, 'are you there?');

    for (let s = 0; s < 31; s++) await after(1_000); // the dispatcher's loop wakes about once a second

    const dead = await t.db.selectFrom('outbox').select(['status', 'last_error']).where('status', '=', 'dead').execute();
    expect(dead).toEqual([]);
    const delivered = callsTo(t, 'chat.postMessage', L1_DESK).map((c) => String(c.args.text));
    expect(delivered).toEqual([expect.stringContaining('#1 Printer on fire'), expect.stringContaining('are you there?')]);
  });
});

describe('other failures', () => {
  it('a 500 is retried with backoff and the card then delivered once', async () => {
    t.slack.web.failNext('chat.postMessage', { status: 500 });

    await raise('Printer on fire');
    expect(l1Attempts().map((c) => c.status)).toEqual([500]);
    await after(1_000); // the first backoff is 1 s × (0.5 + jitter/2) = 750 ms here
    expect(l1Attempts().map((c) => c.status)).toEqual([500, 200]);
    await after(60_000);

    expect(l1Attempts().map((c) => c.status)).toEqual([500, 200]);
    expect(t.logger.lines.some((l) => l.level === 'warn' && l.msg === 'message delivery failed; will retry')).toBe(true);
  });

  it('channel_not_found is given up at once (outbox row dead) and logged; other messages still flow', async () => {
    t.slack.web.failNext('chat.postMessage', { error: 'channel_not_found' });

    await raise('Printer on fire');
    await raise('Monitor flickers');
    await after(60_000);

    const dead = await t.db.selectFrom('outbox').select(['message_key', 'status', 'last_error', 'attempts']).where('status', '=', 'dead').execute();
    expect(dead).toEqual([{ message_key: 'ticket:1:card:L1', status: 'dead', last_error: 'slack: channel_not_found', attempts: 1 }]);
    expect(t.logger.lines).toContainEqual(expect.objectContaining({ level: 'error', msg: 'gave up delivering a message' }));
    expect(
      l1Attempts()
        .filter(succeeded)
        .map((c) => String(c.args.text).split('\n')[0]),
    ).toEqual([expect.stringContaining('#2 Monitor flickers')]);
    expect((await posted(t, 'ticket:1:requester')).channel).toMatch(/^D/); // the requester still heard back
  });
});
