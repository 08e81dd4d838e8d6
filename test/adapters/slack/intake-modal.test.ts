import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buttonsOn, submitView, viewOpenedWith } from './interactions.js';
import { EMPLOYEE, L1_DESK, SLACK_YAML, callsTo, messageText, startSlackDesk, ticketCount, ticketRow, type SlackDesk } from './support.js';

// `/ticket` with no text: the intake modal, its submission, and its field errors.

let t: SlackDesk;
beforeEach(async () => {
  t = await startSlackDesk();
});
afterEach(async () => {
  await t.close();
});

async function openIntakeModal(channel = 'C0RANDOM') {
  const sent = await t.sender.slashCommand({ command: '/ticket', text: '', user_id: EMPLOYEE, channel_id: channel });
  expect(sent.status).toBe(200);
  return { sent, view: await viewOpenedWith(t, sent.triggerId) };
}

describe('/ticket with no text', () => {
  it('opens the intake modal the core answers with, with the command trigger id, acking with an empty body', async () => {
    const { sent, view } = await openIntakeModal();

    expect(sent.body).toBe('');
    expect(view.callback_id).toBe('tierdesk_form:ticket.new');
    expect(view.blocks.map((b) => b.block_id)).toEqual(['title', 'description', 'urgency', 'impact', 'category', 'product', 'version']);
    expect(JSON.parse(view.private_metadata)).toMatchObject({ channel: 'C0RANDOM', command: 'ticket', args: { sub: 'new' } });
    // The core was asked (who may open a ticket is its call) and answered with the form; nothing changed.
    expect(t.inbound.map((h) => h.reply && h.reply.form?.kind)).toEqual(['ticket.new']);
    expect(await ticketCount(t)).toBe(0);
  });
});

describe('submitting the intake modal', () => {
  it('opens the ticket: the modal closes, the card reaches L1 and the requester is answered where they asked', async () => {
    const { view } = await openIntakeModal();

    const submitted = await submitView(t, EMPLOYEE, view, {
      title: 'VPN drops every hour',
      description: 'Since Monday, on the office Wi-Fi only.',
      urgency: 'high',
      impact: 'low',
      category: 'Network',
      product: 'GlobalProtect',
      version: '6.1',
    });
    await t.desk.dispatcher.drain();

    expect(submitted.status).toBe(200);
    expect(submitted.body).toBe(''); // a bare ack closes the modal
    expect(await ticketRow(t, 1)).toMatchObject({
      title: 'VPN drops every hour',
      description: 'Since Monday, on the office Wi-Fi only.',
      urgency: 'high',
      impact: 'low',
      category: 'Network',
      product: 'GlobalProtect',
      product_version: '6.1',
      requester_id: EMPLOYEE,
      status: 'open',
    });
    const [card] = callsTo(t, 'chat.postMessage', L1_DESK);
    expect(messageText(card!.args)).toContain('#1 VPN drops every hour');
    expect(messageText(card!.args)).toContain('GlobalProtect 6.1');
    expect([...buttonsOn(t, L1_DESK, (card!.response as { ts: string }).ts).keys()]).toEqual([
      'tierdesk:claim',
      'tierdesk:reply',
      'tierdesk:wait',
      'tierdesk:escalate',
      'tierdesk:resolve',
      'tierdesk:consult',
    ]);
    const confirmation = await t.slack.web.waitForCall('chat.postEphemeral');
    expect(confirmation.args).toMatchObject({ channel: 'C0RANDOM', user: EMPLOYEE, text: expect.stringMatching(/Ticket #1 opened/) });
  });

  it('submitted twice (a double click, or Slack retrying) opens one ticket', async () => {
    const { view } = await openIntakeModal();

    await submitView(t, EMPLOYEE, view, { title: 'Printer jams' });
    await submitView(t, EMPLOYEE, view, { title: 'Printer jams' });
    await t.handled(view.id, 2);
    await t.desk.dispatcher.drain();

    expect(await ticketCount(t)).toBe(1);
    expect(callsTo(t, 'chat.postMessage', L1_DESK)).toHaveLength(1);
  });
});

describe('invalid fields come back into the modal, next to the field', () => {
  const cases: Array<[string, Record<string, string>, string, RegExp]> = [
    ['an empty title', { title: '' }, 'title', /needs a title/],
    ['a title of 201 characters', { title: 'x'.repeat(201) }, 'title', /201 characters; the limit is 200/],
    ['a version without a product', { title: 'Excel crashes', version: '16.0' }, 'product', /--product/],
  ];
  for (const [what, input, block, message] of cases) {
    it(`${what} → response_action: errors keyed by the ${block} block, nothing opened`, async () => {
      const { view } = await openIntakeModal();

      const submitted = await submitView(t, EMPLOYEE, view, input);
      await t.desk.dispatcher.drain();

      expect(submitted.status).toBe(200);
      expect(submitted.json).toEqual({ response_action: 'errors', errors: { [block]: expect.stringMatching(message) } });
      const errors = (submitted.json as { errors: Record<string, string> }).errors;
      expect(view.blocks.map((b) => b.block_id)).toContain(Object.keys(errors)[0]);
      expect(errors[block]!.length).toBeLessThanOrEqual(150);
      expect(await ticketCount(t)).toBe(0);
      expect(t.slack.web.calls('chat.postMessage')).toEqual([]);
    });
  }

  it('a corrected resubmission of the same modal opens the ticket', async () => {
    const { view } = await openIntakeModal();

    const refused = await submitView(t, EMPLOYEE, view, { title: '' });
    const accepted = await submitView(t, EMPLOYEE, view, { title: 'Laptop will not boot' });

    expect(refused.json).toMatchObject({ response_action: 'errors' });
    expect(accepted.body).toBe('');
    expect(await ticketRow(t, 1)).toMatchObject({ title: 'Laptop will not boot' });
  });
});

describe('the intake modal with products configured', () => {
  const PRODUCTS = `${SLACK_YAML}
products:
  Editor:
    versions:
      - { version: '2.0', released: 2023-01-01, end_of_support: 2026-01-01 }
      - { version: '2.1', released: 2024-01-01, end_of_support: 2027-01-01 }
  Mail: { versions: [ { version: '5', released: 2023-06-01, end_of_support: 2026-06-01 } ] }
`;

  it('offers the products and versions in a static_select; the one chosen opens the ticket with it', async () => {
    await t.close();
    t = await startSlackDesk({ yaml: PRODUCTS });
    const { view } = await openIntakeModal();

    const block = view.blocks.find((b) => b.block_id === 'product') as { element: { type: string; options: Array<{ value: string }> } };
    expect(block.element.type).toBe('static_select');
    expect(block.element.options.map((o) => o.value)).toEqual(['Editor 2.0', 'Editor 2.1', 'Mail 5']);

    await submitView(t, EMPLOYEE, view, { title: 'Crash on save', product: 'Editor 2.1' });
    await t.handled(view.id);
    expect(await ticketRow(t, 1)).toMatchObject({ title: 'Crash on save', product: 'Editor', product_version: '2.1', urgency: 'medium' });
  });
});
