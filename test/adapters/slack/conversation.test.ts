import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pressButton } from './interactions.js';
import {
  ANN,
  EMPLOYEE,
  GUS,
  L1_DESK,
  OLGA,
  callsTo,
  messageText,
  openTicket,
  startSlackDesk,
  ticketRow,
  type OpenedTicket,
  type SlackDesk,
} from './support.js';

// The conversation: the requester in their DM thread, the agents in the card's thread.
// A message the agents write in their thread is an internal note and can never reach the requester.

let t: SlackDesk;
let ticket: OpenedTicket;
beforeEach(async () => {
  t = await startSlackDesk();
  ticket = await openTicket(t, 'Printer on fire --urgency high');
});
afterEach(async () => {
  await t.close();
});

/** `user` writes `text` in the thread under `parent`, as Slack reports it (message event). */
async function writeInThread(user: string, parent: { channel: string; ts: string }, text: string) {
  const sent = await t.sender.event({ type: 'message', channel: parent.channel, user, text, thread_ts: parent.ts });
  expect(sent.status).toBe(200);
  const handled = await t.handled(sent.eventId);
  await t.desk.dispatcher.drain();
  return { ...sent, ...handled };
}

const threadUnder = (parent: { channel: string; ts: string }) =>
  callsTo(t, 'chat.postMessage', parent.channel).filter((c) => c.args.thread_ts === parent.ts);

/** Everything tierdesk sent into the requester's DM after the ticket was opened. */
const dmTraffic = () => [...callsTo(t, 'chat.postMessage', ticket.dm.channel), ...callsTo(t, 'chat.update', ticket.dm.channel)];

describe('the requester writes in the thread of their DM card', () => {
  it('with a file attached: the words and the file name reach the agents (Slack says subtype file_share)', async () => {
    const sent = await t.sender.event({
      type: 'message',
      subtype: 'file_share',
      channel: ticket.dm.channel,
      user: EMPLOYEE,
      text: 'Here is a photo',
      thread_ts: ticket.dm.ts,
      files: [{ id: 'F0PHOTO', name: 'smoke.jpg', permalink: 'https://example.slack.com/files/U0EMP/F0PHOTO/smoke.jpg' }],
    });
    await t.handled(sent.eventId);
    await t.desk.dispatcher.drain();
    expect(messageText(threadUnder(ticket.card)[0]!.args)).toMatch(/Here is a photo.*smoke\.jpg/);
  });

  it("reaches the agents' thread under the card in C0L1DESK", async () => {
    expect(ticket.dm.channel).toMatch(/^D/);

    await writeInThread(EMPLOYEE, ticket.dm, 'It is still smoking');

    const relayed = threadUnder(ticket.card);
    expect(relayed).toHaveLength(1);
    expect(relayed[0]!.args).toMatchObject({ channel: L1_DESK, thread_ts: ticket.card.ts });
    expect(messageText(relayed[0]!.args)).toContain('It is still smoking');
    expect(messageText(relayed[0]!.args)).toContain('(requester)');
  });

  it('several messages arrive in the order they were written', async () => {
    for (const text of ['one', 'two', 'three']) await writeInThread(EMPLOYEE, ticket.dm, text);

    expect(threadUnder(ticket.card).map((c) => String(c.args.text))).toEqual([
      expect.stringContaining('one'),
      expect.stringContaining('two'),
      expect.stringContaining('three'),
    ]);
  });

  it('waiting on the requester: their answer puts the ticket back to work', async () => {
    await t.handled((await pressButton(t, ANN, ticket.card, 'claim')).triggerId);
    await t.desk.dispatcher.drain();
    await t.handled((await pressButton(t, ANN, ticket.card, 'wait')).triggerId);
    await t.desk.dispatcher.drain();
    expect(await ticketRow(t, 1)).toMatchObject({ status: 'waiting_on_requester' });

    await writeInThread(EMPLOYEE, ticket.dm, 'An HP LaserJet 4000');

    expect(await ticketRow(t, 1)).toMatchObject({ status: 'claimed' });
  });
});

describe("an agent writes in the card's thread in the agents' channel", () => {
  it('is an internal note: shown to the agents as one, never sent to the requester', async () => {
    const before = dmTraffic().length;

    const { reply } = await writeInThread(ANN, ticket.card, 'Between us: this printer is cursed');

    expect(reply?.text).toMatch(/Internal note added to #1/);
    const note = threadUnder(ticket.card).at(-1)!;
    expect(messageText(note.args)).toContain('Internal note by Ann Agent');
    expect(messageText(note.args)).toContain('Between us: this printer is cursed');
    expect(dmTraffic()).toHaveLength(before);
    expect(JSON.stringify(dmTraffic())).not.toContain('cursed');
    const ephemeral = await t.slack.web.waitForCall('chat.postEphemeral');
    expect(ephemeral.args).toMatchObject({ channel: L1_DESK, user: ANN, thread_ts: ticket.card.ts });
  });

  it("a user-group agent's note is a note too", async () => {
    await writeInThread(GUS, ticket.card, 'cursed indeed');

    expect(messageText(threadUnder(ticket.card).at(-1)!.args)).toContain('Internal note by');
    expect(JSON.stringify(dmTraffic())).not.toContain('cursed');
  });

  it('someone who is not an agent is told so, privately, and nothing is relayed', async () => {
    const { reply } = await writeInThread(OLGA, ticket.card, 'What is going on?');

    expect(reply?.text).toMatch(/Only agents can write/);
    expect(threadUnder(ticket.card).filter((c) => messageText(c.args).includes('going on'))).toEqual([]);
    expect((await t.slack.web.waitForCall('chat.postEphemeral')).args).toMatchObject({ user: OLGA });
  });
});

describe('messages tierdesk is not part of', () => {
  // A top-level message in the DM is not ignored any more: a DM is never silent (forms-and-dms.test.ts).
  it('a thread it did not start, and bot messages are ignored', async () => {
    const stranger = t.slack.web.workspace.addMessage({ channel: 'C0RANDOM', user: OLGA, text: 'lunch?' });
    const otherThread = await t.sender.event({ type: 'message', channel: 'C0RANDOM', user: EMPLOYEE, text: 'yes', thread_ts: stranger.ts });
    const bot = await t.sender.event({
      type: 'message',
      subtype: 'bot_message',
      channel: ticket.dm.channel,
      bot_id: 'B0OTHER',
      text: 'beep',
      thread_ts: ticket.dm.ts,
      ts: '1717405300.000100',
    });
    const { reply } = await t.handled(otherThread.eventId);
    await t.desk.dispatcher.drain();

    expect([otherThread.status, bot.status]).toEqual([200, 200]);
    expect(reply).toBeUndefined();
    expect(t.inbound.map((h) => h.event.kind)).toEqual(['command', 'message']); // the /ticket new, the stranger's thread
    expect(threadUnder(ticket.card)).toEqual([]);
  });
});
