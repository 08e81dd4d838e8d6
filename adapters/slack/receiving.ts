/** Stopping to take events from Slack without dropping the ones under way (graceful shutdown). */
import type { Server } from 'node:http';
import type { App, SocketModeReceiver } from '@slack/bolt';

/** Slack wants an ack within 3 s; past it, an ack is worthless, so no longer waited for. */
const ACK_WINDOW_MS = 3_000;

/**
 * Closes the socket (Socket Mode) or the HTTP receiver, at most once: Socket Mode once every
 * envelope received has been acked (at most Slack's 3 s), HTTP mode once the requests under way
 * have their answers.
 */
export function receivingStopper(app: App, receiver: SocketModeReceiver | undefined, currentServer: () => Server | undefined): () => Promise<void> {
  let receiving: Promise<void> | undefined;
  // Socket Mode: the envelopes received and not yet acked (id → when, real time: Slack's clock), so
  // that stopping waits for their acks before closing the socket they go back on. Bolt's own
  // listener runs first and may ack before ours sees the envelope: such acks are remembered.
  const unacked = new Map<string, number>();
  const ackedFirst = new Set<string>();
  let onAcked: (() => void) | undefined;
  if (receiver) {
    receiver.client.on('slack_event', (e: { envelope_id?: string }) => {
      if (!e.envelope_id || ackedFirst.delete(e.envelope_id)) return;
      unacked.set(e.envelope_id, performance.now());
    });
    receiver.client.on('outgoing_message', (m: { envelope_id?: string }) => {
      if (!m.envelope_id) return;
      if (!unacked.delete(m.envelope_id)) {
        if (ackedFirst.size > 1000) ackedFirst.clear();
        ackedFirst.add(m.envelope_id);
      }
      if (unacked.size === 0) onAcked?.();
    });
  }

  /** Resolves once every envelope received in the last 3 s is acked, or after 3 s. */
  async function envelopesAcked(): Promise<void> {
    const now = performance.now();
    for (const [id, at] of unacked) if (now - at > ACK_WINDOW_MS) unacked.delete(id); // too late to ack: Slack has given up on it
    if (unacked.size === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ACK_WINDOW_MS);
      function done() {
        clearTimeout(timer);
        onAcked = undefined;
        resolve();
      }
      onAcked = done;
    });
  }

  /** Closes the socket (Socket Mode) or the HTTP receiver, at most once. */
  function stopReceiving(): Promise<void> {
    receiving ??= (async () => {
      if (receiver) {
        await envelopesAcked();
        // Disconnecting a client that never connected is fine; a close handshake Slack never
        // finishes is cut short by the SDK (and not waited for past 5 s here).
        await within(receiver.client.disconnect(), 5_000);
      } else if (currentServer()) {
        // New connections are refused at once; the requests under way get their answers (acks).
        // Kept-alive connections are closed as soon as they are idle, and any still busy after
        // Slack's 3 s (it has stopped waiting for their answer) are cut.
        const http = currentServer()!;
        const closed = app.stop();
        const idle = setInterval(() => http.closeIdleConnections(), 20);
        try {
          http.closeIdleConnections();
          if (!(await within(closed, ACK_WINDOW_MS))) http.closeAllConnections();
          await closed;
        } finally {
          clearInterval(idle);
        }
      }
    })();
    return receiving;
  }

  return stopReceiving;
}

/** Whether `promise` settled within `ms` (it is left running either way). */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
