/**
 * Running a declared command: from typed text (parsed against its declaration), from structured
 * arguments (a form, Discord's options), or from a button (the twin of a sub-command). Who may run
 * it is checked first, from the declaration, before a form is ever shown.
 */
import { UserError } from '../domain/errors.js';
import { cleanLine } from '../domain/text.js';
import type { Form, Inbound, Platform, Reply } from '../ports.js';
import type { Args, CommandSpec, SubcommandSpec, Who } from './capability.js';
import { choicesOf, findSub, lowerFirst, runsOn, usageOf } from './catalogue.js';
import { commandHelp, helpText } from './help.js';
import type { Request } from './request.js';
import { parseTypedArgs } from './typed-line.js';
import type { Core } from './work.js';

const MAX_LINE = 25_000;

/** Platforms that can show a form (the console asks for the words on the line instead). */
const HAS_FORMS: ReadonlySet<Platform> = new Set(['slack', 'discord']);

type CommandEvent = Extract<Inbound, { kind: 'command' }>;
type ActionEvent = Extract<Inbound, { kind: 'action' }>;

/** `/name text` or `/name` with structured arguments. */
export async function runCommandEvent(core: Core, req: Request, event: CommandEvent): Promise<Reply> {
  const name = event.name.replace(/^\//, '').toLowerCase();
  const command = core.catalogue.command(name);
  if (!command || !runsOn(command.surfaces, req.place.platform))
    return { text: `Unknown command "/${cleanLine(name).slice(0, 40)}".\n\n${helpText(core.catalogue, req.place.platform)}` };
  if (event.args !== undefined) return runStructured(core, req, command, event.args);
  return runTyped(core, req, command, event.text ?? '');
}

async function runStructured(core: Core, req: Request, command: CommandSpec, raw: Record<string, string>): Promise<Reply> {
  const { sub: subName, ...args } = raw;
  const name = subName ?? (findSub(command, '') ? '' : (command.defaultSub ?? 'help'));
  if (name === 'help' && !findSub(command, 'help')) return { text: commandHelp(core.catalogue, command, req.place.platform) };
  const sub = findSub(command, name);
  if (!sub || !runsOn(sub.surfaces, req.place.platform)) return unknownSub(core, req, command, name);
  return runSub(core, req, command, sub, args);
}

async function runTyped(core: Core, req: Request, command: CommandSpec, raw: string): Promise<Reply> {
  if (raw.length > MAX_LINE) throw new UserError('too_long', `That command is ${raw.length} characters; the limit is ${MAX_LINE}.`);
  const text = raw.trim();
  const first = /^\S+/.exec(text)?.[0] ?? '';
  const rest = text.slice(first.length).replace(/^\s+/, '');
  const platform = req.place.platform;
  let sub = first !== '' ? findSub(command, first) : undefined;
  let words = rest;
  if (sub && sub.name === '') sub = undefined; // '' is never typed
  if (!sub) {
    const own = findSub(command, '');
    if (own) [sub, words] = [own, text];
    else if (text === '') {
      const fallback = HAS_FORMS.has(platform) && command.emptySub ? command.emptySub : command.defaultSub;
      sub = fallback ? findSub(command, fallback) : undefined;
      if (!sub || fallback === 'help') return { text: commandHelp(core.catalogue, command, platform) };
    } else if (first.toLowerCase() === 'help') return { text: commandHelp(core.catalogue, command, platform) };
    else if (command.defaultSub && !command.subs.some((s) => s.name !== '' && s.name === first.toLowerCase())) {
      return unknownSub(core, req, command, first);
    }
  }
  if (!sub || !runsOn(sub.surfaces, platform)) return unknownSub(core, req, command, first);
  const args = parseTypedArgs(words, sub.args ?? [], usageOf(command, sub));
  return runSub(core, req, command, sub, args);
}

function unknownSub(core: Core, req: Request, command: CommandSpec, name: string): Reply {
  const shown = command.name === 'ticket' ? `"${cleanLine(name).slice(0, 40)}"` : `"/${command.name} ${cleanLine(name).slice(0, 40)}"`;
  return { text: `Unknown command ${shown}.\n\n${commandHelp(core.catalogue, command, req.place.platform)}` };
}

/**
 * A button: the twin of its sub-command. Its value holds the positional arguments and switches
 * tierdesk put there (`12 --force`); words a person typed into the button's form come as `text` and
 * are never parsed.
 */
export async function runAction(core: Core, req: Request, event: ActionEvent): Promise<Reply | undefined> {
  const button = core.catalogue.button(event.action);
  if (!button) return undefined;
  const { command, sub } = button;
  const usage = usageOf(command, sub);
  const args: Record<string, string> = parseTypedArgs(event.value, sub.args ?? [], usage);
  const free = (sub.args ?? []).find((a) => a.positional && a.kind === 'text');
  if (event.text !== undefined && free) args[free.name] = event.text;
  return runSub(core, req, command, sub, args);
}

/** Check who may, show the form when words are missing (where forms exist), else run. */
export async function runSub(core: Core, req: Request, command: CommandSpec, sub: SubcommandSpec, args: Args): Promise<Reply> {
  await authorize(core, req, sub, args);
  if (HAS_FORMS.has(req.place.platform) && sub.form && (sub.form.enabled?.(core) ?? true) && wantsForm(sub, args))
    return { text: sub.summary, form: await formOf(core, req, command, sub, args) };
  return sub.run(core, req, args);
}

/** Refuse (a UserError with the reason) when the person may not run this: the declaration's `who`, refined by `allowed`. */
export async function authorize(core: Core, req: Request, sub: SubcommandSpec, args: Args): Promise<void> {
  if (sub.allowed) return sub.allowed(core, req, args);
  const reason = refusal(core, req, sub.who, sub.summary);
  if (reason) throw new UserError('not_allowed', reason);
}

function refusal(core: Core, req: Request, who: Who, summary: string): string | undefined {
  const dir = core.directory;
  if (who === 'agents' && !dir.isAgent(req.actor)) return `Only agents can do that (${lowerFirst(summary)}).`;
  const lead = () => dir.isLeadOfAny(req.actor);
  if (who === 'leads' && !lead()) return `Only a tier's leads can do that (${lowerFirst(summary)}).`;
  if (who === 'staff' && !dir.isAgent(req.actor) && !lead()) return `Only agents and leads can do that (${lowerFirst(summary)}).`;
  return undefined;
}

/** The form's fields: the declared ones, or every free-text and choice argument. */
function formFields(sub: SubcommandSpec): string[] {
  const args = sub.args ?? [];
  return [...(sub.form?.fields ?? args.filter((a) => a.kind === 'text' || a.kind === 'choice' || a.kind === 'tier').map((a) => a.name))];
}

/**
 * Show the form when none of its fields was given, or a required one is missing. A form's own
 * submission sends every field (an empty one as ''), so it runs, and the use case names what is wrong.
 */
function wantsForm(sub: SubcommandSpec, args: Args): boolean {
  const fields = formFields(sub).map((n) => (sub.args ?? []).find((a) => a.name === n)!);
  const given = (n: string) => args[n] !== undefined;
  return fields.length > 0 && (fields.every((a) => !given(a.name)) || fields.some((a) => a.required && !given(a.name)));
}

async function formOf(core: Core, req: Request, command: CommandSpec, sub: SubcommandSpec, args: Args): Promise<Form> {
  const spec = sub.form!;
  const prefill = spec.prefill ? await spec.prefill(core, req, args) : {};
  const names = formFields(sub);
  const submitArgs: Record<string, string> = { sub: sub.name };
  for (const [k, v] of Object.entries(args)) if (v !== undefined && !names.includes(k)) submitArgs[k] = v;
  const fields = names.map((n) => {
    const a = (sub.args ?? []).find((x) => x.name === n)!;
    const value = args[n] ?? prefill[n];
    const configured = a.formChoices?.(core.config, core.clock.now())?.map((c) => ({ value: c, label: c }));
    const choices = configured ?? choicesOf(a, core.config);
    return {
      name: n,
      label: (a.label ?? a.summary).slice(0, 45),
      required: a.required === true,
      max: a.maxLength ?? (a.long ? 4000 : 200),
      ...(a.long ? { long: true } : {}),
      ...(value !== undefined ? { value } : {}),
      ...(choices ? { choices } : {}),
    };
  });
  const title = spec.title.replace('{number}', args.number ?? args.id ?? '');
  return {
    kind: spec.kind ?? `${command.name}.${sub.name}`,
    title,
    fields,
    submit: { command: command.name, args: submitArgs },
    ...(spec.submitLabel ? { submitLabel: spec.submitLabel } : {}),
  };
}

/** An `allowed` check for agents of any tier that refuses in the use case's own words. */
export function agentsOnly(message: string) {
  return async (core: Core, req: Request): Promise<void> => {
    if (!core.directory.isAgent(req.actor)) throw new UserError('not_agent', message);
  };
}

/**
 * The form of `/command sub`, filled in with `args`, for someone who may use it (a message
 * shortcut's "Create ticket" form, filled in from the message); refused like the command otherwise.
 */
export async function formFor(core: Core, req: Request, commandName: string, subName: string, args: Args): Promise<Reply> {
  const command = core.catalogue.command(commandName);
  const sub = command ? findSub(command, subName) : undefined;
  if (!command || !sub?.form) throw new Error(`/${commandName} ${subName} declares no form`);
  await authorize(core, req, sub, args);
  return { text: sub.summary, form: await formOf(core, req, command, sub, args) };
}
