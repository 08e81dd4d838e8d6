import { answerConsult } from '../capabilities/consults/consult.js';
import { UserError, isUserError } from '../domain/errors.js';
import { cleanLine, cleanUserText } from '../domain/text.js';
import type { Inbound, Reply } from '../ports.js';
import { findConversationByChannel, findMessageByPlatformId } from '../store/messages.js';
import { addNote, messageInTicket } from '../capabilities/tickets/converse.js';
import { errorReference } from './ids.js';
import { DuplicateEvent, type Request } from './request.js';
import { runAction, runCommandEvent } from './run-command.js';
import { directMessage } from '../capabilities/tickets/direct-message.js';
import { homeView } from '../capabilities/tickets/home-view.js';
import { ticketFormFromMessage, ticketFromReaction } from '../capabilities/tickets/ticket-from-message.js';
import { isPeerChannel, peerAction, peerChanged, peerMessage, peerReaction } from '../capabilities/peer/commands.js';
import type { Core } from './work.js';
import { DATABASE_UNAVAILABLE_REPLY, isDatabaseUnavailable } from '../store/connect.js';

/**
 * The router: turns an Inbound event into a use case and its outcome into a Reply. Expected
 * refusals (UserError) are shown to the user; anything else is logged with a reference id and the
 * user gets a short apology carrying that id. A repeated event (same idempotency key) does nothing.
 */
export function createRouter(core: Core): (event: Inbound) => Promise<Reply | void> {
  return async (event) => {
    const actor = core.directory.actor(event.from);
    const req: Request = { actor, place: event.place, key: event.key };
    try {
      const reply = await route(core, req, event);
      // A safety net: a refusal that quotes what the user typed must not ping anyone either.
      return reply ? { ...reply, text: cleanUserText(reply.text) } : reply;
    } catch (err) {
      if (err instanceof DuplicateEvent) {
        core.logger.debug('duplicate inbound event ignored', { key: event.key, kind: event.kind });
        return;
      }
      if (isUserError(err)) {
        const text = cleanUserText(err.message);
        return err.field !== undefined ? { text, fieldErrors: { [err.field]: text } } : { text };
      }
      if (isDatabaseUnavailable(err)) {
        // Retryable, and said so: the platform (or the person) tries again once the database is back.
        core.logger.warn('database unavailable; inbound event refused', {
          kind: event.kind,
          key: event.key,
          error: err instanceof Error ? err.message : String(err),
        });
        return { text: DATABASE_UNAVAILABLE_REPLY };
      }
      const ref = errorReference();
      core.logger.error('unexpected error handling an inbound event', {
        ref,
        kind: event.kind,
        platform: event.from.platform,
        key: event.key,
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      });
      return {
        text: `Sorry, something went wrong on our side (reference ${ref}). Nothing was changed; please try again or tell an operator the reference.`,
      };
    }
  };
}

async function route(core: Core, req: Request, event: Inbound): Promise<Reply | void> {
  switch (event.kind) {
    case 'command':
      // The Slack App Home asks for the home view as a command; it is not one anyone types there.
      if (event.name === 'home' && event.from.platform === 'slack') return homeView(core, req.actor);
      return runCommandEvent(core, req, event);
    case 'action': {
      // A button is the twin of a declared sub-command: `claim` + `12 --force` runs `/ticket claim 12 --force`.
      const reply = await runAction(core, req, event);
      if (reply) return reply;
      // Message actions: "Mark as solution", and "Create ticket" (its form, filled in from the message).
      if (event.action === 'peer.solution') return peerAction(core, req, 'solution', event.value, event.text, event.about);
      if (event.action === 'ticket.message') return ticketFormFromMessage(core, req, event);
      return { text: `Unknown action "${cleanLine(event.action).slice(0, 40)}".` };
    }
    case 'message':
      if (isPeerChannel(core, event.place)) return peerMessage(core, req, event);
      return routeMessage(core, req, event);
    case 'reaction':
      if (isPeerChannel(core, event.place)) return peerReaction(core, req, event);
      return ticketFromReaction(core, req, event);
    case 'edited':
    case 'deleted':
      // Only peer questions follow their platform messages; a ticket's conversation is its history.
      if (isPeerChannel(core, event.place)) return peerChanged(core, req, event);
      return;
  }
}

async function routeMessage(core: Core, req: Request, event: Extract<Inbound, { kind: 'message' }>): Promise<Reply | void> {
  const reply = await conversationMessage(core, req, event);
  return reply ? { ...reply, quiet: true } : reply; // refusals are thrown, so this is only ever an acknowledgement
}

async function conversationMessage(core: Core, req: Request, event: Extract<Inbound, { kind: 'message' }>): Promise<Reply | void> {
  if (event.ticket !== undefined) return messageInTicket(core, req, event.ticket, event.text);
  const thread = event.place.thread;
  const anchor =
    thread !== undefined
      ? await findMessageByPlatformId(core.db, event.place.platform, event.place.channel, thread)
      : await findConversationByChannel(core.db, event.place.platform, event.place.channel); // a thread that is a channel
  // A consult card's thread: whoever writes there answers the consult (src/capabilities/consults/).
  if (anchor?.key.startsWith('consult:')) return answerConsult(core, req, Number(anchor.key.slice('consult:'.length)), event.text);
  if (!anchor || anchor.ticket === null) {
    // In a DM everything is tierdesk's business; elsewhere, a conversation tierdesk is not part of.
    return event.direct ? directMessage(core, req, event.text) : undefined;
  }
  const number = Number(anchor.ticket);
  // In the agents' card thread, writing is internal by default: a slip can never reach the requester.
  if (anchor.side === 'agents') {
    if (!core.directory.isAgent(req.actor)) throw new UserError('not_agent', "Only agents can write in a ticket's agent thread.");
    return addNote(core, req, number, event.text);
  }
  return messageInTicket(core, req, number, event.text);
}
