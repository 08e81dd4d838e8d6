import type { Config } from '../config/config.js';
import type { ChatAdapter, Clock, Inbound, Logger, Platform, Reply } from '../ports.js';
import type { Db } from '../store/connect.js';
import { closeAfterReopenWindow } from '../capabilities/tickets/close-ticket.js';
import { Directory } from './directory.js';
import { Dispatcher, type DispatcherOptions } from './dispatcher.js';
import { createIdSource } from './ids.js';
import { AUTO_CLOSE } from '../capabilities/tickets/resolve-ticket.js';
import { slaTimerFired } from '../capabilities/sla/alerts.js';
import { SLA_TIMER } from '../capabilities/sla/clocks.js';
import { PAGE_TIMER, pageTimerFired } from '../capabilities/oncall/paging.js';
import { armHandoffs, handoffFired, HANDOFF_TIMER } from '../capabilities/oncall/handoffs.js';
import { armHousekeeping, housekeepingFired, HOUSEKEEPING_TIMER } from './housekeeping.js';
import { createRouter } from './router.js';
import { STALE_TIMER, UNANSWERED_TIMER } from '../capabilities/peer/questions.js';
import { staleFired, unansweredFired } from '../capabilities/peer/timers.js';
import { Scheduler, type SchedulerOptions } from './scheduler.js';
import type { Core } from './work.js';
import { releaseHeldLeases } from '../store/leases.js';
import { searchIndexFor } from '../store/search-index.js';

export interface DeskOptions {
  db: Db;
  config: Config;
  clock: Clock;
  logger: Logger;
  adapters: ChatAdapter[];
  dispatcher?: DispatcherOptions;
  scheduler?: SchedulerOptions;
}

/** The help desk core, wired: router, dispatcher, scheduler, and the adapters it serves. */
export interface Desk {
  core: Core;
  /** Deliver one inbound event (what adapters call). */
  handle(event: Inbound): Promise<Reply | void>;
  dispatcher: Dispatcher;
  scheduler: Scheduler;
  /** Start adapters and the background loops. */
  start(): Promise<void>;
  /** Stop taking work, then let in-flight passes finish. */
  stop(): Promise<void>;
}

export function createDesk(options: DeskOptions): Desk {
  // The core wakes the loops after each commit; they are built right after it.
  const loops: { dispatcher?: Dispatcher; scheduler?: Scheduler } = {};
  const core: Core = {
    db: options.db,
    config: options.config,
    clock: options.clock,
    logger: options.logger,
    directory: new Directory(options.config),
    newId: createIdSource(() => options.clock.now()),
    search: searchIndexFor(options.db),
    hooks: { slaBreached: [] },
    wake: (what) => {
      if (what.outbox) loops.dispatcher?.nudge();
      if (what.timers) loops.scheduler?.nudge();
    },
  };
  const adapters = new Map<Platform, ChatAdapter>(options.adapters.map((a) => [a.platform, a]));
  const dispatcher = (loops.dispatcher = new Dispatcher(core, adapters, options.dispatcher));
  const scheduler = (loops.scheduler = new Scheduler(core, options.scheduler));
  scheduler.on(AUTO_CLOSE, (work, timer) => closeAfterReopenWindow(core, work, Number(timer.subject), timer.late));
  scheduler.on(SLA_TIMER, (work, timer) => slaTimerFired(core, work, timer.subject, timer.late));
  scheduler.on(PAGE_TIMER, (work, timer) => pageTimerFired(core, work, timer.subject, timer.data, timer.late));
  scheduler.on(HANDOFF_TIMER, (work, timer) => handoffFired(core, work, timer.subject));
  scheduler.on(HOUSEKEEPING_TIMER, (work) => housekeepingFired(core, work));
  scheduler.on(UNANSWERED_TIMER, (work, timer) => unansweredFired(core, work, timer.subject, timer.data));
  scheduler.on(STALE_TIMER, (work, timer) => staleFired(core, work, timer.subject, timer.data));
  const handle = createRouter(core);
  return {
    core,
    handle,
    dispatcher,
    scheduler,
    async start() {
      await armHandoffs(core);
      await armHousekeeping(core);
      for (const a of adapters.values()) await a.start(handle);
      dispatcher.start();
      scheduler.start();
    },
    async stop() {
      // The loops first: a delivery pass under way finishes against a platform still connected,
      // instead of failing against a closed client and spending an attempt.
      await scheduler.stop();
      await dispatcher.stop();
      for (const a of adapters.values()) await a.stop();
      // Nothing of ours is being delivered or fired now: hand any lease still held to other replicas.
      await releaseHeldLeases(core.db, core.clock.now(), core.logger);
    },
  };
}
