/**
 * Delivery off the intake's thread: `tierdesk start` runs the dispatcher and the scheduler in a
 * worker thread (src/delivery-worker.ts) on its own connection to the same database. Between the two,
 * a bounded channel: intake only wakes the worker (wake-ups between two turns of the event loop are
 * merged into one message), and the worker never waits for intake.
 */
import { Worker } from 'node:worker_threads';
import { createDesk, type Desk, type DeskOptions } from '../core/desk.js';
import { addWorkerFigures, type WorkerFigures } from '../core/metrics.js';

/**
 * When intake queues requests instead of running them: requests have run for 10 ms in this turn of
 * the event loop (those waiting to be read come next), or 32 run side by side (waiting for the
 * database). The acknowledgement of a queued request is one insert, so whatever the burst each waits
 * at most a turn: far inside Slack's and Discord's 3 s. Nothing waits for the event loop's delay: on
 * a shared machine it measures the neighbours, and holding the queue back for it only slows the drain.
 */
export const INTAKE_BOUNDS = { turnBudgetMs: 10, maxInflight: 32, maxQueued: 50_000, restoreMs: 250 };

/** What the worker needs to build its side: the same configuration, read again. */
export interface WorkerSetup {
  configPath?: string;
  env: Record<string, string | undefined>;
}

export type FromIntake = { type: 'wake'; outbox?: boolean; timers?: boolean } | { type: 'stop' };
export type ToIntake =
  | { type: 'ready' }
  | { type: 'failed'; error: string }
  | { type: 'changed'; tickets: readonly number[] }
  | { type: 'figures'; figures: WorkerFigures }
  | { type: 'stopped' };

/**
 * The worker thread. Compiled (dist/), it is a JavaScript file; in a checkout the sources run through
 * tsx, whose loader a worker does not inherit, so the thread registers it before importing the file.
 */
function workerThread(setup: WorkerSetup): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('../delivery-worker.js', import.meta.url), { workerData: setup });
  const file = new URL('../delivery-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(file)}); })`;
  return new Worker(boot, { eval: true, workerData: setup });
}

/**
 * The intake's end of the channel to the delivery worker. `wake` may be called before the worker runs
 * (it is then merged into the first message); it never blocks.
 */
export class DeliveryWorker {
  #worker: Worker | undefined;
  #exited: Promise<void> = Promise.resolve();
  #pending: { outbox?: boolean; timers?: boolean } | undefined;
  #stopping = false;

  /**
   * Start the worker; resolves once its loops run, rejects with its reason when it cannot start.
   * `changed` hears the tickets a timer changed there (live dashboards are on this side).
   */
  async start(setup: WorkerSetup, changed: (tickets: readonly number[]) => void, died: (reason: string) => void = () => undefined): Promise<void> {
    const worker = (this.#worker = workerThread(setup));
    this.#exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // After it runs, a worker that ends unasked (a crash) leaves nothing delivered and no timer fired:
    // the intake must not go on acknowledging as if all were well.
    let ready = false;
    worker.on('error', (err) => ready && !this.#stopping && died(err.message));
    worker.once('exit', (code) => ready && !this.#stopping && died(`it exited with code ${code}`));
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (message: ToIntake) => {
        if (message.type === 'changed') changed(message.tickets);
        else if (message.type === 'figures') addWorkerFigures(message.figures);
        else if (message.type === 'ready') {
          ready = true;
          resolve();
        } else if (message.type === 'failed') reject(new Error(message.error));
      });
      worker.once('error', reject);
      void this.#exited.then(() => reject(new Error('the delivery worker ended before it started')));
    });
    if (this.#pending) this.#flush();
  }

  /** After a commit: there is something to deliver, or a timer to look at. */
  wake(what: { outbox?: boolean; timers?: boolean }): void {
    // One message per turn of the event loop at most: the channel stays bounded under any burst.
    if (this.#pending) {
      this.#pending.outbox ||= what.outbox;
      this.#pending.timers ||= what.timers;
      return;
    }
    this.#pending = { ...what };
    if (this.#worker) setImmediate(() => this.#flush());
  }

  #flush(): void {
    const message: FromIntake = { type: 'wake', ...this.#pending };
    this.#pending = undefined;
    this.#worker?.postMessage(message);
  }

  /** Stop the loops (a pass under way finishes), give back the worker's leases, end the thread. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#worker?.postMessage({ type: 'stop' } satisfies FromIntake);
    // A worker that cannot finish its stop (its database gone) is ended after 30 s, never waited on for ever.
    const bound = setTimeout(() => void this.#worker?.terminate(), 30_000);
    await this.#exited;
    clearTimeout(bound);
  }
}

/**
 * The desk of `tierdesk start`: on a platform, with admission control at intake and its dispatcher
 * and scheduler in the delivery worker (TIERDESK_DELIVERY=inline keeps them in this thread, to
 * compare); the console delivers in-process (it prints what is delivered after each line).
 */
export async function deskWithDelivery(
  options: DeskOptions,
  how: { consoleOnly: boolean; env: Record<string, string | undefined>; configPath: string | undefined; workerDied?: (reason: string) => void },
): Promise<{ desk: Desk; worker: DeliveryWorker | undefined } | Error> {
  const worker = how.consoleOnly || how.env.TIERDESK_DELIVERY === 'inline' ? undefined : new DeliveryWorker();
  const desk = createDesk({
    ...options,
    ...(how.consoleOnly ? {} : { admission: INTAKE_BOUNDS }),
    ...(worker ? { loopsElsewhere: worker } : {}),
  });
  const setup = { ...(how.configPath !== undefined ? { configPath: how.configPath } : {}), env: { ...how.env } };
  try {
    await worker?.start(setup, (tickets) => desk.core.committed?.(tickets), how.workerDied);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
  return { desk, worker };
}
