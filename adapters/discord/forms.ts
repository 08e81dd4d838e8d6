/**
 * The core's neutral forms as Discord modals. A modal holds at most five labelled inputs and a custom
 * id of at most 100 characters: `tierdesk:form:<command>:<submit args, url-encoded>` carries what the
 * submission sends back, and each input's custom id is the argument it fills. A field with a closed
 * set of at most 25 values is a string select (a Label holding a StringSelectMenu, which discord.js
 * 14.28 builds); more values than a select takes are a text input that names them.
 */
import { LabelBuilder, ModalBuilder, StringSelectMenuBuilder, TextInputBuilder, TextInputStyle } from 'discord.js';
import type { Form, FormField } from '../../src/ports.js';

const PREFIX = 'tierdesk:form:';
const MAX_CUSTOM_ID = 100;
const MAX_INPUTS = 5;
const MAX_LABEL = 45;
const MAX_TITLE = 45;
const MAX_PLACEHOLDER = 100;
const MAX_VALUE = 4000;
/** A string select's limits: 25 options, each label and value 100 characters. */
const MAX_OPTIONS = 25;
const MAX_OPTION = 100;

/** The custom id of a form's modal, or undefined when its submit arguments do not fit in 100 characters. */
export function formId(form: Form): string | undefined {
  const id = `${PREFIX}${encodeURIComponent(form.submit.command)}:${new URLSearchParams(form.submit.args).toString()}`;
  return id.length <= MAX_CUSTOM_ID ? id : undefined;
}

/** The command and arguments a modal's custom id carries, or undefined when it is not a tierdesk form. */
export function parseFormId(customId: string): { command: string; args: Record<string, string> } | undefined {
  if (!customId.startsWith(PREFIX)) return undefined;
  const rest = customId.slice(PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon <= 0) return undefined;
  const command = decodeURIComponent(rest.slice(0, colon));
  return { command, args: Object.fromEntries(new URLSearchParams(rest.slice(colon + 1))) };
}

/** The fields a modal shows: Discord takes five, required ones first. */
export function shownFields(form: Form): FormField[] {
  const fields = [...form.fields.filter((f) => f.required), ...form.fields.filter((f) => !f.required)].slice(0, MAX_INPUTS);
  return form.fields.filter((f) => fields.includes(f));
}

/**
 * The modal for a form, or undefined when it cannot be shown (its submit arguments are too long for
 * a custom id). Each field is a Label holding a select (a closed set Discord can list) or a text input.
 */
export function formModal(form: Form): ModalBuilder | undefined {
  const id = formId(form);
  if (id === undefined) return undefined;
  const labels = shownFields(form).map((f) => labelled(richer(form, f)));
  return new ModalBuilder()
    .setCustomId(id)
    .setTitle(cut(form.title, MAX_TITLE) || 'tierdesk')
    .addLabelComponents(...labels);
}

/** Whether a field is shown as a select: a closed set of values that fits in one. */
export function isSelect(f: FormField): f is FormField & { choices: NonNullable<FormField['choices']> } {
  return f.choices !== undefined && f.choices.length > 0 && f.choices.length <= MAX_OPTIONS && f.choices.every((c) => c.value.length <= MAX_OPTION);
}

function labelled(f: FormField): LabelBuilder {
  const label = new LabelBuilder().setLabel(cut(f.label, MAX_LABEL) || f.name);
  return isSelect(f) ? label.setStringSelectMenuComponent(select(f)) : label.setTextInputComponent(textInput(f));
}

/** One value of a closed set; the field's value, if any, is chosen already. Optional: none may be chosen. */
function select(f: FormField & { choices: NonNullable<FormField['choices']> }): StringSelectMenuBuilder {
  const menu = new StringSelectMenuBuilder()
    .setCustomId(f.name)
    .setRequired(f.required)
    .setMinValues(f.required ? 1 : 0)
    .setMaxValues(1)
    .addOptions(
      f.choices.map((c) => ({ label: cut(c.label, MAX_OPTION) || c.value, value: c.value, ...(c.value === f.value ? { default: true } : {}) })),
    );
  if (f.placeholder) menu.setPlaceholder(cut(f.placeholder, MAX_PLACEHOLDER));
  return menu;
}

function textInput(f: FormField): TextInputBuilder {
  const max = Math.max(1, Math.min(f.max, MAX_VALUE));
  const input = new TextInputBuilder()
    .setCustomId(f.name)
    .setStyle(f.long ? TextInputStyle.Paragraph : TextInputStyle.Short)
    .setMaxLength(max)
    .setRequired(f.required);
  const placeholder = f.choices ? f.choices.map((c) => c.value).join(', ') : f.placeholder;
  if (placeholder) input.setPlaceholder(cut(placeholder, MAX_PLACEHOLDER));
  if (f.value) input.setValue(f.value.slice(0, max));
  return input;
}

/**
 * A submitted value as the command takes it: a closed set's value matched whatever its case or
 * label (`High` → `high`, `L2 Second level` → `L2`); anything else exactly as written.
 */
export function fieldValue(typed: string, choices?: FormField['choices']): string {
  if (!choices) return typed;
  const t = typed.trim().toLowerCase();
  const found = choices.find((c) => c.value.toLowerCase() === t || c.label.toLowerCase() === t);
  return found ? found.value : typed.trim();
}

/**
 * The new-ticket form (`ticket.new`) asks for the product and its version in one input, as people
 * say it ("Editor 2.1"), when the version's own input did not fit (a select of the configured ones
 * lists them so already); the core's intake splits them (`splitProductVersion`, src/config/products.ts):
 * the adapter submits the words as typed or chosen.
 */
function richer(form: Form, f: FormField): FormField {
  const oneInput = form.kind === 'ticket.new' && f.name === 'product' && !form.fields.some((x) => x.name === 'version');
  return oneInput ? { ...f, label: isSelect(f) ? 'Product and version' : 'Product and version (e.g. Editor 2.1)' } : f;
}

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
