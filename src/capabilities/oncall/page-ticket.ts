import { UserError } from '../../domain/errors.js';
import type { Reply } from '../../ports.js';
import { changePage, maybePage } from './paging.js';
import { change, type Request } from '../../core/request.js';
import { refreshCards } from '../tickets/refresh-cards.js';
import { loadTicket } from '../tickets/ticket-model.js';
import type { Core } from '../../core/work.js';

/**
 * Page commands: `/ticket page N` starts paging the ticket's tier by hand; `ack` takes the page
 * (stops it), `release` gives it back (it climbs again from the acknowledged step), `pass` sends it
 * to the next step now. Any agent may do these: the person paged may not be in the ticket's tier.
 */
export async function pageCommand(core: Core, req: Request, number: number, kind: 'page' | 'ack' | 'release' | 'pass'): Promise<Reply> {
  if (!core.directory.isAgent(req.actor)) throw new UserError('not_agent', 'Only agents can page, acknowledge, release or pass on a page.');
  return change(core, req, async (work) => {
    const t = await loadTicket(work.db, number);
    if (t.status === 'resolved' || t.status === 'closed') throw new UserError('ticket_done', `#${number} is ${t.status}: there is nothing to page.`);
    if (kind === 'page') {
      const page = await maybePage(core, work, t, 'manual');
      await refreshCards(core, work, t);
      return { text: `Paging ${core.directory.tier(page!.tier)?.name ?? page!.tier} for #${number} (${page!.policy.name}).` };
    }
    await changePage(core, work, number, kind, req.actor);
    await refreshCards(core, work, t);
    const done = {
      ack: `You have acknowledged the page for #${number}; it stops here.`,
      release: `The page for #${number} is released: it climbs its policy again.`,
      pass: `The page for #${number} goes to its next step now.`,
    };
    return { text: done[kind] };
  });
}
