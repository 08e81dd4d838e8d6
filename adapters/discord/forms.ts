/**
 * The core's neutral forms as Discord modals. A modal holds at most five text inputs and a custom id
 * of at most 100 characters: `tierdesk:form:<command>:<submit args, url-encoded>` carries what the
 * submission sends back, and each input's custom id is the argument it fills.
 */
import { ActionRowBuilder, ModalBuilder, TextInputBuilder, TextInputStyle } from 'discord.js';
import type { Form, FormField } from '../../src/ports.js';

const PREFIX = 'tierdesk:form:';
const MAX_CUSTOM_ID = 100;
const MAX_INPUTS = 5;
const MAX_LABEL = 45;
const MAX_TITLE = 45;
const MAX_PLACEHOLDER = 100;
const MAX_VALUE = 4000;

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
 * a custom id). A closed set of values is a text input that names them (Discord's modals take text).
 */
export function formModal(form: Form): ModalBuilder | undefined {
  const id = formId(form);
  if (id === undefined) return undefined;
  const rows = shownFields(form).map((f) => new ActionRowBuilder<TextInputBuilder>().addComponents(textInput(richer(form, f))));
  return new ModalBuilder()
    .setCustomId(id)
    .setTitle(cut(form.title, MAX_TITLE) || 'tierdesk')
    .addComponents(...rows);
}

function textInput(f: FormField): TextInputBuilder {
  const max = Math.max(1, Math.min(f.max, MAX_VALUE));
  const input = new TextInputBuilder()
    .setCustomId(f.name)
    .setLabel(cut(f.label, MAX_LABEL) || f.name)
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
 * say it ("Editor 2.1"); its submission splits them (`productAndVersion`).
 */
function richer(form: Form, f: FormField): FormField {
  const oneInput = form.kind === 'ticket.new' && f.name === 'product' && !form.fields.some((x) => x.name === 'version');
  return oneInput ? { ...f, label: 'Product and version (e.g. Editor 2.1)' } : f;
}

/** A new-ticket submission's "Editor 2.1" → product Editor, version 2.1 (only when no version was given apart). */
export function productAndVersion(command: string, args: Record<string, string>): Record<string, string> {
  if (command !== 'ticket' || args.sub !== 'new' || args.version !== undefined || !args.product) return args;
  const m = /^(.*?)\s+v?(\d[\w.-]*)$/.exec(args.product.trim());
  return m ? { ...args, product: m[1]!, version: m[2]! } : args;
}

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
