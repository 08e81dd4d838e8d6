/**
 * The core's neutral forms (`Reply.form`) as Slack modals, and their submissions back as the
 * arguments of the command the form submits. Every form is rendered from its fields; the
 * well-known new-ticket form (`ticket.new`) keeps its richer labels, its category select and its
 * version input. Block ids are the field names, which are the command's argument names, so the
 * core's field errors land next to their field.
 */
import type { types } from '@slack/bolt';
import type { Form, FormField } from '../../src/ports.js';

type Block = types.KnownBlock;
type View = types.ModalView;

/** Every tierdesk modal's callback id starts so; the form's kind follows (`tierdesk_form:ticket.new`). */
export const FORM_VIEW = 'tierdesk_form:';

/** Slack's limits: a text input holds 3,000 characters, private metadata 3,000, a title or button 24. */
const INPUT_MAX = 3000;
const METADATA_MAX = 3000;

/** What a modal carries to its submission (`private_metadata`). */
export interface FormMeta {
  /** Where the answer goes (the channel the form was opened from), or null: by DM. */
  channel: string | null;
  command: string;
  args: Record<string, string>;
  fields: string[];
  /** Fields whose value was too long to fill in: sent only when written in (empty keeps what stands). */
  keep?: string[];
  /** Inputs the richer rendering adds to the core's fields (sent when filled in). */
  extra?: string[];
  /** Fields shown as a select: one left unselected has no value to send (a text input emptied sends ''). */
  selects?: string[];
}

export interface FormLook {
  channel?: string | undefined;
  categories?: string[] | undefined;
  defaults?: { urgency: string; impact: string } | undefined;
}

const plain = (text: string): types.PlainTextElement => ({ type: 'plain_text', text, emoji: true });

/** The labels and hints the new-ticket form has always had in Slack. */
const NEW_TICKET_LOOK: Record<string, { label: string; hint?: string; options?: Record<string, string> }> = {
  title: { label: 'Title', hint: 'One line: what is wrong?' },
  description: { label: 'Description' },
  urgency: { label: 'How urgent is it for you?' },
  impact: { label: 'How many people does it affect?', options: { high: 'Many people or a whole team', medium: 'A few people', low: 'Just me' } },
  product: { label: 'Product' },
};

/** A form as a modal, or undefined when Slack cannot carry it (its metadata would not fit). */
export function formView(form: Form, look: FormLook = {}): View | undefined {
  const rich = form.kind === 'ticket.new';
  const keep: string[] = [];
  const blocks: Block[] = [];
  for (const field of form.fields) {
    const shown = rich ? withLook(field, look) : field;
    if (shown.value !== undefined && !shown.choices && shown.value.length > Math.min(shown.max, INPUT_MAX)) keep.push(field.name);
    blocks.push(input(shown, keep.includes(field.name)));
  }
  const extra = rich ? newTicketExtras(form, look, blocks) : [];
  const selects = form.fields.filter((f) => f.choices && f.choices.length > 0).map((f) => f.name);
  const meta: FormMeta = {
    channel: look.channel ?? null,
    command: form.submit.command,
    args: form.submit.args,
    fields: form.fields.map((f) => f.name),
    ...(keep.length > 0 ? { keep } : {}),
    ...(extra.length > 0 ? { extra } : {}),
    ...(selects.length > 0 ? { selects } : {}),
  };
  const metadata = JSON.stringify(meta);
  if (metadata.length > METADATA_MAX) return undefined;
  return {
    type: 'modal',
    callback_id: `${FORM_VIEW}${form.kind}`.slice(0, 255),
    title: plain(cut(form.title, 24)),
    submit: plain(cut(form.submitLabel ?? 'Send', 24)),
    close: plain('Cancel'),
    private_metadata: metadata,
    blocks,
  };
}

function withLook(field: FormField, look: FormLook): FormField {
  const spec = NEW_TICKET_LOOK[field.name];
  const preset = field.name === 'urgency' ? look.defaults?.urgency : field.name === 'impact' ? look.defaults?.impact : undefined;
  const choices = field.choices?.map((c) => ({ value: c.value, label: spec?.options?.[c.value] ?? capitalised(c.label) }));
  return {
    ...field,
    ...(spec ? { label: spec.label } : {}),
    ...(spec?.hint ? { placeholder: spec.hint } : {}),
    ...(choices ? { choices } : {}),
    ...(field.value === undefined && preset !== undefined ? { value: preset } : {}),
  };
}

/** The new ticket's category (a select of the configured ones, else words) and version, after its fields. */
function newTicketExtras(form: Form, look: FormLook, blocks: Block[]): string[] {
  const has = (n: string) => form.fields.some((f) => f.name === n);
  const extra: string[] = [];
  if (!has('category')) {
    const choices = look.categories?.slice(0, 100).map((c) => ({ value: c, label: c }));
    const category: FormField = { name: 'category', label: 'Category', required: false, max: 100, ...(choices?.length ? { choices } : {}) };
    const at = blocks.findIndex((b) => b.block_id === 'product');
    blocks.splice(at < 0 ? blocks.length : at, 0, input(category, false));
    extra.push('category');
  }
  if (!has('version')) {
    blocks.push(input({ name: 'version', label: 'Version', required: false, max: 100 }, false));
    extra.push('version');
  }
  return extra;
}

/** One input block: a select for a closed set of values, else a text input. */
function input(field: FormField, kept: boolean): types.InputBlock {
  const base = { type: 'input' as const, block_id: field.name, label: plain(cut(field.label, 2000)), optional: !field.required };
  if (field.choices && field.choices.length > 0) {
    const options = field.choices.slice(0, 100).map((c) => ({ text: plain(cut(c.label, 75)), value: c.value.slice(0, 150) }));
    const initial = options.find((o) => o.value === field.value);
    return { ...base, element: { type: 'static_select', action_id: 'value', options, ...(initial ? { initial_option: initial } : {}) } };
  }
  const max = Math.min(field.max, INPUT_MAX);
  const hint = kept ? 'Too long to show here: leave it empty to keep it as it is' : field.placeholder;
  return {
    ...base,
    ...(kept ? { optional: true } : {}),
    ...(hint ? { hint: plain(cut(hint, 2000)) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: 'value',
      multiline: field.long === true,
      max_length: max,
      ...(field.value && !kept ? { initial_value: field.value } : {}),
    },
  };
}

/**
 * The command a submitted form runs: its fixed arguments and each field's value by name (an emptied
 * field as '', except one too long to have been filled in, which then keeps what stands, and an
 * unselected select, which has no value).
 */
export function submittedArgs(meta: FormMeta, values: Record<string, string>): Record<string, string> {
  const args: Record<string, string> = { ...meta.args };
  for (const name of meta.fields) {
    const value = values[name];
    if (value === undefined && (meta.keep?.includes(name) || meta.selects?.includes(name))) continue;
    args[name] = value ?? '';
  }
  for (const name of meta.extra ?? []) if (values[name] !== undefined) args[name] = values[name]!;
  return args;
}

/** The form a submission belongs to, from its private metadata; undefined when it is not one of ours. */
export function formMeta(text: string | undefined): FormMeta | undefined {
  try {
    const m = JSON.parse(text ?? '') as Partial<FormMeta> | null;
    if (!m || typeof m.command !== 'string' || !Array.isArray(m.fields) || typeof m.args !== 'object' || m.args === null) return undefined;
    return {
      channel: typeof m.channel === 'string' ? m.channel : null,
      command: m.command,
      args: m.args,
      fields: m.fields,
      keep: m.keep ?? [],
      extra: m.extra ?? [],
      selects: m.selects ?? [],
    };
  } catch {
    return undefined;
  }
}

interface ViewBlock {
  type?: string;
  block_id?: string;
  element?: { multiline?: boolean };
}

/**
 * A form's field errors for `response_action: errors`: keyed by the view's input blocks, 150
 * characters each (Slack's limit). An error about an argument the form does not show goes next to
 * its first long field, else its first field, so it is never lost.
 */
export function formErrors(fieldErrors: Record<string, string>, view: { blocks?: readonly ViewBlock[] }): Record<string, string> {
  const inputs = (view.blocks ?? []).filter((b) => b.type === 'input' && typeof b.block_id === 'string');
  const ids = inputs.map((b) => b.block_id!);
  const fallback = inputs.find((b) => b.element?.multiline)?.block_id ?? ids[0];
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(fieldErrors)) {
    const block = ids.includes(field) ? field : fallback;
    if (block === undefined) continue;
    out[block] = (out[block] ? `${out[block]} ${message}` : message).slice(0, 150);
  }
  return out;
}

/** Read the values a submitted view carries, by block id (an empty input is left out). */
export function viewValues(view: {
  state?: { values?: Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null }>> };
}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [block, actions] of Object.entries(view.state?.values ?? {})) {
    const v = actions.value;
    const value = v?.selected_option?.value ?? v?.value ?? undefined;
    if (value !== undefined && value !== null && value !== '') out[block] = value;
  }
  return out;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function capitalised(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
