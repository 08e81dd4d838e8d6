import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actWithText, buttonsOn, pressButton } from './interactions.js';
import {
  ANN,
  BOB,
  GUS,
  L1_DESK,
  L2_DESK,
  OLGA,
  callsTo,
  messageText,
  openTicket,
  posted,
  startSlackDesk,
  ticketRow,
  type OpenedTicket,
  type SlackDesk,
} from './support.js';

// The buttons on the agents' card: claim, reply, escalate, resolve; who may press them.

let t: SlackDesk;
let ticket: OpenedTicket;
beforeEach(async () => {
  t = await startSlackDesk();
  ticket = await openTicket(t, 'Printer on fire --urgency high');
});
afterEach(async () => {
  await t.close();
});

/** The card as it stands in the fake workspace now. */
const cardNow = (where = ticket.card) => t.slack.web.workspace.findMessage(where.channel, where.ts);

describe('the claim button', () => {
  it('by an agent: the card is updated in place and the agent answered ephemerally', async () => {
    const pressed = await pressButton(t, ANN, ticket.card, 'claim');
    const answer = await t.slack.web.waitForResponse(pressed.responseUrl);
    await t.desk.dispatcher.drain();

    expect(pressed.status).toBe(200);
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: 'You have claimed #1.' });
    const [update] = callsTo(t, 'chat.update', L1_DESK);
    expect(update!.args.ts).toBe(ticket.card.ts);
    expect(messageText(update!.args)).toContain('Ann Agent');
    expect(callsTo(t, 'chat.postMessage', L1_DESK)).toHaveLength(1); // no second card
    expect(buttonsOn(t, L1_DESK, ticket.card.ts).get('tierdesk:claim')?.element).toMatchObject({ value: '1 --force', text: { text: 'Take over' } });
    expect(buttonsOn(t, L1_DESK, ticket.card.ts).has('tierdesk:escalate')).toBe(true);
    expect(await ticketRow(t, 1)).toMatchObject({ status: 'claimed', assignee: 'ann' });
  });

  it('by someone who is not an agent: refused ephemerally, card and ticket unchanged', async () => {
    const before = JSON.stringify(cardNow());

    const pressed = await pressButton(t, OLGA, ticket.card, 'claim');
    const answer = await t.slack.web.waitForResponse(pressed.responseUrl);
    await t.desk.dispatcher.drain();

    expect(answer.body).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/Only Help desk \(L1\) agents can claim ticket #1/),
    });
    expect(t.slack.web.calls('chat.update')).toEqual([]);
    expect(JSON.stringify(cardNow())).toBe(before);
    expect(await ticketRow(t, 1)).toMatchObject({ status: 'open', assignee: null });
  });

  it("by a member of the tier's Slack user group who is not in people: allowed", async () => {
    const pressed = await pressButton(t, GUS, ticket.card, 'claim');
    const answer = await t.slack.web.waitForResponse(pressed.responseUrl);
    await t.desk.dispatcher.drain();

    expect(answer.body).toMatchObject({ text: 'You have claimed #1.' });
    expect(await ticketRow(t, 1)).toMatchObject({ status: 'claimed', assignee: `slack:${GUS}` });
    expect(callsTo(t, 'chat.update', L1_DESK).map((c) => c.args.ts)).toContain(ticket.card.ts);
  });

  // Regression (found by this suite, fixed): the card names the agent.
  it('a user-group agent who claims is named on the card, not shown as a raw id', async () => {
    await t.handled((await pressButton(t, GUS, ticket.card, 'claim')).triggerId);
    await t.desk.dispatcher.drain();

    const text = String(callsTo(t, 'chat.update', L1_DESK).at(-1)!.args.text);
    expect(text).toMatch(/Assignee: \S/);
    expect(text).not.toContain('slack:U0GRP');
  });

  it('of an L2 agent on an L1 ticket: refused (user groups and people are per tier)', async () => {
    const pressed = await pressButton(t, BOB, ticket.card, 'claim');

    expect((await t.slack.web.waitForResponse(pressed.responseUrl)).body).toMatchObject({
      text: expect.stringMatching(/Only Help desk \(L1\) agents/),
    });
  });

  it('pressed twice with the same trigger (a Slack retry) claims once and answers once', async () => {
    const first = await pressButton(t, ANN, ticket.card, 'claim');
    await t.handled(first.triggerId);
    const retry = await t.sender.interaction({
      ...(first.payload as { type: 'block_actions'; user: { id: string } }),
      response_url: first.responseUrl,
    });
    await t.handled(first.triggerId, 2);
    await t.desk.dispatcher.drain();

    expect(retry.status).toBe(200);
    expect(t.slack.web.responses(first.responseUrl)).toHaveLength(1);
    expect(callsTo(t, 'chat.update', L1_DESK)).toHaveLength(1);
  });
});

describe('the buttons that need words open a modal first', () => {
  it("reply: the submission is a public reply in the requester's DM thread, echoed to the agents", async () => {
    const { view, submitted } = await actWithText(t, ANN, ticket.card, 'reply', { text: 'Have you tried turning it off?' });

    expect(view.callback_id).toBe('tierdesk_form:ticket.reply');
    expect(submitted.body).toBe('');
    const toRequester = callsTo(t, 'chat.postMessage', ticket.dm.channel).filter((c) => c.args.thread_ts === ticket.dm.ts);
    expect(toRequester.map((c) => messageText(c.args))).toEqual([expect.stringContaining('Have you tried turning it off?')]);
    const echo = callsTo(t, 'chat.postMessage', L1_DESK).filter((c) => c.args.thread_ts === ticket.card.ts);
    expect(messageText(echo[0]!.args)).toContain('replied to the requester');
  });

  it('reply with nothing written: the modal shows the error next to the text field', async () => {
    const { submitted } = await actWithText(t, ANN, ticket.card, 'reply', { text: '' });

    expect(submitted.json).toEqual({ response_action: 'errors', errors: { text: expect.stringMatching(/needs some text/) } });
  });

  it('escalate: a new card in the L2 channel, the L1 card updated in place to say where it went', async () => {
    await actWithText(t, ANN, ticket.card, 'escalate', { reason: 'Needs a firmware fix' });

    const [l2card] = callsTo(t, 'chat.postMessage', L2_DESK).filter((c) => c.args.thread_ts === undefined);
    expect(messageText(l2card!.args)).toContain('#1 Printer on fire');
    expect(JSON.stringify(l2card!.args.blocks)).toContain('tierdesk:claim');
    const l1update = callsTo(t, 'chat.update', L1_DESK).at(-1)!;
    expect(l1update.args.ts).toBe(ticket.card.ts);
    expect(messageText(l1update.args)).toMatch(/Escalated from L1 to L2 Second level by Ann Agent: Needs a firmware fix/);
    expect(await ticketRow(t, 1)).toMatchObject({ tier: 'L2', status: 'open' });
    expect((await posted(t, 'ticket:1:card:L2')).channel).toBe(L2_DESK);
  });

  it('resolve: the card shows the resolution and the requester is told in their DM thread', async () => {
    await actWithText(t, ANN, ticket.card, 'resolve', { resolution: 'Replaced the fuser' });

    expect(await ticketRow(t, 1)).toMatchObject({ status: 'resolved', resolution: 'Replaced the fuser' });
    expect(messageText(callsTo(t, 'chat.update', L1_DESK).at(-1)!.args)).toContain('Resolved: Replaced the fuser');
    const told = callsTo(t, 'chat.postMessage', ticket.dm.channel).filter((c) => c.args.thread_ts === ticket.dm.ts);
    // The satisfaction survey (CSAT) follows the resolution in the same thread.
    expect(told.map((c) => messageText(c.args)).join()).toContain('Resolved: Replaced the fuser');
    expect(buttonsOn(t, L1_DESK, ticket.card.ts).has('tierdesk:reopen')).toBe(true);
  });

  it('reply pressed by a non-agent: refused at once, for them alone, and no modal opens', async () => {
    const pressed = await pressButton(t, OLGA, ticket.card, 'reply');
    const { reply } = await t.handled(pressed.triggerId);

    expect(reply?.text).toMatch(/Only agents can reply on tickets/);
    expect((await t.slack.web.waitForResponse(pressed.responseUrl)).body).toMatchObject({ text: expect.stringMatching(/Only agents can reply/) });
    expect(t.slack.web.calls('views.open')).toEqual([]);
    expect(callsTo(t, 'chat.postMessage', ticket.dm.channel).filter((c) => c.args.thread_ts !== undefined)).toEqual([]);
  });
});

describe('words typed into an action modal reach the core as written', () => {
  // Regression (found by this suite, fixed): choosing the target tier in the modal escalates to it with the reason as written.
  it('escalate with a target tier chosen in the modal', async () => {
    const { submitted } = await actWithText(t, ANN, ticket.card, 'escalate', { reason: 'Needs a firmware fix', to: 'L2' });

    expect(submitted.body).toBe('');
    expect(await ticketRow(t, 1)).toMatchObject({ tier: 'L2' });
  });

  // Regression (found by this suite, fixed): the reply text is free text, delivered as written.
  it('a reply that mentions a command-line option is delivered', async () => {
    await actWithText(t, ANN, ticket.card, 'reply', { text: 'Please run the updater with --force and tell me' });

    const toRequester = callsTo(t, 'chat.postMessage', ticket.dm.channel).filter((c) => c.args.thread_ts === ticket.dm.ts);
    expect(toRequester.map((c) => messageText(c.args)).join()).toContain('with --force and tell me');
  });

  // Regression (found by this suite, fixed): "Step 1\nStep 2" arrives with its line break.
  it('a multi-line reply keeps its line breaks', async () => {
    await actWithText(t, ANN, ticket.card, 'reply', { text: 'Step 1: unplug it\nStep 2: wait ten seconds' });

    const toRequester = callsTo(t, 'chat.postMessage', ticket.dm.channel).filter((c) => c.args.thread_ts === ticket.dm.ts);
    expect(String(toRequester[0]?.args.text)).toContain('Step 1: unplug it\nStep 2: wait ten seconds');
  });
});

it('every card change is an edit of the same message: claim, then resolve', async () => {
  await pressButton(t, ANN, ticket.card, 'claim');
  await t.slack.web.waitForCall('chat.update');
  await actWithText(t, ANN, ticket.card, 'resolve', { resolution: 'Fixed' });

  expect(new Set(callsTo(t, 'chat.update', L1_DESK).map((c) => c.args.ts))).toEqual(new Set([ticket.card.ts]));
  expect(callsTo(t, 'chat.postMessage', L1_DESK).filter((c) => c.args.thread_ts === undefined)).toHaveLength(1);
  expect(cardNow().edited).toBeDefined();
});
