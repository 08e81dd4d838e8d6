import type { APIEmbed, APIInteraction, APIMessage, APIUser } from 'discord.js';
import {
  buttonPress,
  chatInputCommand,
  modalLayout,
  modalSubmit,
  type InteractionRecord,
  type OptionValue,
  type RecordedCall,
} from '../../fakes/discord/index.js';
import { posted, requester, support, type DiscordDesk, type Handled } from './support.js';

/**
 * What people do in Discord, as Discord sends it: slash commands, buttons that are really on a
 * message (the custom id is read from the stored message's components), modals that were really
 * shown (a submission echoes the modal's own inputs), messages in channels and threads.
 * Every helper that reaches the core waits until the core has handled the event, its answer is
 * shown (a reply, or a deferred reply once edited) and the outbox was drained: no sleeps.
 */

type Json = Record<string, unknown>;
export const CALLBACK = 'POST /interactions/:interaction/:token/callback';
export const EDIT_REPLY = 'PATCH /webhooks/:app/:token/messages/:message';
export const POST_MESSAGE = 'POST /channels/:channel/messages';
export const EDIT_MESSAGE = 'PATCH /channels/:channel/messages/:message';

/** A modal as the bot showed it (the `data` of a type 9 callback). */
export interface ShownModal {
  custom_id: string;
  title: string;
  components: Json[];
  /** The message the button that opened it is on. */
  message?: APIMessage;
}

/** An interaction the core answered: its record in the fake, the core's reply, and what the person saw. */
export interface Answered {
  payload: APIInteraction;
  record: InteractionRecord;
  handled: Handled;
  /** The answer as the person sees it (the reply, or the deferred reply once edited). */
  text: string;
  /** Only the person who interacted sees it (flag 64). */
  ephemeral: boolean;
  /** 4: answered at once; 5: deferred first, then the deferred reply was edited. */
  type: number;
}

const keyOf = (payload: APIInteraction) => `discord:interaction:${payload.id}`;

/**
 * Waits until the interaction is answered as Discord shows it: a reply (callback type 4), or a
 * deferred reply (type 5) and then its edit. Either is fine by Discord as long as the first
 * callback comes within 3 s; which one the adapter chose is in `type`.
 */
export async function answerOf(t: DiscordDesk, payload: APIInteraction, record: InteractionRecord): Promise<Omit<Answered, 'handled'>> {
  const callback = await t.discord.rest.waitForCall(CALLBACK, (c) => c.params.interaction === payload.id && c.status === 204);
  const type = Number((callback.body as Json).type);
  if (type === 5) await t.discord.rest.waitForCall(EDIT_REPLY, (c) => c.params.token === payload.token && c.params.message === '@original');
  else if (type !== 4) throw new Error(`interaction ${payload.id} was answered with callback type ${type}, not a message`);
  const original = record.original;
  // A card answer is an embed: read it as text (title, description, fields) like the content.
  const embeds = (
    (original as { embeds?: Array<{ title?: string; description?: string; fields?: Array<{ name: string; value: string }> }> } | undefined)?.embeds ??
    []
  ).map((e) => [e.title, e.description, ...(e.fields ?? []).map((f) => `${f.name}: ${f.value}`)].filter(Boolean).join('\n'));
  const text = String(original?.content ?? '') || embeds.join('\n');
  return { payload, record, type, text, ephemeral: (Number(original?.flags ?? 0) & 64) !== 0 };
}

/** Waits for the core to handle the interaction and for its answer to be shown; drains the outbox. */
export async function answered(t: DiscordDesk, payload: APIInteraction, record: InteractionRecord): Promise<Answered> {
  const handled = await t.handled(keyOf(payload));
  const answer = await answerOf(t, payload, record);
  await t.desk.dispatcher.drain();
  return { ...answer, handled };
}

/** Waits for the type 9 callback that showed a modal. */
export async function modalShown(t: DiscordDesk, payload: APIInteraction, message?: APIMessage): Promise<ShownModal> {
  const call = await t.discord.rest.waitForCall(CALLBACK, (c) => c.params.interaction === payload.id);
  const body = call.body as { type: number; data: ShownModal };
  if (body.type !== 9) throw new Error(`expected a modal (callback type 9), got type ${body.type}`);
  return { ...body.data, ...(message ? { message } : {}) };
}

/** `who` runs `/ticket <sub> options...` in `channel`, as Discord delivers it (INTERACTION_CREATE). */
export async function sendCommand(t: DiscordDesk, who: APIUser, channel: string, sub: string, options: Record<string, OptionValue> = {}) {
  const payload = chatInputCommand(t.discord.context({ channel, user: who.id }), { name: 'ticket', subcommand: sub, options });
  const record = await t.discord.gateway.interactionCreate(payload);
  return { payload, record };
}

/** `/ticket <sub>` that the core answers. */
export async function command(
  t: DiscordDesk,
  who: APIUser,
  channel: string,
  sub: string,
  options: Record<string, OptionValue> = {},
): Promise<Answered> {
  const { payload, record } = await sendCommand(t, who, channel, sub, options);
  return answered(t, payload, record);
}

/** The custom id of the `tierdesk:<action>` button on a stored message. */
export function buttonOn(message: APIMessage, action: string): string {
  const rows = (message.components ?? []) as unknown as Array<{ components?: Array<{ custom_id?: string }> }>;
  const ids = rows.flatMap((row) => row.components ?? []).map((c) => c.custom_id ?? '');
  const id = ids.find((x) => x === `tierdesk:${action}` || x.startsWith(`tierdesk:${action}:`));
  if (!id) throw new Error(`no tierdesk:${action} button on message ${message.id} (buttons: ${ids.join(', ') || 'none'})`);
  return id;
}

/** `who` presses the `tierdesk:<action>` button on the message `id` in `channel`. */
export async function sendPress(t: DiscordDesk, who: APIUser, at: { channel: string; id: string }, action: string) {
  const message = t.discord.world.message(at.channel, at.id);
  const payload = buttonPress(t.discord.context({ channel: at.channel, user: who.id }), {
    customId: buttonOn(message, action),
    message: structuredClone(message),
  });
  const record = await t.discord.gateway.interactionCreate(payload);
  return { payload, record, message };
}

/** A button the core answers (claim, wait, reopen...). */
export async function press(t: DiscordDesk, who: APIUser, at: { channel: string; id: string }, action: string): Promise<Answered> {
  const { payload, record } = await sendPress(t, who, at, action);
  return answered(t, payload, record);
}

/** A button the core answers with a form (reply, escalate, resolve for an agent of the tier; the panel's "Open a ticket"). */
export async function pressForModal(t: DiscordDesk, who: APIUser, at: { channel: string; id: string }, action: string): Promise<ShownModal> {
  const { payload, message } = await sendPress(t, who, at, action);
  return modalShown(t, payload, message);
}

/** The inputs (text inputs and selects) of a shown modal, by custom id, with the values they were shown with. */
export function inputsOf(modal: ShownModal): Map<string, Json> {
  const inputs = new Map<string, Json>();
  for (const entry of modal.components) {
    const found = entry.component ? [entry.component as Json] : ((entry.components as Json[] | undefined) ?? []);
    for (const input of found) inputs.set(String(input.custom_id), input);
  }
  return inputs;
}

/**
 * `who` submits a shown modal: every input is echoed back, with `fields` typed over the shown values;
 * a select's field is the value of one of its options ('' chooses none), else its default option.
 */
export async function sendSubmit(t: DiscordDesk, who: APIUser, channel: string, modal: ShownModal, fields: Record<string, string>) {
  const inputs = inputsOf(modal);
  for (const id of Object.keys(fields)) if (!inputs.has(id)) throw new Error(`the modal ${modal.custom_id} has no input ${id}`);
  const values = Object.fromEntries(
    [...inputs].map(([id, input]): [string, string | string[]] => {
      if (input.type !== 3) return [id, fields[id] ?? String(input.value ?? '')];
      const options = (input.options ?? []) as Array<{ value: string; default?: boolean }>;
      const wanted = fields[id] ?? options.find((o) => o.default)?.value ?? '';
      if (wanted !== '' && !options.some((o) => o.value === wanted)) throw new Error(`the select ${id} has no option ${wanted}`);
      return [id, wanted === '' ? [] : [wanted]];
    }),
  );
  const ctx = t.discord.context({ channel, user: who.id });
  const payload = modalSubmit(ctx, {
    customId: modal.custom_id,
    fields: values,
    layout: modalLayout(modal),
    ...(modal.message ? { message: modal.message } : {}),
  });
  const record = await t.discord.gateway.interactionCreate(payload);
  return { payload, record };
}

/** `who` submits a shown modal and the core answers. */
export async function submit(t: DiscordDesk, who: APIUser, channel: string, modal: ShownModal, fields: Record<string, string>): Promise<Answered> {
  const { payload, record } = await sendSubmit(t, who, channel, modal, fields);
  return answered(t, payload, record);
}

/** A button that needs words: press it, fill in its modal's words (its first input, whatever argument it fills), submit. */
export async function actWithText(
  t: DiscordDesk,
  who: APIUser,
  at: { channel: string; id: string },
  action: string,
  text: string,
): Promise<Answered> {
  const modal = await pressForModal(t, who, at, action);
  const [words = 'text'] = inputsOf(modal).keys();
  return submit(t, who, at.channel, modal, { [words]: text });
}

/** `who` writes in a channel or thread; resolves once the core handled it and delivery drained. */
export async function write(
  t: DiscordDesk,
  who: APIUser,
  channel: string,
  content: string,
): Promise<{ message: APIMessage; handled: Handled; answer?: RecordedCall }> {
  const message = await t.discord.gateway.messageCreate({ channelId: channel, authorId: who.id, content });
  const handled = await t.handled(`discord:message:${message.id}`);
  // An acknowledgement is a ✅ reaction on the message (others read the thread); a refusal is a reply.
  // In a DM (direct) nobody else reads: everything is a reply.
  const direct = handled.event.kind === 'message' && handled.event.direct === true;
  const answer =
    handled.reply?.quiet && !direct
      ? await t.discord.rest.waitForCall('PUT /channels/:channel/messages/:message/reactions/:emoji/@me', (c) => c.params.message === message.id)
      : handled.reply
        ? await t.discord.rest.waitForCall(
            POST_MESSAGE,
            (c) => (c.body as { message_reference?: { message_id?: string } }).message_reference?.message_id === message.id,
          )
        : undefined;
  await t.desk.dispatcher.drain();
  return { message, handled, ...(answer ? { answer } : {}) };
}

/** Where a ticket lives in Discord. */
export interface OpenedTicket {
  number: number;
  /** The card in the L1 agents' channel. */
  card: { channel: string; id: string };
  /** The requester's private thread in the tickets channel, and the anchor message in it. */
  thread: { channel: string; id: string };
  answer: Answered;
}

/** `/ticket new title:… urgency:…` by `who` in `channel`; waits until it is opened and its messages are out. */
export async function openTicket(
  t: DiscordDesk,
  title = 'Printer on fire',
  options: Record<string, OptionValue> = { urgency: 'high' },
  who: APIUser = requester,
  channel = support.id,
): Promise<OpenedTicket> {
  const answer = await command(t, who, channel, 'new', { title, ...options });
  const number = Number(/#(\d+) opened/.exec(answer.text)?.[1]);
  if (!Number.isInteger(number)) throw new Error(`no ticket opened: ${answer.text}`);
  return { number, ...(await ticketPlaces(t, number)), answer };
}

/** The card of ticket `number` in `tier`'s channel and the requester's private thread. */
export async function ticketPlaces(t: DiscordDesk, number: number, tier = 'L1'): Promise<Omit<OpenedTicket, 'number' | 'answer'>> {
  const card = await posted(t, `ticket:${number}:card:${tier}`);
  const anchor = await posted(t, `ticket:${number}:requester`);
  return { card: { channel: card.channel, id: card.message_id }, thread: { channel: anchor.channel, id: anchor.message_id } };
}

/** Everything an embed shows, as one string (title, description, fields, footer). */
export function embedText(embed: APIEmbed | Json): string {
  const e = embed as APIEmbed;
  return [e.title, e.description, ...(e.fields ?? []).flatMap((f) => [f.name, f.value]), e.footer?.text].filter(Boolean).join('\n');
}

/** What a message shows: its content and its embeds. */
export function shown(message: { content?: unknown; embeds?: unknown }): string {
  return [typeof message.content === 'string' ? message.content : '', ...((message.embeds as Json[] | undefined) ?? []).map(embedText)]
    .filter(Boolean)
    .join('\n');
}

/** Every message in a channel or thread as it stands now, oldest first, as text. */
export function textsIn(t: DiscordDesk, channel: string): string[] {
  return t.discord.world.messagesIn(channel).map(shown);
}

/** The successful calls of `route` aimed at `channel`. */
export function callsTo(t: DiscordDesk, route: string, channel: string): RecordedCall[] {
  return t.discord.rest.calls(route).filter((c) => c.params.channel === channel && c.status >= 200 && c.status < 300);
}

/**
 * `who` presses, in their DM with the bot, the button on `message` whose label is `label` (or whose
 * custom id starts with `tierdesk:<label>:`): an interaction without a guild, as Discord sends it.
 * Resolves with the content of the answer once the core handled it and delivery drained.
 */
export async function pressInDm(t: DiscordDesk, who: APIUser, message: APIMessage, label: string): Promise<{ text: string; handled: Handled }> {
  const rows = (message.components ?? []) as unknown as Array<{ components: Array<{ label?: string; custom_id?: string }> }>;
  const button = rows.flatMap((r) => r.components).find((b) => b.label === label || b.custom_id?.startsWith(`tierdesk:${label}:`));
  if (!button?.custom_id) throw new Error(`no button "${label}" on message ${message.id}`);
  const guildPress = buttonPress(t.discord.context({ channel: support.id, user: who.id }), { customId: button.custom_id, message });
  const payload = {
    ...guildPress,
    guild_id: undefined,
    member: undefined,
    user: { id: who.id, username: who.username, discriminator: '0', global_name: null, avatar: null },
    channel_id: message.channel_id,
    channel: { id: message.channel_id, type: 1 },
  };
  await t.discord.gateway.interactionCreate(payload as unknown as typeof guildPress);
  const handled = await t.handled(`discord:interaction:${payload.id}`);
  const callback = await t.discord.rest.waitForCall(CALLBACK, (c) => c.params.interaction === payload.id && c.status === 204);
  await t.desk.dispatcher.drain();
  return { text: String((callback.body as { data?: { content?: string } }).data?.content ?? ''), handled };
}
