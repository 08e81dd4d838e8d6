/**
 * The intake acknowledgement histogram for Slack: the time from Bolt receiving a request (a slash
 * command, a button, a form, a shortcut, an event) to its ack going back. Bolt hands every request
 * to `App.processEvent` with the receiver's `ack`; wrapping that one entry point times every
 * listener's ack, whichever listener it is, without each of them remembering to.
 */
import type { App } from '@slack/bolt';
import { observeIntakeAck } from '../../src/core/metrics.js';

type ReceiverEvent = Parameters<App['processEvent']>[0];

export function timeAcks(app: App, now: () => number = () => performance.now()): void {
  const process = app.processEvent.bind(app);
  app.processEvent = (event: ReceiverEvent) => {
    const received = now();
    const ack = event.ack;
    let timed = false;
    const timedAck: typeof ack = async (response) => {
      await ack(response);
      if (!timed) observeIntakeAck('slack', (now() - received) / 1000);
      timed = true;
    };
    return process({ ...event, ack: timedAck });
  };
}
