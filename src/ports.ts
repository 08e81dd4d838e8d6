/**
 * The ports: what the core needs from the outside world. Adapters (console, Slack, Discord) implement
 * ChatAdapter; the composition root (src/cli.ts) provides a real Clock and Logger; tests provide fakes.
 */

/** `web`: the dashboard (adapters/web), where a person is their `people` id (space `web`);
 * `webhook`: the outbound webhooks' delivery lane (src/core/webhook-lane.ts), its places webhook names. */
export type Platform = 'slack' | 'discord' | 'console' | 'web' | 'webhook';

/** Where a message lives. `space` is the workspace or guild; `thread` the parent message, if any. */
export interface Place {
  platform: Platform;
  space: string;
  channel: string;
  thread?: string;
}

/** A person is (platform, space, id); `name` is only for display. */
export interface Person {
  platform: Platform;
  space: string;
  id: string;
  name: string;
  /** Platform groups the adapter saw the person in (Slack user group ids, Discord role ids). */
  memberOf?: string[];
  /** The IANA time zone the platform says the person is in (Slack's `tz`), where it says. */
  zone?: string;
}

interface InboundBase {
  /** Idempotency key: Slack event id / trigger id, Discord interaction id, a console line id. */
  key: string;
  /** When the platform says it happened (epoch ms). */
  at: number;
  from: Person;
  place: Place;
  /** The platform payload, kept as an escape hatch for logging and debugging. Never rendered. */
  raw?: unknown;
}

/** A message someone pointed at (a message shortcut or context-menu command). */
export interface MessageRef {
  /** The platform's id of the message. */
  id: string;
  author: Person;
  text: string;
  /** A permalink, where the platform has one. */
  link?: string;
}

/** What adapters deliver to the router. */
export type Inbound = InboundBase &
  (
    | { kind: 'command'; name: string; text?: string; args?: Record<string, string> }
    /**
     * A button, form or message action. `action` is a `/ticket` sub-command, or `family.sub` for
     * another command family (`kb.vote` runs `/kb vote <value>`). `about` is the message a message
     * action was used on.
     */
    | { kind: 'action'; action: string; value: string; message?: string; text?: string; about?: MessageRef }
    /**
     * A message written in a channel or thread. `id` is its platform id. In a peer channel a message
     * whose `place.thread` is absent or equal to `id` starts a question (a Slack top-level message, a
     * Discord forum post, whose `title` is the post's title). `ticket` / `question` name the
     * conversation directly where the platform has no threads to type into (the console).
     */
    | {
        kind: 'message';
        text: string;
        ticket?: number;
        question?: number;
        id?: string;
        title?: string;
        link?: string;
        /** Written in the person's direct conversation with tierdesk (a DM), where everything is tierdesk's business. */
        direct?: boolean;
      }
    /** `author` is who wrote the message reacted to, when the platform says. */
    | { kind: 'reaction'; emoji: string; message: string; text?: string; link?: string; author?: Person }
    /** Someone edited a message (`title`: a Discord forum post renamed). `place.thread` as for messages. */
    | { kind: 'edited'; message: string; text?: string; title?: string }
    /** A message, or a whole thread / forum post whose root it was, was deleted. */
    | { kind: 'deleted'; message: string }
  );

/** The immediate answer to whoever sent an Inbound; shown only to them where the platform can. */
export interface Reply {
  text: string;
  card?: Card;
  /** Several cards (a home view, a list). */
  cards?: Card[];
  /** Set when the core refused (a UserError's code and field) or failed (`unavailable`, `internal`); the API's status follows it. */
  refusal?: { code: string; field?: string };
  /** Problems by input field, for forms that can show them next to the field (a Slack modal). */
  fieldErrors?: Record<string, string>;
  /**
   * A form to show the person instead of an answer (a Slack modal, a Discord modal): the core asked
   * for words it needs, after it checked that the person may do this at all. Adapters without forms
   * never receive one (the core answers them with the usage instead).
   */
  form?: Form;
  /**
   * A plain acknowledgement of a message written in a conversation ("reply sent"): adapters that
   * cannot show it to the writer alone show it quietly (a reaction) rather than where others read.
   */
  quiet?: boolean;
}

/** One input of a form. Its `name` is the argument it fills in the command the form submits. */
export interface FormField {
  name: string;
  label: string;
  /** Several lines (a paragraph) rather than one. */
  long?: boolean;
  required: boolean;
  /** The most characters it takes. */
  max: number;
  /** Filled in already (a prefill: the article being edited, the message a ticket is made from). */
  value?: string;
  /** A closed set of values: adapters show a select where they can, else say the values in the label. */
  choices?: ReadonlyArray<{ value: string; label: string }>;
  placeholder?: string;
}

/**
 * A neutral form. On submission the adapter sends `{ kind: 'command', name: submit.command, args:
 * { ...submit.args, ...values by field name } }`: the values are arguments, never parsed as options.
 * `kind` names well-known forms an adapter may render its own richer way (`ticket.new`).
 */
export interface Form {
  kind: string;
  title: string;
  submitLabel?: string;
  fields: FormField[];
  submit: { command: string; args: Record<string, string> };
}

export interface CardField {
  label: string;
  /** The plain-text value (instants in UTC). */
  value: string;
  /** An instant the value is about (epoch ms): platforms that can show it in each reader's own time zone do. */
  instant?: number;
}

export interface CardButton {
  /** Router action name, e.g. `claim`. */
  action: string;
  label: string;
  /** Passed back in the Inbound action, e.g. the ticket number. */
  value: string;
  style?: 'primary' | 'danger';
}

/**
 * A neutral message. Every adapter renders it its own way; `fallback` is the complete plain-text
 * rendering, used by the console and by platforms for notifications.
 */
export interface Card {
  title: string;
  text?: string;
  fields?: CardField[];
  buttons?: CardButton[];
  /** `note` marks internal text that must look unlike anything a requester sees. */
  tone?: 'info' | 'public' | 'note' | 'warning' | 'success';
  /** A small footer line (who did what, when). */
  context?: string;
  /**
   * Platform groups this message deliberately notifies (a Discord role id, a Slack user group id):
   * the only mentions an adapter lets through. Everything else in a card never pings anyone.
   */
  ping?: string[];
  fallback: string;
}

/** A file tierdesk sends (a ticket's transcript): its name, media type and whole content. */
export interface OutboundFile {
  name: string;
  /** `text/html; charset=utf-8`, `text/plain; charset=utf-8`. */
  mime: string;
  content: string;
}

/** A lifecycle event for an integration: `id` is unique per delivery, `body` the JSON sent. */
export interface OutboundEvent {
  id: string;
  event: string;
  body: Record<string, unknown>;
}

/** How a peer-support thread is labelled: a forum tag, a title mark or a reaction, as the platform allows. */
export type ThreadLabel = 'open' | 'solved' | 'closed';

/** A chat platform as the core sees it. Adapters only translate; no business rule lives in them. */
export interface ChatAdapter {
  readonly platform: Platform;
  /** Connect and start delivering inbound events, acking before slow work (under load as `intake` says). */
  start(deliver: (event: Inbound) => Promise<Reply | void>, intake?: import('./intake-port.js').Intake): Promise<void>;
  stop(): Promise<void>;
  /** Post a card; returns the platform's message id so later edits find it. */
  post(place: Place, card: Card): Promise<{ messageId: string; place: Place }>;
  edit(place: Place, messageId: string, card: Card): Promise<void>;
  /** The private conversation with one person. */
  openDirect(person: Person): Promise<Place>;
  /**
   * Optional: a private place for one ticket's conversation (a Discord private thread) that the
   * requester and the agents working it can see. Without it the core uses the requester's DM.
   */
  openPrivateThread?(person: Person, title: string): Promise<Place>;
  /** Optional: whether the platform connection is up right now (for /healthz). */
  connected?(): boolean;
  /** Optional: let these people into a private thread opened by openPrivateThread. */
  addMembers?(place: Place, people: Person[]): Promise<void>;
  /**
   * Optional: label a peer-support question (`place.thread` is its root message / forum post).
   * Discord: the forum's Open/Solved tags, and `closed` archives and locks the post (`open` undoes
   * that); Slack: a reaction on the question. Adapters without labels ignore it.
   */
  labelThread?(place: Place, label: ThreadLabel): Promise<void>;
  /**
   * Optional: close a ticket's private thread (`closed`: archive and lock it, so its requester can
   * no longer write there) or open it again (unlock and unarchive). `place` is where the ticket's
   * requester conversation starts: a private thread is its channel. Where that is no thread (a DM,
   * a channel), nothing is done.
   */
  sealThread?(place: Place, closed: boolean): Promise<void>;
  /**
   * Optional: upload a file into a place (Slack's external upload, a Discord attachment), with the
   * card as its message. Without it the dispatcher posts the card alone (it says where the file is).
   */
  upload?(place: Place, file: OutboundFile, card: Card): Promise<void>;
  /** Optional: deliver a lifecycle event to the outbound webhook named `place.channel` (the webhook lane only). */
  deliverEvent?(place: Place, event: OutboundEvent): Promise<void>;
  /** Optional: add a person to a platform group (a Discord role, a Slack user group). */
  grantGroup?(person: Person, group: string): Promise<void>;
  /**
   * Optional: make `people` the whole member list of a platform group tierdesk owns (a Slack user
   * group: an on-call handle). Where the platform has no such replace, see addToGroup.
   */
  setGroupMembers?(group: string, people: Person[]): Promise<void>;
  /**
   * Optional: give a person a platform group (a Discord role) for an on-call handle. Resolves true
   * when this call gave it, false when it did not: they had it already (someone else gave it:
   * tierdesk must not take it back) or are not in the guild. `person.space` may be '' (the guild
   * that has the role).
   */
  addToGroup?(person: Person, group: string): Promise<boolean>;
  /** Optional: take back a platform group tierdesk gave with addToGroup. */
  removeFromGroup?(person: Person, group: string): Promise<void>;
  /**
   * Optional: stop taking inbound events (close the socket, stop the HTTP receiver) while those under
   * way finish and their answers still go out: the first step of a graceful shutdown; stop() follows.
   */
  stopReceiving?(): Promise<void>;
}

/**
 * Raised by adapters when the platform asked us to slow down; the dispatcher waits at least
 * `retryAfterMs` before trying that row again.
 */
export class RateLimitedError extends Error {
  constructor(
    readonly retryAfterMs: number,
    /** The limit covers every call to the platform (Discord's global limit), not just this one. */
    readonly global = false,
    message = `rate limited${global ? ' (global)' : ''}; retry after ${retryAfterMs} ms`,
  ) {
    super(message);
    this.name = 'RateLimitedError';
  }
}

/** Raised by adapters for a failure that retrying cannot fix (channel gone, no permission). */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}

/** Time, injected: the core never reads the system clock itself. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export type LogFields = Record<string, unknown>;

/** Structured logging. Implementations must never receive tokens or secrets; callers don't pass them. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export const systemClock: Clock = { now: () => Date.now() };

export { FakeClock } from './fake-clock.js';
