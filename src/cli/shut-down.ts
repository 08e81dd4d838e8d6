import type { Desk } from '../core/desk.js';
import type { InboundGate } from '../core/operations.js';
import type { ChatAdapter, Logger } from '../ports.js';
import type { Db } from '../store/connect.js';

/** What a running desk holds that stopping must let go of, in order. */
export interface Serving {
  desk: Desk;
  db: Db;
  adapters: readonly ChatAdapter[];
  gate: InboundGate;
  logger: Logger;
  ops?: { stopping(): void; close(): Promise<void> } | undefined;
  stopDashboard: () => Promise<void>;
  /** The delivery worker, when the loops run there (src/cli/delivery.ts). */
  worker?: { stop(): Promise<void> } | undefined;
}

/**
 * Graceful shutdown (a signal, or the console's end of input): stop taking work (health says so, new
 * inbound events are refused), let the events under way finish their transactions, stop the adapters
 * and loops (a delivery pass or timer under way finishes), give back our leases.
 */
export async function shutDown(s: Serving, signal: NodeJS.Signals | undefined): Promise<void> {
  const { desk, adapters, logger } = s;
  if (signal) logger.info('stopping', { signal });
  s.ops?.stopping();
  // Stop receiving first (Slack: the socket closes once the envelopes under way are acked), so new
  // events go to another connection or are redelivered instead of being refused by the gate.
  await Promise.all(
    adapters.map((a) =>
      a
        .stopReceiving?.()
        .catch((err: unknown) =>
          logger.warn('cannot stop receiving', { platform: a.platform, error: err instanceof Error ? err.message : String(err) }),
        ),
    ),
  );
  if (!(await s.gate.close(10_000))) logger.warn('inbound events still under way after 10 s; stopping anyway', { inflight: s.gate.inflight });
  // The console delivers what is still due first (it prints it). Platform replicas leave the rest
  // in the outbox for the other replicas, or for the next start.
  if (!s.worker && (!signal || adapters.every((a) => a.platform === 'console'))) await desk.dispatcher.drain();
  await s.stopDashboard();
  // The deliverer first: its pass under way finishes and its leases are given back.
  await s.worker?.stop();
  await desk.stop();
  await s.db.destroy();
  await s.ops?.close();
  if (signal) logger.info('stopped', { signal });
}
