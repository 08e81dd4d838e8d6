/** The intake's port: admission control under load, asked by the adapters before each request. */
import type { Inbound, Platform, Reply } from './ports.js';

/** What to do with a request now: run it, keep it durably to run later, or refuse it (nothing changes). */
export type Admission = 'run' | 'queue' | 'refuse';

/**
 * Admission control, asked by the adapters before each slash command, button or interaction, so that
 * every one is acknowledged within the platform's 3 s however many arrive at once.
 */
export interface Intake {
  /** Run, queue or refuse the next request (a cheap, synchronous look at the load). */
  admit(): Admission;
  /**
   * Keep `event` to run later and answer through `answerTo` (see `answerLaterWith`). Resolves once
   * it is stored: only then may the adapter say it is queued. A repeat of a queued key is kept once.
   */
  enqueue(event: Inbound, answerTo: string): Promise<void>;
  /**
   * How the adapter of `platform` answers a queued request once it has run (`answerTo` is what it gave
   * `enqueue`: a Slack response_url, a Discord interaction token). An adapter that never says so never queues.
   */
  answerLaterWith(platform: Platform, answer: (answerTo: string, reply: Reply) => Promise<void>): void;
  /**
   * The adapter has acknowledged the queued request `key` ("queued" is on its way to the person): it
   * may run as soon as the load allows. Without this a queued request waits 3 s, so that its answer
   * never overtakes its acknowledgement.
   */
  acknowledged(key: string): void;
  /**
   * How the adapter of `platform` completes a queued event just before it runs: what was left out to
   * keep the acknowledgement cheap (a person's display name and zone, asked of the platform).
   */
  restoreWith(platform: Platform, restore: (event: Inbound) => Promise<Inbound>): void;
  /**
   * Count `work` as a request in flight while it runs: what an adapter awaits before the core sees
   * the request (asking the platform who the person is), so a burst waiting on that is bounded too.
   */
  track<T>(work: Promise<T>): Promise<T>;
}

/** The acknowledgement of a request queued under load. */
export const QUEUED_REPLY = 'tierdesk is very busy; your request is queued, and its answer will follow here.';

/** The answer to a request refused under load: nothing happened, and trying again is right. */
export const BUSY_REPLY = 'tierdesk is very busy and could not take this request; nothing was changed. Please try again in a minute.';

/** A queued request whose answer is a form: a form cannot open that late. */
export const FORM_TOO_LATE = 'That opens a form, which cannot open this late: please run the command again.';
