import type { Inbound, Reply } from '../../ports.js';
import { cleanLine } from '../../domain/text.js';
import { openTicket } from './open-ticket.js';
import type { Request } from '../../core/request.js';
import { formFor } from '../../core/run-command.js';
import type { Core } from '../../core/work.js';

/**
 * The title and description for a ticket made from a chat message (a reaction or a message
 * shortcut): the first line becomes the title (cut to fit), the whole message and its thread the
 * description, with a link back.
 */
export function ticketFieldsFromMessage(core: Core, text: string, link?: string): { title: string; description: string } {
  const max = core.config.tickets.titleMax;
  const firstLine = cleanLine(text.split('\n').find((l) => l.trim() !== '') ?? '') || 'Ticket from a message';
  const title = firstLine.length > max ? `${firstLine.slice(0, max - 1)}…` : firstLine;
  const suffix = link ? `\n\nFrom: ${link}` : '';
  const room = core.config.tickets.descriptionMax - suffix.length;
  const marker = '\n… (cut; the rest is at the link)';
  const body = text.length > room ? `${text.slice(0, room - marker.length)}${marker}` : text;
  return { title, description: `${body}${suffix}` };
}

/**
 * A ticket reaction on a message in a watched channel opens a ticket from that message. The
 * person who reacted is the requester. Any other reaction, or one elsewhere, does nothing.
 */
export async function ticketFromReaction(core: Core, req: Request, event: Extract<Inbound, { kind: 'reaction' }>): Promise<Reply | void> {
  if (event.place.platform !== 'slack') return;
  const { reaction, reactionChannels } = core.config.slack;
  if (event.emoji !== reaction || !reactionChannels.includes(event.place.channel) || event.text === undefined) return;
  return openTicket(core, req, ticketFieldsFromMessage(core, event.text, event.link));
}

/**
 * "Create ticket" on a message (a Slack message shortcut): the new-ticket form, filled in from the
 * message. A ticket made from a message is never deflected (`anyway`): the person chose to open it.
 */
export async function ticketFormFromMessage(core: Core, req: Request, event: Extract<Inbound, { kind: 'action' }>): Promise<Reply> {
  const fields = ticketFieldsFromMessage(core, event.about?.text ?? event.text ?? '', event.about?.link);
  return formFor(core, req, 'ticket', 'new', { ...fields, anyway: 'true' });
}
