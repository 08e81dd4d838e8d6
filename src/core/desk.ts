import type { Config } from '../config/config.js';
import type { ChatAdapter, Clock, Inbound, Logger, Platform, Reply } from '../ports.js';
import type { Db } from '../store/connect.js';
import { Directory } from './directory.js';
import { Dispatcher, type DispatcherOptions } from './dispatcher.js';
import { createIdSource } from './ids.js';
import { armHousekeeping, housekeepingFired, HOUSEKEEPING_TIMER } from './housekeeping.js';
import { createRouter } from './router.js';
import { CAPABILITIES, CONVERSATIONS } from '../capabilities/index.js';
import { Catalogue } from './catalogue.js';
import type { Capability } from './capability.js';
import { Scheduler, type SchedulerOptions } from './scheduler.js';
import { IntakeQueue, type AdmissionOptions } from './intake-queue.js';
import type { Core } from './work.js';
import { releaseHeldLeases } from '../store/leases.js';
import { searchIndexFor } from '../store/search-index.js';
import { createWebhookLane } from './webhook-lane.js';

export interface DeskOptions {
  db: Db;
  config: Config;
  clock: Clock;
  logger: Logger;
  adapters: ChatAdapter[];
  dispatcher?: DispatcherOptions;
  scheduler?: SchedulerOptions;
  /** The capabilities to run (default: all of tierdesk's; tests add probes). */
  capabilities?: readonly Capability[];
  /** Admission control under load (default: every request runs at once unless forced). */
  admission?: AdmissionOptions;
  /**
   * The dispatcher and the scheduler run elsewhere (a delivery worker on the same database): this
   * desk starts neither loop and hands each commit's wake-up to `wake` instead.
   */
  loopsElsewhere?: { wake(what: { outbox?: boolean; timers?: boolean }): void };
  /** A deliverer that takes no requests (the delivery worker): it drains no intake queue. */
  deliveryOnly?: boolean;
}

/** The help desk core, wired: router, dispatcher, scheduler, and the adapters it serves. */
export interface Desk {
  core: Core;
  /** Deliver one inbound event (what adapters call). */
  handle(event: Inbound): Promise<Reply | void>;
  dispatcher: Dispatcher;
  scheduler: Scheduler;
  /** Admission control and the queue of requests taken under load. */
  intake: IntakeQueue;
  /** Start adapters and the background loops. */
  start(): Promise<void>;
  /** Stop taking work, then let in-flight passes finish. */
  stop(): Promise<void>;
  /**
   * Hear, after each commit, which tickets it changed (their events were written): live dashboards
   * refresh from it. A listener that throws is logged and never fails the change. Returns `off`.
   */
  onTicketsChanged(listener: (tickets: readonly number[]) => void): () => void;
}

export function createDesk(options: DeskOptions): Desk {
  // The core wakes the loops after each commit; they are built right after it.
  const loops: { dispatcher?: Dispatcher; scheduler?: Scheduler } = {};
  const changeListeners = new Set<(tickets: readonly number[]) => void>();
  const core: Core = {
    db: options.db,
    config: options.config,
    clock: options.clock,
    logger: options.logger,
    directory: new Directory(options.config),
    newId: createIdSource(() => options.clock.now()),
    search: searchIndexFor(options.db),
    catalogue: new Catalogue(options.capabilities ?? CAPABILITIES),
    wake: (what) => {
      if (options.loopsElsewhere) return options.loopsElsewhere.wake(what);
      if (what.outbox) loops.dispatcher?.nudge();
      if (what.timers) loops.scheduler?.nudge();
    },
    committed: (tickets) => {
      for (const listener of changeListeners) {
        try {
          listener(tickets);
        } catch (err) {
          options.logger.warn('a ticket-change listener failed', { error: err instanceof Error ? err.message : String(err) });
        }
      }
    },
  };
  // Outbound webhooks are a delivery lane of their own (op `webhook`), not a platform anyone chats on.
  const lanes = options.config.webhooks.length > 0 ? [createWebhookLane({ webhooks: options.config.webhooks, now: () => options.clock.now() })] : [];
  const adapters = new Map<Platform, ChatAdapter>([...lanes, ...options.adapters].map((a) => [a.platform, a]));
  const dispatcher = (loops.dispatcher = new Dispatcher(core, adapters, options.dispatcher));
  const scheduler = (loops.scheduler = new Scheduler(core, options.scheduler));
  for (const [kind, fired] of core.catalogue.timers()) scheduler.on(kind, (work, timer) => fired(core, work, timer));
  scheduler.on(HOUSEKEEPING_TIMER, (work) => housekeepingFired(core, work));
  const route = createRouter(core, CONVERSATIONS);
  const intake: IntakeQueue = new IntakeQueue(core, route, options.admission);
  const handle = (event: Inbound) => intake.track(route(event));
  return {
    core,
    handle,
    dispatcher,
    scheduler,
    intake,
    onTicketsChanged(listener) {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
    async start() {
      for (const capability of core.catalogue.capabilities) await capability.start?.(core);
      await armHousekeeping(core);
      if (!options.deliveryOnly) await intake.start();
      for (const a of adapters.values()) await a.start(handle, intake);
      if (options.loopsElsewhere) return;
      dispatcher.start();
      scheduler.start();
    },
    async stop() {
      // The queue first (a queued request under way finishes and is answered), then the loops: a
      // delivery pass under way finishes against a platform still connected, instead of failing
      // against a closed client and spending an attempt.
      if (!options.deliveryOnly) await intake.stop();
      await scheduler.stop();
      await dispatcher.stop();
      for (const a of adapters.values()) await a.stop();
      // Nothing of ours is being delivered or fired now: hand any lease still held to other replicas.
      await releaseHeldLeases(core.db, core.clock.now(), core.logger);
    },
  };
}
