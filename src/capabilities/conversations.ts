import { answerConsult } from './consults/consult.js';
import { UserError } from '../domain/errors.js';
import { cleanLine } from '../domain/text.js';
import type { Inbound, Reply } from '../ports.js';
import { findConversationByChannel, findMessageByPlatformId } from '../store/messages.js';
import type { Request } from '../core/request.js';
import type { Conversations } from '../core/router.js';
import type { Core } from '../core/work.js';
import { addNote, messageInTicket } from './tickets/converse.js';
import { directMessage } from './tickets/direct-message.js';
import { homeView } from './tickets/home-view.js';
import { ticketFormFromMessage, ticketFromReaction } from './tickets/ticket-from-message.js';
import { isPeerChannel, peerAction, peerMessage, peerReaction } from './peer/commands.js';
import { peerChanged } from './peer/changes.js';

/** How tierdesk answers what is not a declared command or button: ticket and peer conversations. */
export const CONVERSATIONS: Conversations = {
  // The Slack App Home asks for the home view as a command; it is not one anyone types there.
  command: (core, req, event) => (event.name === 'home' && event.from.platform === 'slack' ? homeView(core, req.actor) : undefined),
  action: async (core, req, event) => {
    // Message actions: "Mark as solution", and "Create ticket" (its form, filled in from the message).
    if (event.action === 'peer.solution') return peerAction(core, req, 'solution', event.value, event.text, event.about);
    if (event.action === 'ticket.message') return ticketFormFromMessage(core, req, event);
    return { text: `Unknown action "${cleanLine(event.action).slice(0, 40)}".` };
  },
  message: (core, req, event) => (isPeerChannel(core, event.place) ? peerMessage(core, req, event) : routeMessage(core, req, event)),
  reaction: (core, req, event) => (isPeerChannel(core, event.place) ? peerReaction(core, req, event) : ticketFromReaction(core, req, event)),
  // Only peer questions follow their platform messages; a ticket's conversation is its history.
  changed: async (core, req, event) => (isPeerChannel(core, event.place) ? peerChanged(core, req, event) : undefined),
};

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
