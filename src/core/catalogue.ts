/**
 * The catalogue: every capability's declarations, indexed. Everything a surface offers is derived
 * from it (dispatch, /help, the Slack manifest, Discord's commands, the console), so a command
 * declared once is reachable everywhere it says it runs, and nowhere else.
 */
import type { Config } from '../config/config.js';
import type { Platform } from '../ports.js';
import type { Surface, SurfaceArg, SurfaceSub } from '../surface.js';
import type { ArgSpec, ButtonSpec, Capability, CommandSpec, Hook, HookName, IntakeFields, MessageActionSpec, SubcommandSpec } from './capability.js';

export class Catalogue {
  readonly #commands = new Map<string, CommandSpec>();
  readonly #buttons = new Map<string, { spec: ButtonSpec; command: CommandSpec; sub: SubcommandSpec }>();
  readonly #messageActions: MessageActionSpec[] = [];
  readonly #hooks = new Map<HookName, unknown[]>();

  constructor(readonly capabilities: readonly Capability[]) {
    for (const cap of capabilities) {
      for (const command of cap.commands ?? []) {
        if (command.extend) continue;
        if (this.#commands.has(command.name)) throw new Error(`command /${command.name} is declared twice (${cap.name})`);
        this.#commands.set(command.name, { ...command, subs: [...command.subs] });
      }
      this.#messageActions.push(...(cap.messageActions ?? []));
    }
    for (const cap of capabilities) {
      for (const extra of (cap.commands ?? []).filter((c) => c.extend)) {
        const base = this.#commands.get(extra.name);
        if (!base) throw new Error(`${cap.name} extends /${extra.name}, which no capability declares`);
        for (const sub of extra.subs) {
          if (findSub(base, sub.name)) throw new Error(`/${extra.name} ${sub.name} is declared twice (${cap.name})`);
        }
        this.#commands.set(extra.name, { ...base, subs: [...base.subs, ...extra.subs] });
      }
    }
    for (const cap of capabilities) {
      for (const spec of cap.buttons ?? []) {
        const [name = '', subName = ''] = spec.twin.split(' ');
        const command = this.#commands.get(name);
        const sub = command ? findSub(command, subName) : undefined;
        if (!command || !sub) throw new Error(`button ${spec.action} (${cap.name}) is the twin of /${spec.twin}, which is not declared`);
        if (this.#buttons.has(spec.action)) throw new Error(`button ${spec.action} is declared twice`);
        this.#buttons.set(spec.action, { spec, command, sub });
      }
    }
  }

  get commands(): CommandSpec[] {
    return [...this.#commands.values()];
  }

  /** The capability that declares a command (not one that only extends it). */
  capabilityOf(commandName: string): Capability | undefined {
    return this.capabilities.find((c) => (c.commands ?? []).some((cmd) => cmd.name === commandName && !cmd.extend));
  }

  command(name: string): CommandSpec | undefined {
    return this.#commands.get(name.toLowerCase());
  }

  /** A button's declaration and the sub-command it is the twin of. */
  button(action: string): { spec: ButtonSpec; command: CommandSpec; sub: SubcommandSpec } | undefined {
    return this.#buttons.get(action);
  }

  get buttons(): ButtonSpec[] {
    return [...this.#buttons.values()].map((b) => b.spec);
  }

  timers(): Array<[string, NonNullable<Capability['timers']>[string]]> {
    return this.capabilities.flatMap((c) => Object.entries(c.timers ?? {}));
  }

  hooks<K extends HookName>(name: K): readonly Hook<K>[] {
    // Asked on every ticket event: looked up once per name.
    let found = this.#hooks.get(name) as Hook<K>[] | undefined;
    if (!found) {
      found = this.capabilities.flatMap((c) => (c.hooks?.[name] ? [c.hooks[name] as Hook<K>] : []));
      this.#hooks.set(name, found as unknown[]);
    }
    return found;
  }

  /**
   * A new ticket's fields after every capability's intake, in order: names settled (a product's
   * alias → its name), the entry tier chosen. A capability refuses by throwing a UserError.
   */
  intake(config: Config, fields: IntakeFields, now: number): IntakeFields {
    return this.capabilities.reduce((f, c) => (c.intake ? Object.assign({}, f, c.intake(config, f, now)) : f), fields);
  }

  /** What `platform` offers: the commands and sub-commands that run there, their arguments, buttons and message actions. */
  surface(platform: Platform, config: Config): Surface {
    const commands = this.commands
      .filter((c) => runsOn(c.surfaces, platform))
      .map((c) => ({
        name: c.name,
        summary: c.summary,
        hint: c.hint,
        subs: c.subs.filter((s) => runsOn(s.surfaces, platform)).map((s) => surfaceSub(c, s, config)),
      }))
      .filter((c) => c.subs.length > 0);
    const buttons = [...this.#buttons.values()]
      // Buttons are pressed wherever their cards are posted, even when their twin is only typed in the console.
      .map((b) => ({ action: b.spec.action, command: b.command.name, sub: b.sub.name }));
    const messageActions = this.#messageActions
      .filter((m) => runsOn(m.surfaces, platform))
      .map((m) => ({ action: m.action, callbackId: m.callbackId, label: m.label, summary: m.summary }));
    return { platform, commands, buttons, messageActions };
  }
}

export function runsOn(surfaces: readonly Platform[] | undefined, platform: Platform): boolean {
  return surfaces === undefined || surfaces.includes(platform);
}

/** A sub-command by name or alias; '' names the command itself when it has no sub-commands. */
export function findSub(command: CommandSpec, name: string): SubcommandSpec | undefined {
  const wanted = name.toLowerCase();
  return command.subs.find((s) => s.name === wanted || s.aliases?.includes(wanted));
}

/** `/ticket escalate <N> <reason> [--to L3]`, from the declaration. */
export function usageOf(command: CommandSpec, sub: SubcommandSpec): string {
  const parts = [`/${command.name}${sub.name ? ` ${sub.name}` : ''}`];
  for (const a of sub.args ?? []) {
    if (a.positional) parts.push(a.required ? `<${placeholder(a)}>` : `[${placeholder(a)}]`);
    else if (a.kind === 'boolean') parts.push(`[--${a.name}]`);
    else parts.push(a.required ? `--${a.name} ${valueHint(a)}` : `[--${a.name} ${valueHint(a)}]`);
  }
  return parts.join(' ');
}

function placeholder(a: ArgSpec): string {
  return (a.placeholder ?? a.name).replace(/^<|>$/g, '');
}

function valueHint(a: ArgSpec): string {
  if (a.placeholder) return a.placeholder;
  if (a.choices) return a.choices.join('|');
  return a.kind === 'text' ? 'TEXT' : a.name.toUpperCase();
}

/** Choices a surface can offer for an argument: declared ones, or the configured tiers. */
export function choicesOf(a: ArgSpec, config: Config): Array<{ value: string; label: string }> | undefined {
  if (a.kind === 'tier') return config.tiers.map((t) => ({ value: t.id, label: `${t.id} ${t.name}` }));
  if (a.choices) return a.choices.map((c) => ({ value: c, label: c }));
  return undefined;
}

function surfaceSub(command: CommandSpec, sub: SubcommandSpec, config: Config): SurfaceSub {
  const args = (sub.args ?? []).map((a): SurfaceArg => {
    const choices = choicesOf(a, config);
    return {
      name: a.name,
      summary: a.summary,
      type: a.kind === 'boolean' ? 'boolean' : a.kind === 'number' || a.kind === 'integer' ? 'integer' : 'string',
      required: a.required === true,
      free: a.kind === 'text',
      ...(choices ? { choices } : {}),
      ...(a.kind === 'number' ? { min: 1 } : {}),
      ...(a.min !== undefined ? { min: a.min } : {}),
      ...(a.max !== undefined ? { max: a.max } : {}),
      ...(a.maxLength !== undefined ? { maxLength: a.maxLength } : {}),
    };
  });
  return { name: sub.name, summary: sub.summary, usage: usageOf(command, sub), args, hasForm: sub.form !== undefined };
}

/** A summary used inside a sentence: "Take a ticket" → "take a ticket". */
export function lowerFirst(s: string): string {
  // An acronym (SLA, KB) keeps its capitals.
  return /^[A-Z]{2}/.test(s) ? s : s.charAt(0).toLowerCase() + s.slice(1);
}
