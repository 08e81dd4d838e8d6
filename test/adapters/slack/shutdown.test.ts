import { afterEach, describe, expect, it, vi } from 'vitest';
import { InboundGate, STOPPING_REPLY } from '../../../src/core/operations.js';
import { stateValues } from './interactions.js';
import { EMPLOYEE, startSlackDesk, succeeded, ticketRow, type SlackDesk } from './support.js';

// A graceful shutdown, Slack side: the adapter stops receiving first (Socket Mode: the socket closes
// once the envelopes under way are acked; HTTP: the receiver closes), and only then does the process
// close its inbound gate. Slack then sends new events to another connection or redelivers them,
// instead of them arriving here for the gate to refuse ("tierdesk is restarting").

let t: SlackDesk | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Whether `promise` has settled after a real-time pause of `ms`. */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setTimeout(resolve, ms));
  return settled;
}

/**
 * Over Socket Mode: the ticket form opened and submitted while the core is held (a busy database).
 * A form submission is acked only once the core has answered (its errors would go in the ack), so
 * its envelope stays unacked until `release()`. Resolves once the adapter has the envelope.
 */
async function submissionUnderWay(desk: SlackDesk) {
  const opened = await desk.slack.socket.slashCommand({ command: '/ticket', text: '', user_id: EMPLOYEE, channel_id: 'C0RANDOM' });
  const call = await desk.slack.web.waitForCall('views.open', (c) => c.args.trigger_id === opened.fields.trigger_id);
  const { view } = call.response as { view: { id: string; blocks: Array<Record<string, unknown>> } };
  const release = desk.holdCore();
  const before = desk.arrived;
  const submission = desk.slack.socket.interaction({
    type: 'view_submission',
    user: EMPLOYEE,
    view: { id: view.id, state: { values: stateValues(view, { title: 'Printer on fire' }) } },
  });
  await vi.waitFor(() => expect(desk.arrived).toBe(before + 1)); // the adapter is handling it
  return { submission, release };
}

describe('stopping to receive', () => {
  it('Socket Mode: the socket closes only after the envelope under way is acked; nothing after it arrives, nothing is refused', async () => {
    const gate = new InboundGate();
    const desk = await startSlackDesk({ mode: 'socket', wrap: (a) => gate.wrap(a) });
    t = desk;
    const { submission, release } = await submissionUnderWay(desk);

    // What src/cli.ts does on SIGTERM: stop receiving, then close the gate.
    const stopping = desk.adapter.stopReceiving();
    expect(await settledWithin(stopping, 100)).toBe(false);
    expect(desk.slack.socket.openConnections).toBe(1); // its ack still has a way back
    release();
    const ack = await submission;
    await stopping;
    expect(await gate.close(10_000)).toBe(true);

    expect(ack.connection).toBe(1);
    await vi.waitFor(() => expect(desk.slack.socket.openConnections).toBe(0)); // Slack's side of the close
    await expect(
      desk.slack.socket.slashCommand({ command: '/ticket', text: 'new Too late', user_id: EMPLOYEE, channel_id: 'C0RANDOM' }),
    ).rejects.toThrow(/no Socket Mode connection is open/);
    expect(await ticketRow(desk, 1)).toMatchObject({ title: 'Printer on fire' });
    // Its answer still reaches the person: answers go through the Web API, not the socket.
    const answer = await desk.slack.web.waitForCall('chat.postEphemeral', (c) => c.args.user === EMPLOYEE);
    expect(succeeded(answer) && String(answer.args.text)).toMatch(/Ticket #1 opened/);
    expect(desk.inbound.map((h) => h.reply?.text)).not.toContain(STOPPING_REPLY);
    expect(desk.slack.socket.connections).toHaveLength(1); // and it did not reconnect
    await desk.adapter.stop(); // stop() after stopReceiving(): nothing more to do
  });

  it('Socket Mode: stop() alone (no stopReceiving first) also lets the envelope under way be acked before the socket closes', async () => {
    const desk = await startSlackDesk({ mode: 'socket' });
    t = desk;
    const { submission, release } = await submissionUnderWay(desk);

    const stopping = desk.adapter.stop();
    release();
    const ack = await submission; // was: "connection #1 closed before acking envelope"
    await stopping;

    expect(ack).toMatchObject({ connection: 1 });
    expect(await ticketRow(desk, 1)).toMatchObject({ title: 'Printer on fire' });
    await vi.waitFor(() => expect(desk.slack.socket.openConnections).toBe(0));
  });

  it('Socket Mode with nothing under way: disconnects at once', async () => {
    t = await startSlackDesk({ mode: 'socket' });

    const started = performance.now();
    await t.adapter.stopReceiving();

    expect(performance.now() - started).toBeLessThan(1000);
    await vi.waitFor(() => expect(t!.slack.socket.openConnections).toBe(0));
  });

  it('HTTP mode: the receiver stops accepting requests; the one under way still gets its answer in the ack', async () => {
    const desk = await startSlackDesk();
    t = desk;
    const release = desk.holdCore();
    const command = desk.sender.slashCommand({ command: '/ticket', text: 'new Printer on fire', user_id: EMPLOYEE, channel_id: 'C0RANDOM' });
    await desk.slack.web.waitForCall('users.info', (c) => c.args.user === EMPLOYEE);

    const started = performance.now();
    const stopping = desk.adapter.stopReceiving();
    release();
    const answered = await command;
    await stopping;

    expect(performance.now() - started).toBeLessThan(1000); // the kept-alive connection was closed once idle, not waited out

    expect(answered.status).toBe(200);
    expect(answered.json).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/Ticket #1 opened/) });
    await expect(desk.sender.slashCommand({ command: '/ticket', text: 'new Too late', user_id: EMPLOYEE, channel_id: 'C0RANDOM' })).rejects.toThrow();
    expect(desk.adapter.url).toBeUndefined();
  });
});
