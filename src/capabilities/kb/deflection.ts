import { UserError } from '../../domain/errors.js';
import { cleanLine } from '../../domain/text.js';
import type { CardButton, Reply } from '../../ports.js';
import { claimForOpening, deflectionDocs, findDeflection, insertDeflection, markHelped, setDeflectionTicket } from '../../store/deflections.js';
import { docLines, docText, findDocs, type FoundDoc } from './search.js';
import { searchTerms } from '../../domain/search-query.js';
import {
  checkRequesterLimits,
  createTicket,
  openedReply,
  openTicket,
  validateNewTicket,
  type NewTicketInput,
  type UnitOptions,
} from '../tickets/open-ticket.js';
import { card, clip } from '../../core/render.js';
import { change, type Request } from '../../core/request.js';
import type { Core } from '../../core/work.js';

/**
 * Deflection: before a ticket typed or submitted with `/ticket new` enters a queue, the knowledge
 * that matches it (published articles, solved questions) is offered: "This solved it" or "Open the
 * ticket anyway". Every offer and its outcome is recorded (`deflections`, `deflection_docs`) for
 * the deflection rate and each article's effectiveness (src/app/kb-figures.ts).
 */

/** The ticket fields an offer keeps, exactly as given, to open the ticket unchanged if asked. */
const INPUT_FIELDS = ['title', 'description', 'urgency', 'impact', 'category', 'product', 'version'] as const;

/** How many documents an offer shows. */
const OFFER_SIZE = 3;

/**
 * `/ticket new` (typed, or a form's `sub: new`): offer matching knowledge first, or open the ticket
 * at once when deflection is off, nothing matches, or the requester said `--anyway`.
 */
export async function newTicketOrOffer(
  core: Core,
  req: Request,
  raw: Record<string, unknown>,
  opts: { anyway?: boolean } & UnitOptions = {},
): Promise<Reply> {
  const input: NewTicketInput = {};
  for (const f of INPUT_FIELDS) if (typeof raw[f] === 'string') input[f] = raw[f];
  if (!core.config.kb.deflection || opts.anyway) return openTicket(core, req, input, opts);
  // Bad input is refused before anything is offered: the offer's "open anyway" must be able to open it.
  const v = validateNewTicket(core, input);
  const query = `${v.title} ${v.description}`;
  const docs = await relevantDocs(core, query, await findDocs(core, core.db, query, OFFER_SIZE, req.place));
  if (docs.length === 0) return openTicket(core, req, input, opts);

  const id = core.newId();
  const person = req.actor.person;
  await change(core, req, async (work) => {
    // The offer keeps the input: what it was made from is taken in the same unit.
    await opts.first?.(work);
    await insertDeflection(
      work.db,
      {
        id,
        requester: { platform: person.platform, space: person.space, id: person.id, name: req.actor.name },
        requester_key: requesterKey(req),
        input,
        place: req.place,
        outcome: 'offered',
        helped_by: null,
        ticket: null,
        created_at: work.now,
        decided_at: null,
      },
      docs.map((d) => d.key),
    );
  });
  const several = docs.length > 1;
  const buttons: CardButton[] = docs.map((d, i) => ({
    action: 'deflect.solved',
    label: several ? `This solved it (${i + 1})` : 'This solved it',
    value: `${id} ${d.key}`,
    style: 'primary',
  }));
  buttons.push({ action: 'deflect.open', label: 'Open the ticket anyway', value: id });
  const c = card({
    title: `Before we open "${clip(v.title, 80)}": these may answer it:`,
    text: docLines(docs).join('\n'),
    buttons,
    tone: 'info',
    context: 'Nothing has been opened yet. If none of these helps, open the ticket anyway: it keeps what you wrote.',
  });
  return { text: c.fallback, card: c };
}

function requesterKey(req: Request): string {
  return `${req.actor.person.platform}:${req.actor.person.id}`;
}

export const DEFLECT_USAGE = '/deflect solved <offer> <article:N|question:N> | /deflect open <offer>';

/**
 * The answer to an offer (its buttons, or `/deflect solved|open ...` typed): only the person it was
 * made to may answer. `open` opens the ticket from the input as given, once; `solved` records which
 * document answered it, and no ticket is opened.
 */
export async function deflectAction(core: Core, req: Request, sub: string, value: string): Promise<Reply> {
  const [offerId = '', doc] = cleanLine(value).split(' ');
  if (sub !== 'open' && sub !== 'solved')
    throw new UserError('unknown_action', `Unknown answer "${cleanLine(sub).slice(0, 20)}". Usage: ${DEFLECT_USAGE}`);
  if (offerId === '') throw new UserError('bad_offer', `Which offer? Usage: ${DEFLECT_USAGE}`, 'offer');
  const offer = await findDeflection(core.db, offerId);
  if (!offer) throw new UserError('no_such_offer', `There is no offer "${clip(offerId, 30)}". Open a ticket with /ticket new <title>.`, 'offer');
  if (offer.requester_key !== requesterKey(req)) throw new UserError('not_yours', 'Only the person who asked can answer these suggestions.', 'offer');
  return sub === 'open' ? openFromOffer(core, req, offerId) : solvedByDoc(core, req, offerId, doc);
}

async function openFromOffer(core: Core, req: Request, offerId: string): Promise<Reply> {
  const result = await change(core, req, async (work) => {
    // The conditional update is the claim: of two clicks (or replicas) exactly one opens the ticket.
    if (!(await claimForOpening(work.db, offerId, work.now))) {
      const row = await findDeflection(work.db, offerId);
      return { already: row?.ticket ?? undefined };
    }
    const row = (await findDeflection(work.db, offerId))!;
    const { input, place } = row;
    const asked: Request = { ...req, place };
    const v = validateNewTicket(core, input);
    await checkRequesterLimits(core, asked, work.db, work.now);
    const ticket = await createTicket(core, work, req.actor, place, v);
    await setDeflectionTicket(work.db, offerId, ticket.number);
    return { ticket };
  });
  if ('ticket' in result && result.ticket) return openedReply(core, result.ticket);
  const n = 'already' in result ? result.already : undefined;
  return { text: n !== undefined && n !== null ? `That ticket is already opened as #${n}.` : 'That ticket is already being opened.' };
}

async function solvedByDoc(core: Core, req: Request, offerId: string, doc: string | undefined): Promise<Reply> {
  if (doc === undefined || !/^(article|question):\d{1,9}$/.test(doc))
    throw new UserError('bad_doc', `Which suggestion solved it? Usage: ${DEFLECT_USAGE}`, 'doc');
  const docs = await deflectionDocs(core.db, offerId);
  if (!docs.includes(doc)) throw new UserError('bad_doc', `${doc.replace(':', ' #')} was not one of the suggestions in that offer.`, 'doc');
  return change(core, req, async (work) => {
    if (await markHelped(work.db, offerId, doc, work.now)) {
      return { text: `Glad that helped: no ticket was opened. If the problem comes back, /ticket new opens one.` };
    }
    const row = (await findDeflection(work.db, offerId))!;
    if (row.outcome === 'opened')
      return { text: `You already opened the ticket anyway${row.ticket !== null ? ` (#${row.ticket})` : ''}; it stays open.` };
    return { text: 'Thanks, you already told us that solved it.' };
  });
}

/**
 * Search ranks anything sharing a word; an offer that stands between someone and their ticket
 * must be about the same thing. A document is offered only when it shares at least two of the
 * request's words (the one word of a one-word title), compared by their first five letters so
 * that "printing" meets "printer".
 */
async function relevantDocs(core: Core, query: string, docs: FoundDoc[]): Promise<FoundDoc[]> {
  const stem = (w: string) => w.slice(0, 5);
  const wanted = new Set(searchTerms(query).map(stem));
  const need = Math.min(2, wanted.size);
  const out: FoundDoc[] = [];
  for (const d of docs) {
    const have = new Set(wordsOf(await docText(core.db, d)).map(stem));
    let shared = 0;
    for (const w of wanted) if (have.has(w)) shared++;
    if (shared >= need) out.push(d);
  }
  return out;
}

/** Every word of a text, lowercased and without accents, as the search tokenizer sees them. */
function wordsOf(text: string): string[] {
  return (
    text
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}
