import { cleanUserText } from '../../domain/text.js';
import type { Inbound } from '../../ports.js';
import { findMessageByPlatformId } from '../../store/messages.js';
import { deleteSolution, isSolution, updateSolutionText } from '../../store/peer.js';
import { change, type Request } from '../../core/request.js';
import type { Core } from '../../core/work.js';
import { questionAt } from './commands.js';
import { indexQuestion, isAsker, loadQuestion, questionText, saveQuestion, STALE_TIMER, UNANSWERED_TIMER } from './questions.js';

/**
 * A message in a peer channel was edited or deleted. The question's own message edited: its title
 * and words follow (and the search index, once solved). A marked answer edited: the solution's text
 * follows. The question deleted (its root message, or the whole forum post): it stops — no more
 * pings, tickets or reminders, out of the search index — and is kept as `deleted` for the record.
 * Anything else (an ordinary reply, a question already deleted, a thread tierdesk does not track)
 * changes nothing, quietly.
 */
export async function peerChanged(core: Core, req: Request, event: Extract<Inbound, { kind: 'edited' | 'deleted' }>): Promise<void> {
  const root = await findMessageByPlatformId(core.db, event.place.platform, event.place.channel, event.message);
  const rootOf = root ? /^question:(\d+)$/.exec(root.key) : null;
  const number = rootOf ? Number(rootOf[1]) : await questionAt(core, event.place);
  if (number === undefined) return;
  await change(core, req, async (work) => {
    const q = await loadQuestion(work, number);
    if (q.status === 'deleted') return; // an edit of a deleted question's thread: nothing left to follow
    if (rootOf && event.kind === 'deleted') {
      await saveQuestion(work, q, { status: 'deleted', closed_at: work.now });
      await work.cancelTimer(UNANSWERED_TIMER, String(number));
      await work.cancelTimer(STALE_TIMER, String(number));
      await core.search.remove(work.db, 'question', number);
      return;
    }
    if (rootOf && event.kind === 'edited') {
      if (!isAsker(q, req.actor.person)) return;
      let text: { title: string; body: string };
      try {
        text = questionText({ ...(event.title !== undefined ? { title: event.title } : {}), text: event.text ?? q.body });
      } catch {
        return; // emptied or grown past the limit: keep what we had rather than lose the question
      }
      await saveQuestion(work, q, { title: text.title, body: text.body });
      if (q.status === 'solved') await indexQuestion(core, work, { ...q, ...text });
      return;
    }
    // A message inside the thread: only a marked answer matters.
    if (!(await isSolution(work.db, number, event.message))) return;
    if (event.kind === 'deleted') await deleteSolution(work.db, number, event.message);
    else
      await updateSolutionText(
        work.db,
        number,
        event.message,
        cleanUserText(event.text ?? '')
          .trim()
          .slice(0, 4000),
      );
    if (q.solvedAt !== undefined) await indexQuestion(core, work, q);
  });
}
