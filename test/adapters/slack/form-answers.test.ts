import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buttonsOn, pressButton, submitView, viewOpenedWith } from './interactions.js';
import { BOB, EMPLOYEE, GENERAL, L1_DESK, callsTo, messageText, succeeded, ticketCount, ticketRow, type SlackDesk } from './support.js';
import { startPeerDesk } from './peer-support.js';

// Where the answer to a submitted form goes, and when a ticket form is deflected. A form's answer
// can be an offer of articles ("This solved it" / "Open the ticket anyway"): nothing is opened until
// the person answers it, so the offer must reach them wherever they opened the form.

let t: SlackDesk;
beforeEach(async () => {
  t = await startPeerDesk();
});
afterEach(async () => {
  await t.close();
});

/** A published article by Bob (L2 writes the knowledge base). */
async function publishedArticle(title: string, body: string, tags: string) {
  const added = await t.sender.slashCommand({
    command: '/kb',
    text: `add ${title} --body ${body} --tags ${tags}`,
    user_id: BOB,
    channel_id: 'C0RANDOM',
  });
  const id = /#(\d+)/.exec(String((await t.handled(added.triggerId)).reply?.text))?.[1];
  if (!id) throw new Error(`no article: ${added.body}`);
  const published = await t.sender.slashCommand({ command: '/kb', text: `publish ${id}`, user_id: BOB, channel_id: 'C0RANDOM' });
  await t.handled(published.triggerId);
  return id;
}

/** `/ticket` with no text in `channel`, the form submitted with `input`; resolves once the core has answered. */
async function ticketForm(channel: string, input: Record<string, string>) {
  const sent = await t.sender.slashCommand({ command: '/ticket', text: '', user_id: EMPLOYEE, channel_id: channel });
  const view = await viewOpenedWith(t, sent.triggerId);
  const submitted = await submitView(t, EMPLOYEE, view, input);
  const { reply } = await t.handled(view.id);
  return { view, submitted, reply };
}

/** The message the bot posted in its DM with `user` (the first that matches). */
async function dmTo(user: string, match: (text: string) => boolean = () => true) {
  const dm = t.slack.web.workspace.dmWith(user);
  const call = await t.slack.web.waitForCall('chat.postMessage', (c) => c.args.channel === dm && succeeded(c) && match(messageText(c.args)));
  return { channel: dm, ts: (call.response as { ts: string }).ts, call };
}

describe('an offer from the ticket form, where the bot cannot answer', () => {
  const vpn = { title: 'VPN certificate expired', description: 'the VPN says my certificate expired' };

  for (const [where, channel, prepare, error] of [
    ['a channel the bot is not in', 'C0NOBOT', () => t.slack.web.workspace.removeBot('C0NOBOT'), 'not_in_channel'],
    ['a DM between two people', 'D0PEOPLE01', () => undefined, 'channel_not_found'],
  ] as const) {
    it(`in ${where}: the offer comes by DM with working buttons; "Open the ticket anyway" opens it`, async () => {
      await publishedArticle('VPN certificate expired', 'Run the Company Portal sync to renew the VPN certificate.', 'vpn');
      prepare();

      const { submitted, reply } = await ticketForm(channel, vpn);

      expect(submitted.body).toBe(''); // the form closes
      expect(reply?.card?.buttons?.map((b) => b.action)).toEqual(['deflect.solved', 'deflect.open']);
      const refused = await t.slack.web.waitForCall('chat.postEphemeral', (c) => c.args.channel === channel);
      expect(refused.response).toMatchObject({ ok: false, error });
      const offer = await dmTo(EMPLOYEE, (text) => text.includes('deflect.open'));
      expect(messageText(offer.call.args)).toContain('VPN certificate expired');
      expect(messageText(offer.call.args)).toContain('could not be shown in the conversation you opened the form from');
      expect([...buttonsOn(t, offer.channel, offer.ts).keys()]).toEqual(['tierdesk:deflect.solved', 'tierdesk:deflect.open']);
      expect(await ticketCount(t)).toBe(0);

      const pressed = await pressButton(t, EMPLOYEE, offer, 'deflect.open');
      const { event } = await t.handled(pressed.triggerId);
      await t.desk.dispatcher.drain();

      expect(event).toMatchObject({ kind: 'action', action: 'deflect.open' });
      expect((await t.slack.web.waitForResponse(pressed.responseUrl)).body).toMatchObject({
        response_type: 'ephemeral',
        text: expect.stringMatching(/Ticket #1 opened/),
      });
      expect(await ticketRow(t, 1)).toMatchObject({ title: 'VPN certificate expired', requester_id: EMPLOYEE });
      expect(callsTo(t, 'chat.postMessage', L1_DESK)).toHaveLength(1);
    });
  }

  it('"This solved it" in the DM opens nothing', async () => {
    await publishedArticle('VPN certificate expired', 'Run the Company Portal sync to renew the VPN certificate.', 'vpn');
    t.slack.web.workspace.removeBot('C0NOBOT');

    await ticketForm('C0NOBOT', vpn);
    const offer = await dmTo(EMPLOYEE, (text) => text.includes('deflect.solved'));
    const pressed = await pressButton(t, EMPLOYEE, offer, 'deflect.solved');
    await t.handled(pressed.triggerId);

    expect((await t.slack.web.waitForResponse(pressed.responseUrl)).body).toMatchObject({ text: expect.stringMatching(/Glad that helped/) });
    expect(await ticketCount(t)).toBe(0);
  });

  it('where the bot is: the offer stays ephemeral in that channel, no DM', async () => {
    await publishedArticle('VPN certificate expired', 'Run the Company Portal sync to renew the VPN certificate.', 'vpn');

    await ticketForm('C0RANDOM', vpn);
    const offer = await t.slack.web.waitForCall(
      'chat.postEphemeral',
      (c) => c.args.channel === 'C0RANDOM' && c.args.user === EMPLOYEE && messageText(c.args).includes('deflect.open'),
    );

    expect(succeeded(offer)).toBe(true);
    expect(t.slack.web.calls('conversations.open')).toEqual([]);
  });

  it('any other answer to the form (the ticket opened) also comes by DM when it cannot be shown there', async () => {
    t.slack.web.workspace.removeBot('C0NOBOT');

    const { reply } = await ticketForm('C0NOBOT', { title: 'Laptop will not boot' });

    expect(reply?.text).toMatch(/Ticket #1 opened/);
    await dmTo(EMPLOYEE, (text) => text.includes('Ticket #1 opened'));
  });
});

describe('the "Create ticket" message shortcut is never deflected', () => {
  it('its form opens the ticket at once, even when articles match', async () => {
    await publishedArticle('VPN certificate expired', 'Run the Company Portal sync to renew the VPN certificate.', 'vpn');
    const message = t.slack.web.workspace.addMessage({
      channel: GENERAL,
      user: EMPLOYEE,
      text: 'VPN certificate expired\nthe VPN says my certificate expired',
    });

    const used = await t.sender.interaction({
      type: 'message_action',
      user: EMPLOYEE,
      callback_id: 'tierdesk_create_ticket',
      channel: GENERAL,
      message_ts: message.ts,
    });
    const view = await viewOpenedWith(t, used.triggerId!);
    const submitted = await submitView(t, EMPLOYEE, view, {});
    const { event, reply } = await t.handled(view.id);
    await t.desk.dispatcher.drain();

    expect(submitted.body).toBe('');
    expect(event).toMatchObject({ kind: 'command', name: 'ticket', args: { sub: 'new', anyway: 'true', title: 'VPN certificate expired' } });
    expect(reply?.text).toMatch(/Ticket #1 opened/);
    expect(reply?.card?.buttons ?? []).not.toContainEqual(expect.objectContaining({ action: 'deflect.open' }));
    expect(await ticketRow(t, 1)).toMatchObject({ title: 'VPN certificate expired', requester_id: EMPLOYEE });
    expect(await t.db.selectFrom('deflections').selectAll().execute()).toEqual([]);
    expect(JSON.parse(view.private_metadata)).toMatchObject({ channel: GENERAL, command: 'ticket', args: { sub: 'new', anyway: 'true' } });
  });

  it('the /ticket form is still deflected (its metadata says nothing of a shortcut)', async () => {
    await publishedArticle('VPN certificate expired', 'Run the Company Portal sync to renew the VPN certificate.', 'vpn');

    const { view, reply } = await ticketForm('C0RANDOM', { title: 'VPN certificate expired', description: 'the VPN says my certificate expired' });

    expect(JSON.parse(view.private_metadata)).toMatchObject({ channel: 'C0RANDOM', command: 'ticket', args: { sub: 'new' } });
    expect(reply?.card?.buttons?.map((b) => b.action)).toContain('deflect.open');
    expect(await ticketCount(t)).toBe(0);
  });
});
