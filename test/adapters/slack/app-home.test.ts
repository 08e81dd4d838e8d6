import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../fakes/slack-api/index.js';
import { pressButton } from './interactions.js';
import { ANN, BOB, EMPLOYEE, GUS, OLGA, openTicket, startSlackDesk, ticketMessages, type SlackDesk } from './support.js';

// App Home: the person's own open tickets; for agents also their queue and their tiers' unclaimed tickets.

let t: SlackDesk;
beforeEach(async () => {
  t = await startSlackDesk();
  await openTicket(t, 'Printer on fire --urgency high');
  await openTicket(t, 'Monitor flickers');
  await t.handled((await pressButton(t, ANN, (await ticketMessages(t, 1)).card, 'claim')).triggerId);
  await t.desk.dispatcher.drain();
});
afterEach(async () => {
  await t.close();
});

/** `user` opens the Home tab; resolves with the views.publish it caused. */
async function openHome(user: string): Promise<RecordedCall> {
  const sent = await t.sender.event({ type: 'app_home_opened', user, tab: 'home' });
  expect(sent.status).toBe(200);
  return t.slack.web.waitForCall('views.publish', (c) => c.args.user_id === user);
}

const headers = (call: RecordedCall) =>
  (call.args.view as { blocks: Array<{ type: string; text?: { text: string } }> }).blocks.filter((b) => b.type === 'header').map((b) => b.text!.text);

describe('app_home_opened', () => {
  it("publishes the requester's own open tickets", async () => {
    const published = await openHome(EMPLOYEE);

    expect(published.args.view).toMatchObject({ type: 'home' });
    expect(headers(published)).toEqual(['Your tickets', '🎫 Ticket #2: Monitor flickers', '🎫 Ticket #1: Printer on fire']);
  });

  it("for an agent: their queue and their tier's unclaimed tickets, with buttons to work them", async () => {
    const published = await openHome(ANN);

    expect(headers(published)).toEqual([
      'Your tickets',
      'Your queue',
      '🎫 #1 Printer on fire',
      'Unclaimed in L1 Help desk',
      '🎫 #2 Monitor flickers',
    ]);
    expect(JSON.stringify(published.args.view)).toContain('tierdesk:claim');
  });

  it('a user-group agent sees the unclaimed tickets of their tier', async () => {
    expect(headers(await openHome(GUS))).toContain('Unclaimed in L1 Help desk');
  });

  it("an agent of another tier sees that tier's queue, not L1's", async () => {
    const shown = headers(await openHome(BOB));

    expect(shown).toContain('Unclaimed in L2 Second level');
    expect(shown.join()).not.toContain('Monitor flickers');
  });

  it('someone with no tickets is told how to open one', async () => {
    const published = await openHome(OLGA);

    expect(headers(published)).toEqual(['Your tickets']);
    expect(JSON.stringify(published.args.view)).toContain('Open one with /ticket');
  });

  it('opening the Messages tab publishes nothing', async () => {
    const messages = await t.sender.event({ type: 'app_home_opened', user: OLGA, tab: 'messages' });
    const home = await t.sender.event({ type: 'app_home_opened', user: EMPLOYEE, tab: 'home' });
    await t.handled(home.eventId);
    await t.slack.web.waitForCall('views.publish');

    expect(messages.status).toBe(200);
    expect(t.slack.web.calls('views.publish').map((c) => c.args.user_id)).toEqual([EMPLOYEE]);
  });
});

// A button on the App Home tab carries no response_url: the answer goes by DM and the Home tab is
// republished (once this threw "respond is not a function" and the agent heard nothing).
it('claiming from the App Home answers the agent and refreshes the Home tab', async () => {
  const home = await openHome(ANN);
  const view = home.response as { view: { id: string } };
  const claim = JSON.stringify(home.args.view).match(/"action_id":"tierdesk:claim","text":\{[^}]*\},"value":"2"/);
  expect(claim).not.toBeNull();

  const sent = await t.sender.interaction({
    type: 'block_actions',
    user: ANN,
    container: { type: 'view', view_id: view.view.id },
    view: { id: view.view.id, type: 'home' },
    actions: [
      {
        type: 'button',
        action_id: 'tierdesk:claim',
        block_id: 'b',
        value: '2',
        text: { type: 'plain_text', text: 'Claim' },
        action_ts: '1717405300.000100',
      },
    ],
  });
  await t.handled(sent.triggerId!);
  await t.desk.dispatcher.drain();

  await t.slack.web.waitForCall('chat.postMessage', (c) => String(c.args.text).includes('You have claimed #2'));
  await t.slack.web.waitForCall('views.publish', (c) => c.args.user_id === ANN && JSON.stringify(c.args.view).includes('2 assigned to you'));
  expect(t.logger.lines.filter((l) => l.msg === 'slack listener failed')).toEqual([]);
  const told = t.slack.web
    .calls()
    .filter((c) => /chat\.post(Message|Ephemeral)/.test(c.method) && String(c.args.text).includes('You have claimed #2'));
  expect(told).toHaveLength(1);
  expect(t.slack.web.calls('views.publish').filter((c) => c.args.user_id === ANN)).toHaveLength(2);
});
