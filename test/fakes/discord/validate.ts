import { ApiError } from './api-error.js';

/** A JSON object as it arrived in a request body. */
export type Json = Record<string, unknown>;
type Path = (string | number)[];

const IS_COMPONENTS_V2 = 1 << 15;

/**
 * Discord's documented limits, checked the way Discord reports them: every problem at once, as
 * `400 { code: 50035, message: 'Invalid Form Body', errors: { embeds: { 0: { description: { _errors: [...] } } } } }`.
 * discord.js prints that map in the `DiscordAPIError` message, e.g. `embeds[0].description[BASE_TYPE_MAX_LENGTH]`.
 */
export class FormCheck {
  readonly #problems: { path: Path; code: string; message: string }[] = [];

  fail(path: Path, code: string, message: string): void {
    this.#problems.push({ path, code, message });
  }

  maxLength(path: Path, value: unknown, max: number): void {
    if (typeof value === 'string' && [...value].length > max) {
      this.fail(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
    }
  }

  between(path: Path, list: unknown, min: number, max: number): void {
    const length = Array.isArray(list) ? list.length : typeof list === 'string' ? [...list].length : 0;
    if (length < min || length > max) this.fail(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
  }

  /** Throws the Invalid Form Body error if anything failed. */
  done(): void {
    if (this.#problems.length === 0) return;
    const errors: Json = {};
    for (const { path, code, message } of this.#problems) {
      let node = errors;
      for (const key of path) node = (node[String(key)] ??= {}) as Json;
      ((node._errors ??= []) as unknown[]).push({ code, message });
    }
    throw new ApiError(400, 50035, 'Invalid Form Body', errors);
  }
}

const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** A message body (create, edit, interaction reply, webhook): lengths, counts, allowed_mentions. */
export function checkMessage(body: Json, check: FormCheck, at: Path = []): void {
  check.maxLength([...at, 'content'], body.content, 2000);
  const embeds = list(body.embeds);
  if (embeds.length > 10) check.between([...at, 'embeds'], embeds, 0, 10);
  embeds.forEach((embed, i) => checkEmbed(embed, check, [...at, 'embeds', i]));
  const total = embeds.reduce((sum, embed) => sum + embedChars(embed), 0);
  if (total > 6000) check.fail([...at, 'embeds'], 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
  checkComponents(body, check, at);
  const mentions = body.allowed_mentions as Json | undefined;
  const parse = list(mentions?.parse) as unknown[];
  for (const kind of ['users', 'roles'] as const) {
    if (parse.includes(kind) && list(mentions?.[kind]).length > 0) {
      check.fail(
        [...at, 'allowed_mentions'],
        'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
        `parse:["${kind}"] and ${kind}: [ids...] are mutually exclusive.`,
      );
    }
  }
}

function checkEmbed(embed: Json, check: FormCheck, at: Path): void {
  check.maxLength([...at, 'title'], embed.title, 256);
  check.maxLength([...at, 'description'], embed.description, 4096);
  check.maxLength([...at, 'footer', 'text'], (embed.footer as Json | undefined)?.text, 2048);
  check.maxLength([...at, 'author', 'name'], (embed.author as Json | undefined)?.name, 256);
  const fields = list(embed.fields);
  if (fields.length > 25) check.between([...at, 'fields'], fields, 0, 25);
  fields.forEach((field, i) => {
    check.maxLength([...at, 'fields', i, 'name'], field.name, 256);
    check.maxLength([...at, 'fields', i, 'value'], field.value, 1024);
  });
}

function embedChars(embed: Json): number {
  const parts = [embed.title, embed.description, (embed.footer as Json | undefined)?.text, (embed.author as Json | undefined)?.name];
  for (const field of list(embed.fields)) parts.push(field.name, field.value);
  return parts.reduce<number>((sum, part) => sum + [...text(part)].length, 0);
}

function checkComponents(body: Json, check: FormCheck, at: Path): void {
  const rows = list(body.components);
  if (Number(body.flags ?? 0) & IS_COMPONENTS_V2) return;
  if (rows.length > 5) check.between([...at, 'components'], rows, 0, 5);
  rows.forEach((row, r) => {
    const items = list(row.components);
    check.between([...at, 'components', r, 'components'], items, 1, 5);
    items.forEach((item, i) => {
      check.maxLength([...at, 'components', r, 'components', i, 'custom_id'], item.custom_id, 100);
      check.maxLength([...at, 'components', r, 'components', i, 'label'], item.label, 80);
      if (item.options !== undefined) check.between([...at, 'components', r, 'components', i, 'options'], item.options, 1, 25);
    });
  });
}

/** Discord refuses a message with nothing to show: `50006 Cannot send an empty message`. */
export function assertNotEmpty(body: Json, hasFiles: boolean): void {
  const hasContent = text(body.content).trim() !== '';
  const has = (key: string) => list(body[key]).length > 0;
  if (hasContent || hasFiles || has('embeds') || has('components') || has('sticker_ids') || body.poll) return;
  throw new ApiError(400, 50006, 'Cannot send an empty message');
}

/** A modal (interaction callback type 9): title, custom_id, 1–5 components, text input limits. */
export function checkModal(data: Json, check: FormCheck): void {
  check.between(['data', 'title'], data.title, 1, 45);
  check.between(['data', 'custom_id'], data.custom_id, 1, 100);
  const top = list(data.components);
  check.between(['data', 'components'], top, 1, 5);
  top.forEach((entry, r) => {
    // Legacy action rows hold the input in `components`, labels (type 18) in `component`.
    const inputs = entry.component ? [entry.component as Json] : list(entry.components);
    inputs.forEach((input, i) => {
      const path = ['data', 'components', r, ...(entry.component ? ['component'] : ['components', i])];
      check.maxLength([...path, 'custom_id'], input.custom_id, 100);
      if (input.type === 3) return checkModalSelect(input, path, check, entry.component !== undefined);
      check.maxLength([...path, 'label'], input.label, 45);
      check.maxLength([...path, 'placeholder'], input.placeholder, 100);
      check.maxLength([...path, 'value'], input.value, 4000);
    });
    check.maxLength(['data', 'components', r, 'label'], entry.label, 45);
    if (entry.type === 18) check.between(['data', 'components', r, 'label'], entry.label, 1, 45);
  });
}

/** A string select in a modal: only inside a Label (type 18); 1–25 options of 1–100 characters; at most one default per chosen value. */
function checkModalSelect(select: Json, path: Path, check: FormCheck, inLabel: boolean): void {
  if (!inLabel) check.fail(path, 'COMPONENT_TYPE_INVALID', 'A select menu in a modal must be inside a label');
  const options = list(select.options);
  check.between([...path, 'options'], options, 1, 25);
  check.maxLength([...path, 'placeholder'], select.placeholder, 150);
  options.forEach((o, i) => {
    check.between([...path, 'options', i, 'label'], o.label, 1, 100);
    check.between([...path, 'options', i, 'value'], o.value, 1, 100);
  });
  const max = typeof select.max_values === 'number' ? select.max_values : 1;
  if (options.filter((o) => o.default === true).length > max)
    check.fail([...path, 'options'], 'SELECT_COMPONENT_TOO_MANY_DEFAULTS', 'Too many default options');
}

/** Application commands (bulk overwrite): slash names 1–32 lower case, description 1–100, ≤ 25 options. */
export function checkCommands(commands: Json[], check: FormCheck): void {
  commands.forEach((command, i) => {
    const name = text(command.name);
    const chatInput = (command.type ?? 1) === 1;
    // Slash command names are lower-case words; context-menu names (types 2, 3) may hold spaces and capitals.
    const valid = chatInput ? validName(name) : name.length >= 1 && name.length <= 32;
    if (!valid) check.fail([i, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    if (chatInput) check.between([i, 'description'], command.description, 1, 100);
    else if (text(command.description) !== '')
      check.fail([i, 'description'], 'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION', 'Context menu commands cannot have a description');
    if (!chatInput && list(command.options).length > 0)
      check.fail([i, 'options'], 'APPLICATION_COMMAND_CONTEXT_MENU_OPTIONS', 'Context menu commands cannot have options');
    if (chatInput) checkOptions(list(command.options), check, [i, 'options'], 0);
  });
}

const SUBCOMMAND = 1;
const SUBCOMMAND_GROUP = 2;

function validName(name: string): boolean {
  return /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u.test(name) && name === name.toLowerCase();
}

/**
 * A level of options, as Discord checks it: ≤ 25; lower-case names of 1–32, unique; descriptions of
 * 1–100; sub-commands (groups) not mixed with plain options, nested at most group → sub-command;
 * required options before optional ones; ≤ 25 choices of names 1–100 and string values ≤ 100.
 */
function checkOptions(options: Json[], check: FormCheck, at: Path, depth: number): void {
  if (options.length > 25) check.between(at, options, 0, 25);
  const kinds = options.map((o) => Number(o.type));
  const subs = kinds.filter((k) => k === SUBCOMMAND || k === SUBCOMMAND_GROUP).length;
  if (subs > 0 && subs < options.length)
    check.fail(at, 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Sub-commands and sub-command groups cannot be mixed with other options');
  const names = new Set<string>();
  let optionalSeen = false;
  options.forEach((o, j) => {
    const path = [...at, j];
    const name = text(o.name);
    if (!validName(name)) check.fail([...path, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    if (names.has(name)) check.fail([...path, 'name'], 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', 'Option names must be unique');
    names.add(name);
    check.between([...path, 'description'], o.description, 1, 100);
    const type = Number(o.type);
    if (type === SUBCOMMAND_GROUP && depth > 0)
      check.fail([...path, 'type'], 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Sub-command groups nest only at the top level');
    if (type === SUBCOMMAND && depth > 1)
      check.fail([...path, 'type'], 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Sub-commands nest at most inside a group');
    if (type === SUBCOMMAND || type === SUBCOMMAND_GROUP) {
      checkOptions(list(o.options), check, [...path, 'options'], depth + 1);
      return;
    }
    if (o.required === true && optionalSeen)
      check.fail(
        [...path, 'required'],
        'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
        'Required options must be placed before non-required options',
      );
    if (o.required !== true) optionalSeen = true;
    const choices = list(o.choices);
    if (choices.length > 25) check.between([...path, 'choices'], choices, 0, 25);
    choices.forEach((c, k) => {
      check.between([...path, 'choices', k, 'name'], c.name, 1, 100);
      check.maxLength([...path, 'choices', k, 'value'], c.value, 100);
    });
  });
}
