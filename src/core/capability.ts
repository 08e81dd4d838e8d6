/**
 * A capability (tickets, SLA, on-call, peer support, the knowledge base...) declares here, once,
 * everything a surface needs to offer it: its commands and their arguments, who may run them, the
 * buttons that are their twins, the forms that collect their words, its timers and the lifecycle
 * hooks it listens to. The router, /help, the console, the Slack manifest and listeners, Discord's
 * command JSON and the web are all derived from these declarations (src/core/catalogue.ts).
 */
import type { Config } from '../config/config.js';
import type { Platform, Reply } from '../ports.js';
import type { Request } from './request.js';
import type { Core, Work } from './work.js';

/** Arguments by name, as typed (parsed against the declaration), sent by a form, or by Discord's options. */
export type Args = Readonly<Record<string, string | undefined>>;

/**
 * Who may run a command, checked in the core before anything else (and before any form opens):
 * `anyone`; `requester` (anyone: the command checks it is their ticket); `agents` of any tier;
 * `leads` of any tier; `staff`: agents or leads (the help desk's own people). A sub-command's `allowed`, when declared, decides instead: it is at least as
 * strict, and knows the subject (only the ticket's tier, only the knowledge-base authors).
 */
export type Who = 'anyone' | 'requester' | 'agents' | 'leads' | 'staff';

/**
 * `number`: a ticket, article or question number (`12`, `#12`, `Q12` for questions); `integer`: any
 * whole number; `word`: one word; `text`: free text, kept exactly as written (flags inside it are
 * words); `choice`: one of `choices`; `tier`: a configured tier; `boolean`: a switch (`--force`).
 */
export type ArgKind = 'number' | 'integer' | 'word' | 'text' | 'choice' | 'tier' | 'boolean';

export interface ArgSpec {
  name: string;
  summary: string;
  kind: ArgKind;
  /** Given in order before the options (`/ticket reply <N> <text>`); otherwise an option `--name`. */
  positional?: boolean;
  required?: boolean;
  choices?: readonly string[];
  /** Integers: the bounds. */
  min?: number;
  max?: number;
  /** Text: the most characters. */
  maxLength?: number;
  /** How it is written in a usage line: `<N>`, `<resolution>`, `L3`. */
  placeholder?: string;
  /** Its label in a form (default: the summary). */
  label?: string;
  /** Several lines in a form. */
  long?: boolean;
  /** Choices a form offers from the configuration (the configured products); typed text is checked by the use case. */
  formChoices?(config: Config, now: number): readonly string[] | undefined;
}

/** The form that collects a sub-command's words on surfaces that have forms. */
export interface FormSpec {
  /** Well-known forms adapters may render their own way (`ticket.new`); default `command.sub`. */
  kind?: string;
  /** The title; `{number}` is replaced by the subject's number. */
  title: string;
  /** The arguments it asks for, in order (default: every `text`, `choice` and `tier` argument). */
  fields?: readonly string[];
  submitLabel?: string;
  /** Whether the form is offered with this configuration (default: always). */
  enabled?(core: Core): boolean;
  /** Values to fill the form with (the article being edited). */
  prefill?(core: Core, req: Request, args: Args): Promise<Record<string, string>>;
}

export interface SubcommandSpec {
  /** '' for a command without sub-commands. */
  name: string;
  summary: string;
  who: Who;
  args?: readonly ArgSpec[];
  /** Other names it answers to when typed (`find` for `search`). */
  aliases?: readonly string[];
  /** Where it is offered (default: everywhere). The console-only twins of buttons say `['console']`. */
  surfaces?: readonly Platform[];
  form?: FormSpec;
  /** A finer check than `who`, with the subject loaded: only the ticket's tier, only its requester. Throws UserError. */
  allowed?(core: Core, req: Request, args: Args): Promise<void>;
  run(core: Core, req: Request, args: Args): Promise<Reply>;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** What to type, in one line (Slack's usage hint). */
  hint: string;
  subs: readonly SubcommandSpec[];
  /** The sub-command a line that names none runs (`/oncall` → `now`); default: help for the command. */
  defaultSub?: string;
  /** The sub-command an empty line runs on a surface with forms (`/ticket` → the new-ticket form). */
  emptySub?: string;
  surfaces?: readonly Platform[];
  /** Left out of /help (the console's typed twins of buttons); its own help still lists it. */
  unlisted?: boolean;
  /** Adds `subs` to a command another capability declares (on-call adds `/ticket page`). */
  extend?: boolean;
}

/** A card button: the twin of a sub-command. Its value holds the positional arguments and switches (`12 --force`). */
export interface ButtonSpec {
  /** The Inbound action name (`claim`, `kb.vote`). */
  action: string;
  /** `ticket claim`: the command and sub-command it runs. */
  twin: string;
}

/** A message action: Slack message shortcut, Discord message context-menu command. */
export interface MessageActionSpec {
  /** The Inbound action it sends. */
  action: string;
  callbackId: string;
  label: string;
  summary: string;
  surfaces?: readonly Platform[];
}

export interface TimerFired {
  kind: string;
  subject: string;
  dueAt: number;
  data: unknown;
  late: boolean;
}

/** What a lifecycle hook hears. Hooks run inside the transaction that raised them. */
export interface HookPayloads {
  'ticket.opened': { ticket: number };
  'ticket.claimed': { ticket: number };
  'ticket.resolved': { ticket: number };
  'ticket.closed': { ticket: number };
  'ticket.reopened': { ticket: number };
  'sla.warning': { ticket: number; clock: string; dueAt?: number };
  'sla.breached': { ticket: number; clock: string; dueAt?: number };
  'page.started': { ticket: number };
  'page.acknowledged': { ticket: number };
}
export type HookName = keyof HookPayloads;
export type Hook<K extends HookName> = (core: Core, work: Work, payload: HookPayloads[K]) => Promise<void>;

/** The fields of a new ticket that intake may settle, and the tier it may choose. */
export interface IntakeFields {
  category?: string | undefined;
  product?: string | undefined;
  version?: string | undefined;
  /** The entry tier, when a capability decides it (otherwise routing does). */
  tier?: string | undefined;
}

export interface Capability {
  name: string;
  summary: string;
  commands?: readonly CommandSpec[];
  buttons?: readonly ButtonSpec[];
  messageActions?: readonly MessageActionSpec[];
  /** Timer kind → handler, run in the transaction that deletes the timer. */
  timers?: Readonly<Record<string, (core: Core, work: Work, timer: TimerFired) => Promise<void>>>;
  hooks?: { readonly [K in HookName]?: Hook<K> };
  /** Lines for `/ticket stats` and `tierdesk report` over [from, to), grouped `by` where the capability can. */
  report?(core: Core, range: { from: number; to: number; by: string }): Promise<string[]>;
  /** Check and settle a new ticket's fields before it is created; throw a UserError to refuse it. */
  intake?(config: Config, fields: IntakeFields, now: number): Partial<IntakeFields>;
  /** Run once when the desk starts (arm the timers it keeps). */
  start?(core: Core): Promise<void>;
}
