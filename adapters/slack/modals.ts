/**
 * The modals tierdesk opens in Slack: a new ticket, the text an action needs (reason, reply), a
 * knowledge-base article (`/kb add`, `/kb edit ID`) and a peer question (`/ask`).
 */
import type { types } from '@slack/bolt';

type Block = types.KnownBlock;
type View = types.ModalView;

export const NEW_TICKET_VIEW = 'tierdesk_new_ticket';
export const ACTION_TEXT_VIEW = 'tierdesk_action_text';
export const KB_ARTICLE_VIEW = 'tierdesk_kb_article';
export const ASK_VIEW = 'tierdesk_ask';

const plain = (text: string): types.PlainTextElement => ({ type: 'plain_text', text, emoji: true });

function textInput(
  id: string,
  label: string,
  opts: { multiline?: boolean; max: number; optional?: boolean; initial?: string; hint?: string },
): types.InputBlock {
  return {
    type: 'input',
    block_id: id,
    label: plain(label),
    optional: opts.optional ?? false,
    ...(opts.hint ? { hint: plain(opts.hint) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: 'value',
      multiline: opts.multiline ?? false,
      max_length: opts.max,
      ...(opts.initial ? { initial_value: opts.initial.slice(0, opts.max) } : {}),
    },
  };
}

function select(id: string, label: string, options: Array<[string, string]>, optional: boolean, initial?: string): types.InputBlock {
  const opts = options.map(([value, text]) => ({ text: plain(text), value }));
  const init = opts.find((o) => o.value === initial);
  return {
    type: 'input',
    block_id: id,
    label: plain(label),
    optional,
    element: { type: 'static_select', action_id: 'value', options: opts, ...(init ? { initial_option: init } : {}) },
  };
}

const LEVELS: Array<[string, string]> = [
  ['high', 'High'],
  ['medium', 'Medium'],
  ['low', 'Low'],
];

export interface NewTicketDefaults {
  title?: string;
  description?: string;
  categories?: string[];
  urgency: string;
  impact: string;
  /** Where to answer after submission (the channel the command came from). */
  channel?: string;
  /**
   * What opened the form, when not `/ticket`: the "Create ticket" message shortcut, whose tickets
   * open at once (never deflected: the message was already someone's question).
   */
  from?: 'shortcut';
}

/** The intake form. Block ids are the field names the core reports errors for. */
export function newTicketModal(d: NewTicketDefaults): View {
  const blocks: Block[] = [
    textInput('title', 'Title', { max: 200, ...(d.title ? { initial: d.title } : {}), hint: 'One line: what is wrong?' }),
    textInput('description', 'Description', { multiline: true, max: 3000, optional: true, ...(d.description ? { initial: d.description } : {}) }),
    select('urgency', 'How urgent is it for you?', LEVELS, false, d.urgency),
    select(
      'impact',
      'How many people does it affect?',
      [
        ['high', 'Many people or a whole team'],
        ['medium', 'A few people'],
        ['low', 'Just me'],
      ],
      false,
      d.impact,
    ),
  ];
  if (d.categories && d.categories.length > 0)
    blocks.push(
      select(
        'category',
        'Category',
        d.categories.slice(0, 100).map((c) => [c, c]),
        true,
      ),
    );
  else blocks.push(textInput('category', 'Category', { max: 100, optional: true }));
  blocks.push(textInput('product', 'Product', { max: 100, optional: true }), textInput('version', 'Version', { max: 100, optional: true }));
  return {
    type: 'modal',
    callback_id: NEW_TICKET_VIEW,
    title: plain('New ticket'),
    submit: plain('Open ticket'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify({ channel: d.channel ?? null, ...(d.from ? { from: d.from } : {}) }),
    blocks,
  };
}

const ACTION_TEXT: Record<string, { title: string; label: string; submit: string }> = {
  escalate: { title: 'Escalate', label: 'Why does it need the next tier?', submit: 'Escalate' },
  resolve: { title: 'Resolve', label: 'Resolution (sent to the requester)', submit: 'Resolve' },
  reply: { title: 'Reply to requester', label: 'Your reply (the requester sees it)', submit: 'Send reply' },
  wait: { title: 'Ask the requester', label: 'Question for the requester (optional)', submit: 'Wait for answer' },
};

/** A one-field form for an action that needs words: an escalation reason, a resolution, a public reply. */
export function actionTextModal(action: string, ticket: string, tiers?: Array<[string, string]>): View {
  const spec = ACTION_TEXT[action] ?? { title: action, label: 'Text', submit: 'OK' };
  const blocks: Block[] = [textInput('text', spec.label, { multiline: true, max: 3000, optional: action === 'wait' })];
  if (action === 'escalate' && tiers && tiers.length > 0) blocks.push(select('to', 'To tier (default: the next one)', tiers, true));
  return {
    type: 'modal',
    callback_id: ACTION_TEXT_VIEW,
    title: plain(`${spec.title} #${ticket}`.slice(0, 24)),
    submit: plain(spec.submit),
    close: plain('Cancel'),
    private_metadata: JSON.stringify({ action, ticket }),
    blocks,
  };
}

export interface KbArticleForm {
  sub: 'add' | 'edit';
  /** The article edited. */
  id?: string;
  title?: string;
  body?: string;
  tags?: string;
  /** Where to answer after submission (the channel the command came from). */
  channel?: string;
}

/** A knowledge-base article: title, Markdown body, tags. Block ids are the `/kb` argument names. */
export function kbArticleModal(f: KbArticleForm): View {
  const editing = f.sub === 'edit';
  const filled = (['title', 'body', 'tags'] as const).filter((k) => f[k] !== undefined);
  const keep = 'Leave empty to keep what the article says now';
  return {
    type: 'modal',
    callback_id: KB_ARTICLE_VIEW,
    title: plain((editing ? `Edit article ${f.id ?? ''}` : 'New article').slice(0, 24)),
    submit: plain(editing ? 'Save' : 'Add article'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify({ sub: f.sub, id: f.id ?? null, channel: f.channel ?? null, ...(editing ? { filled } : {}) }),
    blocks: [
      textInput('title', 'Title', {
        max: 200,
        optional: editing && f.title === undefined,
        ...(f.title ? { initial: f.title } : {}),
        hint: editing && f.title === undefined ? keep : 'What a person searching would type',
      }),
      textInput('body', 'Article (Markdown)', {
        multiline: true,
        max: 3000,
        optional: editing && f.body === undefined,
        ...(f.body ? { initial: f.body } : {}),
        ...(editing && f.body === undefined
          ? { hint: `${keep} (a body longer than 3,000 characters is changed with /kb edit ${f.id ?? 'ID'} --body)` }
          : {}),
      }),
      textInput('tags', 'Tags', {
        max: 300,
        optional: true,
        ...(f.tags ? { initial: f.tags } : {}),
        hint: editing && f.tags === undefined ? keep : 'Separated by commas, like vpn, wifi',
      }),
    ],
  };
}

/** A question for peers (`/ask` without text): a one-line title and the details. */
export function askModal(d: { channel?: string; title?: string } = {}): View {
  return {
    type: 'modal',
    callback_id: ASK_VIEW,
    title: plain('Ask the community'),
    submit: plain('Post question'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify({ channel: d.channel ?? null }),
    blocks: [
      textInput('title', 'Your question', { max: 200, ...(d.title ? { initial: d.title } : {}), hint: 'One line: what do you want to know?' }),
      textInput('text', 'Details', { multiline: true, max: 3000, optional: true, hint: 'What you tried, what you expected, error messages' }),
    ],
  };
}

/** The block ids of a view's input blocks (where field errors can be shown). */
export function inputBlocks(view: { blocks?: ReadonlyArray<{ type?: string; block_id?: string }> }): string[] {
  return (view.blocks ?? []).filter((b) => b.type === 'input' && typeof b.block_id === 'string').map((b) => b.block_id!);
}

/**
 * A form's field errors for `response_action: errors`: keyed by the view's input blocks, 150
 * characters each (Slack's limit). An error about a field the form does not have goes next to its
 * first field, so it is never lost.
 */
export function formErrors(fieldErrors: Record<string, string>, blocks: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(fieldErrors)) {
    const block = blocks.includes(field) ? field : blocks[0];
    if (block === undefined) continue;
    out[block] = (out[block] ? `${out[block]} ${message}` : message).slice(0, 150);
  }
  return out;
}

/** Read the values a submitted view carries, by block id. */
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
