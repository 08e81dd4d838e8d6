/**
 * A DM is never silent. Someone writing to tierdesk in their direct conversation, outside any
 * ticket's thread: with one active ticket the words join its conversation (and they are told
 * where they went); with several they choose which (buttons) while the words are kept; with none
 * they are offered a ticket made from them.
 */
import type { CommandSpec } from '../../core/capability.js';
import { card } from '../../core/render.js';
import { change, type Request } from '../../core/request.js';
import type { Core, Work } from '../../core/work.js';
import { UserError } from '../../domain/errors.js';
import { cleanLine } from '../../domain/text.js';
import type { CardButton, Reply } from '../../ports.js';
import { findDirectDraft, saveDirectDraft, takeDirectDraft } from '../../store/direct-drafts.js';
import { listTickets } from '../../store/tickets.js';
import { newTicketOrOffer } from '../kb/deflection.js';
import { messageText, recordRequesterMessage } from './converse.js';
import { ticketFieldsFromMessage } from './ticket-from-message.js';
import { ticketFromRow } from './ticket-model.js';

const ACTIVE = ['open', 'claimed', 'waiting_on_requester'];
/** The most tickets offered to choose from; more are reached with `#N text` or their threads. */
const CHOICES = 5;

const personKey = (req: Request) => `${req.actor.person.platform}:${req.actor.person.space}:${req.actor.person.id}`;

/** Words written in a DM outside every ticket's thread. */
export async function directMessage(core: Core, req: Request, raw: string): Promise<Reply | void> {
  if (raw.trim() === '') return; // an image or a file alone: nothing to carry
  const text = messageText(raw, 'A message', 'write what you need');
  const active = (await listTickets(core.db, { statuses: ACTIVE, requester: req.actor.person, limit: CHOICES + 1 })).map(ticketFromRow);
  if (active.length === 1) {
    const t = active[0]!;
    await change(core, req, (work) => recordRequesterMessage(core, work, req, t.number, text));
    return {
      text: `Added to your ticket #${t.number} (${cleanLine(t.title).slice(0, 80)}): the agents see it, and their answers come in #${t.number}'s thread.`,
    };
  }
  const id = core.newId();
  await change(core, req, (work) => saveDirectDraft(work.db, { id, personKey: personKey(req), text, createdAt: work.now }));
  if (active.length === 0) {
    const buttons: CardButton[] = [{ action: 'dm.open', label: 'Open a ticket', value: id, style: 'primary' }];
    const body = 'You have no open ticket. Open one from this message? (Or /ticket new <title>.)';
    return { text: body, card: card({ title: 'Open a ticket from this?', text: body, buttons, tone: 'info' }) };
  }
  const buttons: CardButton[] = active
    .slice(0, CHOICES)
    .map((t) => ({ action: 'dm.attach', label: `#${t.number} ${cleanLine(t.title).slice(0, 60)}`, value: `${id} ${t.number}` }));
  buttons.push({ action: 'dm.open', label: 'A new ticket', value: id });
  const body = `You have ${active.length > CHOICES ? `more than ${CHOICES}` : active.length} open tickets. Which one is this message about? It is kept until you choose.`;
  return { text: body, card: card({ title: 'Which ticket is this about?', text: body, buttons, tone: 'info' }) };
}

async function attach(core: Core, req: Request, id: string, number: string): Promise<Reply> {
  const n = Number(number);
  if (!Number.isInteger(n) || n < 1) throw new UserError('bad_ticket_number', `Which ticket? Usage: /dm attach <ID> <N>`);
  return change(core, req, async (work) => {
    const draft = await takeDirectDraft(work.db, id, personKey(req));
    if (!draft) return { text: 'That message was already sent on (or it is not yours to send).' };
    await recordRequesterMessage(core, work, req, n, draft.text);
    return { text: `Added to your ticket #${n}: the agents see it.` };
  });
}

/**
 * Open a ticket from a kept DM: the draft is taken in the unit of work that opens the ticket (or
 * records the knowledge offer, which keeps the words), so a refusal or a crash leaves it in place.
 */
async function openFromDraft(core: Core, req: Request, id: string): Promise<Reply> {
  const draft = await findDirectDraft(core.db, id, personKey(req));
  if (!draft) return { text: USED };
  const first = async (work: Work) => {
    // Of two clicks (or replicas) one takes it; the other's unit is refused and changes nothing.
    if (!(await takeDirectDraft(work.db, id, personKey(req)))) throw new UserError('draft_used', USED);
  };
  return newTicketOrOffer(core, req, ticketFieldsFromMessage(core, draft.text), { first });
}

const USED = 'That message was already used (or it is not yours to use).';

/** The console's twins of the DM buttons (`dm.attach`, `dm.open`). */
export const DM_COMMAND: CommandSpec = {
  name: 'dm',
  summary: 'Say what a message you wrote to tierdesk is for',
  hint: 'attach ID N | open ID',
  surfaces: ['console'],
  unlisted: true,
  subs: [
    {
      name: 'attach',
      summary: 'add the message to one of your tickets',
      who: 'anyone',
      args: [
        { name: 'draft', summary: 'The message', kind: 'word', positional: true, required: true, placeholder: 'ID' },
        { name: 'number', summary: 'Ticket number', kind: 'number', positional: true, required: true, placeholder: 'N' },
      ],
      run: (core, req, a) => attach(core, req, a.draft ?? '', (a.number ?? '').replace(/^#/, '')),
    },
    {
      name: 'open',
      summary: 'open a ticket from the message',
      who: 'anyone',
      args: [{ name: 'draft', summary: 'The message', kind: 'word', positional: true, required: true, placeholder: 'ID' }],
      run: (core, req, a) => openFromDraft(core, req, a.draft ?? ''),
    },
  ],
};
