/**
 * Answering an interaction within Discord's 3 seconds: the core's reply as an ephemeral message
 * (a card as an embed with its buttons), or the form it asked for as a modal, which Discord takes
 * only as the first response.
 */
import {
  InteractionResponseType,
  MessageFlags,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIModalInteractionResponseCallbackData,
} from 'discord.js';
import type { Form, Reply } from '../../src/ports.js';
import { observeIntakeAck } from '../../src/core/metrics.js';
import { formModal } from './forms.js';
import type { InteractionAnswers } from './interaction-answers.js';
import { cut, renderCard } from './render.js';

export type AnswerBody = { content: string; embeds?: APIEmbed[]; components?: APIActionRowComponent<APIComponentInMessageActionRow>[] };

/** What an interaction can be answered with: an ephemeral message, a deferral and then its edit, a modal. */
export interface Answerable {
  reply(body: AnswerBody): Promise<unknown>;
  deferReply(): Promise<unknown>;
  editReply(body: AnswerBody): Promise<unknown>;
  /** Absent where Discord shows no modal (a modal's own submission). */
  showModal?(modal: APIModalInteractionResponseCallbackData): Promise<unknown>;
}

/** Nobody is pinged by an answer. */
const NO_PINGS = { parse: [] };

/** Answers to one interaction (`modals`: whether it may be answered with a modal), sent by `answers`. */
export function answerable(answers: InteractionAnswers, interaction: { id: string; token: string }, modals: boolean): Answerable {
  const ephemeral = MessageFlags.Ephemeral as const;
  return {
    reply: (body) =>
      answers.respond(interaction, {
        type: InteractionResponseType.ChannelMessageWithSource,
        data: { ...body, flags: ephemeral, allowed_mentions: NO_PINGS },
      }),
    deferReply: () => answers.respond(interaction, { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: ephemeral } }),
    editReply: (body) => answers.editOriginal(interaction.token, { ...body, allowed_mentions: NO_PINGS }),
    ...(modals ? { showModal: (modal) => answers.respond(interaction, { type: InteractionResponseType.Modal, data: modal }) } : {}),
  };
}

/** Said when the core took too long to ask for a form: a modal can only be the first answer. */
export const FORM_TOO_SLOW = 'That took too long to open its form: please try again.';

/**
 * An answer as Discord shows it: a card as an embed (within its limits) with its buttons (a
 * search result's Open, an article's Helpful / Publish), and the words said before the card (the
 * text minus the card's own fallback: "Draft article #1 saved…") as the content; plain text cut
 * with a pointer. Problems by field (a form's) follow the text when it does not already say them.
 */
export function answerBody(reply: Reply): AnswerBody {
  const problems = Object.entries(reply.fieldErrors ?? {})
    .filter(([, message]) => !reply.text.includes(message))
    .map(([field, message]) => `${field}: ${message}`);
  const text = [reply.text, ...problems].join('\n');
  if (!reply.card) return { content: cut(text, 2000, 'see /ticket show') };
  const rendered = renderCard(reply.card);
  const components = rendered.components;
  const fallback = reply.card.fallback;
  const lead = fallback !== '' && text.endsWith(fallback) ? text.slice(0, text.length - fallback.length).trim() : '';
  return {
    content: cut(lead, 2000, 'see the card'),
    embeds: rendered.embeds,
    ...(components.length > 0 ? { components } : {}),
  };
}

/**
 * Answer within Discord's 3 s: when the core answers within 1.5 s (nearly always) reply at once,
 * one request, or show the form it asked for; otherwise defer (ephemeral) and edit the deferred
 * reply when the answer comes (a form then cannot open: the person is asked to try again).
 */
export async function answerSoon(interaction: Answerable, work: Promise<Reply | void>, received = performance.now()): Promise<void> {
  // The intake histogram: from receipt to the first response Discord gets (a reply, a modal or a deferral).
  const acked = () => observeIntakeAck('discord', (performance.now() - received) / 1000);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), 1500)));
  // The core nearly always wins: its timer is cleared then, not left to fire for nothing.
  const quick = await Promise.race([work.then((reply) => ({ reply })), deadline]).finally(() => clearTimeout(timer));
  if (quick) {
    // No reply means the core saw this interaction before (a redelivery): it was answered then.
    if (!quick.reply) return;
    if (quick.reply.form && interaction.showModal) await showForm(interaction, interaction.showModal, quick.reply.form);
    else await interaction.reply(answerBody(quick.reply));
    return acked();
  }
  await interaction.deferReply();
  acked();
  const reply = await work;
  const body = !reply ? { content: 'Done.' } : reply.form ? { content: FORM_TOO_SLOW } : answerBody(reply);
  await interaction.editReply(body);
}

/** The form as a modal; one whose details do not fit in a modal's id is explained instead of failing. */
async function showForm(
  interaction: Answerable,
  showModal: (modal: APIModalInteractionResponseCallbackData) => Promise<unknown>,
  form: Form,
): Promise<void> {
  const modal = formModal(form);
  if (modal) {
    await showModal(modal.toJSON());
    return;
  }
  const content = `This form ("${form.title}") carries more than Discord lets a form hold: use the /${form.submit.command} command and its options instead.`;
  await interaction.reply({ content });
}
