import type { RecordedCall } from '../../fakes/slack-api/index.js';
import type { SlackDesk } from './support.js';

/**
 * What people do in Slack, as Slack sends it: pressing a button that is really on a card (the
 * payload carries the button as rendered), and submitting a modal that was really opened (the
 * state is built from the view's own input blocks, so a renamed block id breaks the test).
 */

type Json = Record<string, unknown>;

interface ButtonElement {
  type: 'button';
  action_id: string;
  value?: string;
  text: Json;
  style?: string;
}

/** The buttons on a message stored in the fake workspace, by action id. */
export function buttonsOn(t: SlackDesk, channel: string, ts: string): Map<string, { block: string; element: ButtonElement }> {
  const message = t.slack.web.workspace.findMessage(channel, ts);
  const out = new Map<string, { block: string; element: ButtonElement }>();
  const blocks = (message.blocks ?? []) as Array<{ type: string; block_id?: string; elements?: ButtonElement[] }>;
  blocks.forEach((block, i) => {
    if (block.type !== 'actions') return;
    for (const element of block.elements ?? []) out.set(element.action_id, { block: block.block_id ?? `actions-${i}`, element });
  });
  return out;
}

/** `user` presses the `tierdesk:<action>` button on the message at (channel, ts): a `block_actions` payload. */
export async function pressButton(t: SlackDesk, user: string, message: { channel: string; ts: string }, action: string) {
  const button = buttonsOn(t, message.channel, message.ts).get(`tierdesk:${action}`);
  if (!button) throw new Error(`no tierdesk:${action} button on ${message.channel}/${message.ts}`);
  const stored = t.slack.web.workspace.findMessage(message.channel, message.ts);
  const { channel: _channel, ...asSlackShowsIt } = stored;
  const sent = await t.sender.interaction({
    type: 'block_actions',
    user,
    container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
    channel: message.channel,
    message: asSlackShowsIt,
    state: { values: {} },
    actions: [{ ...button.element, block_id: button.block, action_ts: t.slack.web.workspace.nextTs() }],
  });
  return { ...sent, responseUrl: sent.responseUrl ?? '', triggerId: sent.triggerId ?? '' };
}

/** The view a `views.open` call opened, as the fake stored it (with its id). */
export function openedView(call: RecordedCall): Json & { id: string; callback_id: string; private_metadata: string; blocks: Json[] } {
  const response = call.response as { view?: Json & { id: string; callback_id: string; private_metadata: string; blocks: Json[] } };
  if (!response.view) throw new Error(`views.open failed: ${JSON.stringify(call.response)}`);
  return response.view;
}

/** Waits for the `views.open` made with `triggerId` and returns the view it opened. */
export async function viewOpenedWith(t: SlackDesk, triggerId: string) {
  return openedView(await t.slack.web.waitForCall('views.open', (c) => c.args.trigger_id === triggerId));
}

/** What a person enters in a modal, by block id: text for text inputs, an option value for selects. */
export type FormInput = Record<string, string>;

interface InputBlock {
  type: string;
  block_id: string;
  element: {
    type: string;
    action_id: string;
    initial_value?: string;
    options?: Array<{ text: Json; value: string }>;
    initial_option?: { text: Json; value: string };
  };
}

/**
 * `view.state.values` as Slack sends it: every input block, keyed by block id then action id;
 * unfilled text inputs are `null` and unselected selects `null`, as in a real submission.
 * Initial values count as entered unless overridden.
 */
export function stateValues(view: { blocks: Json[] }, input: FormInput): Record<string, Record<string, Json>> {
  const values: Record<string, Record<string, Json>> = {};
  for (const raw of view.blocks) {
    const block = raw as unknown as InputBlock;
    if (block.type !== 'input') continue;
    const { element } = block;
    const given = block.block_id in input ? input[block.block_id] : undefined;
    if (element.type === 'static_select') {
      const wanted = given ?? element.initial_option?.value;
      const option = element.options?.find((o) => o.value === wanted);
      if (wanted !== undefined && !option) throw new Error(`no option ${wanted} in ${block.block_id}`);
      values[block.block_id] = { [element.action_id]: { type: 'static_select', selected_option: option ?? null } };
    } else {
      const value = given ?? element.initial_value ?? null;
      values[block.block_id] = { [element.action_id]: { type: element.type, value: value === '' ? null : value } };
    }
  }
  for (const id of Object.keys(input)) if (!(id in values)) throw new Error(`the modal has no input block ${id}`);
  return values;
}

/** `user` submits an opened modal with `input`: a `view_submission`. Bolt's ack comes back in the HTTP answer. */
export function submitView(t: SlackDesk, user: string, view: { id: string; blocks: Json[] }, input: FormInput) {
  return t.sender.interaction({ type: 'view_submission', user, view: { id: view.id, state: { values: stateValues(view, input) } } });
}

/** A button press that needs words (reply, escalate, resolve): opens its modal, submits `input`. */
export async function actWithText(t: SlackDesk, user: string, card: { channel: string; ts: string }, action: string, input: FormInput) {
  const pressed = await pressButton(t, user, card, action);
  const view = await viewOpenedWith(t, pressed.triggerId);
  const submitted = await submitView(t, user, view, input);
  const handled = await t.handled(view.id);
  await t.desk.dispatcher.drain();
  return { view, submitted, handled };
}
