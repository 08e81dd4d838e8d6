import { InteractionResponseType, InteractionType, MessageFlags, MessageType, type APIMessage } from 'discord.js';
import { alreadyAcknowledged, ApiError, unknownInteraction, unknownMessage, unknownWebhook } from './api-error.js';
import { createMessage, editMessage } from './messages.js';
import { checkModal, FormCheck, type Json } from './validate.js';
import type { DiscordWorld, InteractionRecord } from './world.js';

/** Discord wants the first response within 3 s of the interaction; its token then works for 15 minutes. */
export const RESPONSE_WINDOW_MS = 3_000;
export const TOKEN_LIFETIME_MS = 15 * 60_000;

/**
 * `POST /interactions/{id}/{token}/callback`. Answers 204 with no body (200 with an
 * InteractionCallbackResponse when `?with_response=true`). Refuses, as Discord does: an unknown or
 * late (> 3 s on the fake clock) interaction with `10062 Unknown interaction`, a second
 * response with `40060 Interaction has already been acknowledged`.
 */
export function answerInteraction(world: DiscordWorld, id: string, token: string, body: Json, withResponse: boolean): Json | undefined {
  const record = world.interactions.get(id);
  if (!record || record.token !== token) throw unknownInteraction();
  if (record.response) throw alreadyAcknowledged();
  if (world.now() - record.at > RESPONSE_WINDOW_MS) throw unknownInteraction();
  const type = Number(body.type);
  const data = (body.data ?? {}) as Json;
  const fromComponent = record.type === InteractionType.MessageComponent || (record.type === InteractionType.ModalSubmit && record.message);
  switch (type) {
    case InteractionResponseType.ChannelMessageWithSource:
      record.original = reply(world, record, data);
      break;
    case InteractionResponseType.DeferredChannelMessageWithSource: {
      const flags = (Number(data.flags ?? 0) & MessageFlags.Ephemeral) | MessageFlags.Loading;
      record.original = reply(world, record, { flags }, true);
      break;
    }
    case InteractionResponseType.DeferredMessageUpdate:
    case InteractionResponseType.UpdateMessage:
      if (!fromComponent || !record.message) throw invalidType(type);
      record.original = world.messages.get(record.message.id) ?? record.message;
      if (type === InteractionResponseType.UpdateMessage) editMessage(world, record.original, data);
      break;
    case InteractionResponseType.Modal: {
      if (record.type === InteractionType.ModalSubmit) throw invalidType(type);
      const check = new FormCheck();
      checkModal(data, check);
      check.done();
      break;
    }
    case InteractionResponseType.ApplicationCommandAutocompleteResult:
      if (record.type !== InteractionType.ApplicationCommandAutocomplete) throw invalidType(type);
      break;
    default:
      throw invalidType(type);
  }
  record.response = { type, at: world.now(), data };
  if (!withResponse) return undefined;
  const message = record.original;
  return {
    interaction: {
      id: record.id,
      type: record.type,
      ...(message
        ? {
            response_message_id: message.id,
            response_message_loading: type === 5,
            response_message_ephemeral: Boolean(Number(message.flags ?? 0) & MessageFlags.Ephemeral),
          }
        : {}),
    },
    resource: { type, ...(message && type !== 5 && type !== 6 ? { message } : {}) },
  };
}

function invalidType(type: number): ApiError {
  return new ApiError(400, 50035, 'Invalid Form Body', {
    type: { _errors: [{ code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: `Callback type ${type} is not valid for this interaction.` }] },
  });
}

/** A message sent as the interaction's response or followup: type 20/23 for commands, ephemeral stays private. */
function reply(world: DiscordWorld, record: InteractionRecord, data: Json, placeholder = false): APIMessage {
  const payload = record.payload;
  const commandType = Number((payload.data as Json | undefined)?.type ?? 1);
  const isCommand = record.type === InteractionType.ApplicationCommand;
  const invoker = (payload.member as Json | undefined)?.user ?? payload.user;
  const extra: Partial<APIMessage> = {
    webhook_id: world.applicationId,
    application_id: world.applicationId,
    interaction_metadata: {
      id: record.id,
      type: record.type,
      user: invoker,
      authorizing_integration_owners: payload.authorizing_integration_owners,
    } as APIMessage['interaction_metadata'],
  };
  return createMessage(world, record.channelId, data, {
    type: isCommand ? (commandType === 1 ? MessageType.ChatInputCommand : MessageType.ContextMenuCommand) : MessageType.Default,
    ephemeral: Boolean(Number(data.flags ?? 0) & MessageFlags.Ephemeral),
    // A deferred reply's "thinking…" placeholder has no content yet; Discord creates it anyway.
    allowEmpty: placeholder,
    extra,
  });
}

/** The interaction a webhook token belongs to; tokens expire 15 minutes after the interaction. */
export function interactionByToken(world: DiscordWorld, applicationId: string, token: string): InteractionRecord {
  if (applicationId !== world.applicationId) throw unknownWebhook();
  const record = world.interactionsByToken.get(token);
  if (!record || world.now() - record.at > TOKEN_LIFETIME_MS) throw unknownWebhook();
  return record;
}

/** `@original` or a followup's id, for GET / PATCH / DELETE `/webhooks/{app}/{token}/messages/{id}`. */
export function webhookMessage(record: InteractionRecord, messageId: string): APIMessage {
  const message = messageId === '@original' ? record.original : record.followups.find((m) => m.id === messageId);
  if (!message) throw unknownMessage();
  return message;
}

/** PATCH of `@original` or a followup; editing a deferred placeholder clears its Loading flag. */
export function editWebhookMessage(world: DiscordWorld, message: APIMessage, body: Json): APIMessage {
  message.flags = (Number(message.flags ?? 0) & ~MessageFlags.Loading) as MessageFlags;
  return editMessage(world, message, body);
}

/** `POST /webhooks/{app}/{token}`: a followup, only after the interaction has been answered. */
export function followUp(world: DiscordWorld, record: InteractionRecord, body: Json): APIMessage {
  if (!record.response) throw unknownWebhook();
  const message = reply(world, record, body);
  record.followups.push(message);
  return message;
}
