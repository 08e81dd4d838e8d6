import { UserError } from '../../domain/errors.js';
import { isPeriod, isSolutionEmoji, mentionedIds, periodStart, saysThanks, type LeaderboardPeriod } from '../../domain/peer.js';
import { cleanLine, cleanUserText } from '../../domain/text.js';
import type { Inbound, MessageRef, Person, Place, Reply } from '../../ports.js';
import { findMessage, findMessageByPlatformId } from '../../store/messages.js';
import { addParticipant, isParticipant, leaderboard, personKey } from '../../store/peer.js';
import { recordReply, requesterMessage } from '../tickets/converse.js';
import { card } from '../../core/render.js';
import { change, type Request } from '../../core/request.js';
import { loadTicket } from '../tickets/ticket-model.js';
import {
  armStale,
  armUnanswered,
  canModerate,
  createQuestion,
  isAsker,
  loadQuestion,
  questionKey,
  questionText,
  questionThread,
  saveQuestion,
  similarKnowledge,
  QUESTION_BODY_MAX,
  STALE_TIMER,
  UNANSWERED_TIMER,
  type Question,
} from './questions.js';
import { award, markSolution } from './solutions.js';
import type { Core, Work } from '../../core/work.js';

/** Is this place (or the channel a thread is in) one of the configured peer channels? */
export function isPeerChannel(core: Core, place: Place): boolean {
  return core.config.peer.channels[place.platform]?.includes(place.channel) ?? false;
}

/** `/ask` and `/helpers`. */
export async function peerCommand(core: Core, req: Request, name: 'ask' | 'helpers', text: string, args?: Record<string, string>): Promise<Reply> {
  if (name === 'helpers') return helpers(core, (args?.period ?? text).trim().toLowerCase());
  return ask(core, req, { ...(args?.title !== undefined ? { title: args.title } : {}), text: args?.text ?? text });
}

/** `/ask <question>`: tierdesk posts the question in this platform's peer channel. */
async function ask(core: Core, req: Request, raw: { title?: string; text: string }): Promise<Reply> {
  const platform = req.place.platform;
  const channel = core.config.peer.channels[platform]?.[0];
  if (channel === undefined) {
    throw new UserError('no_peer_channel', `There is no peer-support channel on ${platform} here. Open a ticket instead: /ticket new <title>`);
  }
  const text = questionText(raw);
  const similar = await similarKnowledge(core, `${text.title} ${text.body}`, 3, req.place);
  const space = req.place.space;
  const q = await change(core, req, (work) => createQuestion(core, work, req.actor, { platform, space, channel }, text, undefined, similar));
  const where = platform === 'console' ? `#${channel}` : platform === 'slack' ? `<#${channel}>` : `<#${channel}>`;
  const lines = [
    `Question Q${q.number} posted in ${where}. Helpers answer in its thread; mark the answer that solves it ("Mark as solution", or react ✅).`,
  ];
  if (similar.lines.length > 0) lines.push('', 'These may already answer it:', ...similar.lines);
  return { text: lines.join('\n') };
}

async function helpers(core: Core, raw: string): Promise<Reply> {
  const period: LeaderboardPeriod = raw === '' ? 'month' : isPeriod(raw) ? raw : badPeriod(raw);
  const rows = await leaderboard(core.db, periodStart(period, core.clock.now()), 10);
  const heading = period === 'all' ? 'Top helpers of all time' : `Top helpers, last ${period === 'week' ? '7' : '30'} days`;
  const text =
    rows.length === 0
      ? 'No points yet. Answer a question in the peer channel: an accepted solution or a thanks earns points.'
      : rows
          .map(
            (r, i) => `${i + 1}. ${r.name}: ${r.points} point${r.points === 1 ? '' : 's'} (${r.solutions} solution${r.solutions === 1 ? '' : 's'})`,
          )
          .join('\n');
  return { text: `${heading}\n${text}`, card: card({ title: heading, text, tone: 'info' }) };
}

function badPeriod(raw: string): never {
  throw new UserError('bad_period', `"${cleanLine(raw).slice(0, 20)}" is not a period. Usage: /helpers [week|month|all]`, 'period');
}

/** Buttons and message actions: `peer.solution` (with the message), `peer.keep N`. */
export async function peerAction(core: Core, req: Request, sub: string, value: string, _text?: string, about?: MessageRef): Promise<Reply> {
  if (sub === 'solution') {
    if (!about) throw new UserError('no_message', 'Use "Mark as solution" on the answer that solved the question.');
    const number = /^\d+$/.test(value.trim()) ? Number(value.trim()) : await questionAt(core, req.place);
    if (number === undefined) throw new UserError('not_a_question', "That message is not in a question's thread in a peer-support channel.");
    return change(core, req, async (work) => markSolution(core, work, req.actor, await loadQuestion(work, number), about));
  }
  if (sub === 'keep') {
    const number = questionNumber(value, '/peer keep <N>');
    return change(core, req, async (work) => {
      const q = await loadQuestion(work, number);
      if (!isAsker(q, req.actor.person) && !canModerate(core, req.actor)) {
        throw new UserError('not_asker', `Only ${q.asker.name}, who asked Q${number}, can keep it open.`);
      }
      if (q.status === 'deleted') return { text: `Q${number} was deleted.` };
      if (q.status === 'closed') return { text: `Q${number} is already closed; write in its thread to reopen it.` };
      await saveQuestion(work, q, { activity_at: work.now });
      await armStale(core, work, { ...q, activityAt: work.now });
      return { text: `Q${number} stays open. Helpers can still answer in its thread.` };
    });
  }
  if (sub === 'reopen') {
    // A closed Discord post is locked: the asker cannot write there, so this button is their way back.
    const number = questionNumber(value, '/peer reopen <N>');
    return change(core, req, async (work) => {
      const q = await loadQuestion(work, number);
      if (!isAsker(q, req.actor.person) && !canModerate(core, req.actor))
        throw new UserError('not_asker', `Only ${q.asker.name}, who asked Q${number}, or a moderator can reopen it.`);
      if (q.status === 'deleted') return { text: `Q${number} was deleted; ask again with /ask.` };
      if (q.status !== 'closed') return { text: `Q${number} is not closed.` };
      await reopenQuestion(core, work, q, req.actor.name);
      return { text: `Q${number} is open again.` };
    });
  }
  if (sub === 'metoo') {
    const m = /^Q?(\d{1,9})\s+Q?(\d{1,9})$/i.exec(value.trim());
    if (!m) throw new UserError('bad_question', 'Usage: /peer metoo <your question> <the same solved question>');
    const [mine, same] = [Number(m[1]), Number(m[2])];
    if (mine === same) throw new UserError('same_question', `Q${mine} cannot be the same as itself.`);
    return change(core, req, async (work) => {
      const q = await loadQuestion(work, mine);
      const other = await loadQuestion(work, same);
      if (!isAsker(q, req.actor.person))
        throw new UserError('not_asker', `Only ${q.asker.name}, who asked Q${mine}, can say it is the same as another question.`);
      if (q.status === 'closed' || q.status === 'deleted') return { text: `Q${mine} is already closed.` };
      if (other.status === 'deleted') throw new UserError('question_deleted', `Q${same} was deleted.`);
      await saveQuestion(work, q, { status: 'closed', closed_at: work.now });
      await work.cancelTimer(UNANSWERED_TIMER, String(mine));
      await work.cancelTimer(STALE_TIMER, String(mine));
      await work.post(
        questionThread(mine),
        card({
          title: `Same as Q${same}: ${other.title}`,
          text: `${q.asker.name} found their answer in Q${same}${other.link ? `: ${other.link}` : ''}. This thread is closed; write here to reopen it.`,
          tone: 'info',
        }),
      );
      await work.label(questionKey(mine), 'closed');
      await work.post(questionThread(same), card({ title: 'Me too', text: `${q.asker.name} had the same question (Q${mine}).`, tone: 'info' }));
      return { text: `Linked Q${mine} to Q${same}${other.link ? ` (${other.link})` : ''} and closed Q${mine}.` };
    });
  }
  throw new UserError('unknown_action', `Unknown peer action "${cleanLine(sub).slice(0, 30)}".`);
}

/** The question whose thread `place` is, if any. */
export async function questionAt(core: Core, place: Place): Promise<number | undefined> {
  if (place.thread === undefined) return undefined;
  const root = await findMessageByPlatformId(core.db, place.platform, place.channel, place.thread);
  const m = root ? /^question:(\d+)$/.exec(root.key) : null;
  return m ? Number(m[1]) : undefined;
}

type MessageEvent = Extract<Inbound, { kind: 'message' }>;

/**
 * A message in a peer channel: a new question (a top-level message, a forum post), or a message in
 * a question's thread (an answer, the asker's follow-up or thanks).
 */
export async function peerMessage(core: Core, req: Request, event: MessageEvent): Promise<Reply | void> {
  const starts = event.question === undefined && (event.place.thread === undefined || event.place.thread === event.id);
  if (starts) {
    if (event.id === undefined) return; // a platform that cannot name the message cannot have it answered
    if (cleanUserText(event.text).trim() === '' && (event.title ?? '').trim() === '') return; // an image or a file alone: nothing to ask
    // The post exists already: a long one is kept (clipped), not refused — its thread must still work.
    const text = questionText({ ...(event.title !== undefined ? { title: event.title } : {}), text: clipBody(event.text) });
    const similar = await similarKnowledge(core, `${text.title} ${text.body}`, 3, event.place);
    const place: Place = { platform: event.place.platform, space: event.place.space, channel: event.place.channel };
    await change(core, req, (work) =>
      createQuestion(core, work, req.actor, place, text, { id: event.id!, ...(event.link ? { link: event.link } : {}) }, similar),
    );
    return;
  }
  const number = event.question ?? (await questionAt(core, event.place));
  if (number === undefined) return; // a thread tierdesk does not track
  const q = await loadQuestion(core, number);
  if (q.status === 'deleted') return; // what is left of a deleted question's thread (Slack keeps replies)
  const asker = isAsker(q, req.actor.person);
  // While its ticket lives, the thread is the ticket's conversation; once closed, a peer thread again.
  if (q.ticket !== undefined && (await loadTicket(core.db, q.ticket)).status !== 'closed') return ticketThreadMessage(core, req, q, event.text);
  return change(core, req, async (work) => {
    const fresh = await loadQuestion(work, number);
    const patch: Parameters<typeof saveQuestion>[2] = { activity_at: work.now };
    const status = fresh.status;
    if (!asker && fresh.answeredAt === undefined) {
      patch.answered_at = work.now;
      await work.cancelTimer(UNANSWERED_TIMER, String(number));
    }
    if (fresh.status === 'closed' && asker) {
      await reopenQuestion(core, work, fresh, req.actor.name, patch);
      return;
    }
    await saveQuestion(work, fresh, patch);
    if (!asker) await addParticipant(work.db, number, personKey(req.actor.person));
    const after: Question = { ...fresh, status, activityAt: work.now, revision: fresh.revision + 1 };
    await armStale(core, work, after);
    if (asker && saysThanks(event.text)) await thank(core, work, req, after, event);
  });
}

/** The asker thanks people by mentioning them: each earns thanks points (within the caps). */
async function thank(core: Core, work: Parameters<typeof award>[1], req: Request, q: Question, event: MessageEvent): Promise<void> {
  const ids = mentionedIds(event.text, event.place.platform).slice(0, 5);
  for (const id of ids) {
    const person: Person = resolvePerson(core, event.place.platform, event.place.space, id);
    // Only someone who helped in this thread: a thanks to a friend who never wrote here pays nothing.
    if (isAsker(q, person) || !(await isParticipant(work.db, q.number, personKey(person)))) continue;
    await award(core, work, q, person, person.name, 'thanks', event.id ?? req.key ?? `${work.now}`, req.actor.person);
  }
}

function resolvePerson(core: Core, platform: Person['platform'], space: string, id: string): Person {
  if (platform === 'console') {
    const configured = core.directory.people.find((p) => p.console === id || p.id === id);
    return { platform, space, id: configured?.console ?? id, name: configured?.name ?? id };
  }
  const actor = core.directory.actor({ platform, space, id, name: id });
  return { platform, space, id, name: actor.name };
}

/**
 * A question that became a ticket: the asker's messages in the thread reach the agents (like any
 * requester's); an agent writing there answers in public, which is the ticket's first response.
 */
async function ticketThreadMessage(core: Core, req: Request, q: Question, text: string): Promise<Reply | void> {
  const number = q.ticket!;
  if (isAsker(q, req.actor.person)) return requesterMessage(core, req, number, text);
  if (!core.directory.isAgent(req.actor)) return; // another member helping: the thread is public anyway
  const clean = cleanUserText(text).trim();
  if (clean === '') return;
  await change(core, req, async (work) => {
    const t = await loadTicket(work.db, number);
    if (t.status === 'closed') return;
    await recordReply(core, work, req.actor, t, clean.slice(0, 4000), 'in-thread');
  });
}

/** A ✅ reaction in a question's thread: the asker's marks the reacted answer as a solution. Others are just reactions. */
export async function peerReaction(core: Core, req: Request, event: Extract<Inbound, { kind: 'reaction' }>): Promise<Reply | void> {
  if (!isSolutionEmoji(event.emoji) || event.author === undefined) return;
  const number = await questionAt(core, event.place);
  if (number === undefined) return;
  const q = await loadQuestion(core, number);
  if (!isAsker(q, req.actor.person)) return; // a ✅ from anyone else is only a reaction
  const root = await findMessage(core.db, questionKey(number));
  if (root?.message_id === event.message) return; // a reaction on the question itself
  const about: MessageRef = { id: event.message, author: event.author, text: event.text ?? '', ...(event.link ? { link: event.link } : {}) };
  return change(core, req, async (work) => markSolution(core, work, req.actor, await loadQuestion(work, number), about));
}

/** Reopen a closed question: back to solved if it had a solution, else open; labelled and announced. */
async function reopenQuestion(
  core: Core,
  work: Work,
  q: Question,
  by: string,
  patch: Parameters<typeof saveQuestion>[2] = {},
): Promise<Question['status']> {
  const status = q.solvedAt !== undefined ? 'solved' : 'open';
  await saveQuestion(work, q, { ...patch, status, closed_at: null, activity_at: work.now });
  await work.label(questionKey(q.number), status);
  await work.post(
    questionThread(q.number),
    card({ title: `Q${q.number} is open again`, text: `${by} brought this question back. Helpers, have a look!`, tone: 'info' }),
  );
  await armStale(core, work, { ...q, status, activityAt: work.now, revision: q.revision + 1 });
  // Still never answered by anyone else: its clock starts again from now (ping, then ticket).
  if (status === 'open' && q.answeredAt === undefined && q.ticket === undefined) await armUnanswered(core, work, q, work.now);
  return status;
}

/** A hand-made question's words, cut to what a question keeps (the platform has the whole post). */
function clipBody(text: string): string {
  const marker = '\n… (cut; the whole question is in the post)';
  return text.length > QUESTION_BODY_MAX ? `${text.slice(0, QUESTION_BODY_MAX - marker.length)}${marker}` : text;
}

/** `3` or `Q3`: a question number, or a refusal naming the usage. */
function questionNumber(value: string, usage: string): number {
  const m = /^Q?(\d{1,9})$/i.exec(value.trim());
  if (!m) throw new UserError('bad_question', `Which question? Usage: ${usage}`);
  return Number(m[1]);
}
