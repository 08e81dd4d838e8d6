/**
 * Where transcripts go: on close, the agents' copy to the transcripts channel of the ticket's
 * platform and the requester's copy to their DM (with `transcripts.to_requester`); on demand
 * (`/ticket transcript N`), as text in the answer and as a file in the asker's DM.
 */
import { card, clip } from '../../core/render.js';
import type { Request } from '../../core/request.js';
import { assertCanSee, viewOf } from '../tickets/access.js';
import { inTransaction, type Core, type Target, type Work } from '../../core/work.js';
import type { Card, OutboundFile, Place, Platform, Reply } from '../../ports.js';
import { loadTicket } from '../tickets/ticket-model.js';
import { renderHtml, renderText } from './render.js';
import { buildTranscript, type Audience, type Transcript } from './transcript.js';

/**
 * The most text `/ticket transcript` answers with, per surface: Discord's message content holds
 * 2,000 characters, a Slack section block 3,000. The file, where it can be sent, has the rest.
 */
const ANSWER_LIMIT: Readonly<Record<Platform, number>> = { discord: 1900, slack: 2900, console: 1024 * 1024, web: 64 * 1024, webhook: 0 };

/** The hook on `ticket.closed`: the agents' copy to the transcripts channel, the requester's by DM. */
export async function sendTranscripts(core: Core, work: Work, number: number): Promise<void> {
  const t = await loadTicket(work.db, number);
  const channel = transcriptsChannel(core, t.requester.platform, t.requester.space);
  if (channel) await sendCopy(core, work, { kind: 'place', place: channel }, await buildTranscript(core, work.db, number, 'agents', work.now));
  if (core.config.transcripts.toRequester)
    await sendCopy(core, work, { kind: 'direct', person: t.requester }, await buildTranscript(core, work.db, number, 'requester', work.now));
}

/** The transcripts channel for a ticket raised on `platform`: its own, else the first configured. */
function transcriptsChannel(core: Core, platform: Platform, space: string): Place | undefined {
  const channels = core.config.transcripts.channels;
  const own = channels[platform];
  if (own !== undefined) return { platform, space, channel: own };
  for (const p of ['slack', 'discord', 'console'] as const) {
    const c = channels[p];
    if (c !== undefined) return { platform: p, space: p === 'console' ? 'local' : '', channel: c };
  }
  return undefined;
}

async function sendCopy(core: Core, work: Work, target: Target, t: Transcript): Promise<void> {
  const message = card({
    title: `📄 Transcript of #${t.number}: ${t.title}`,
    text: `${t.audience === 'agents' ? "The agents' copy, internal notes included." : 'Your copy of the conversation.'} ${t.entries.length} entries.`,
    tone: 'info',
  });
  const fallback = card({
    title: `📄 Transcript of #${t.number}: ${t.title}`,
    text: `The transcript is ready: /ticket transcript ${t.number} shows it.`,
    tone: 'info',
  });
  await work.upload(target, transcriptFile(t), message, { ticket: t.number, fallback });
}

/** A transcript as the file chat uploads and the dashboard offers to download. */
export function transcriptFile(t: Transcript): OutboundFile {
  return { name: `ticket-${t.number}-transcript.html`, mime: 'text/html; charset=utf-8', content: renderHtml(t) };
}

/**
 * `/ticket transcript N`: the requester gets their own ticket's public copy, agents the full one.
 * The text comes in the answer (trimmed to what the surface shows); the HTML file goes to the
 * asker's DM where the platform takes files (nothing is sent where it does not).
 */
export async function transcriptOnDemand(core: Core, req: Request, number: number): Promise<Reply> {
  const t = await loadTicket(core.db, number);
  assertCanSee(core, req.actor, t);
  const audience: Audience = viewOf(core, req.actor);
  return inTransaction(core, async (work) => {
    const transcript = await buildTranscript(core, work.db, number, audience, work.now);
    const limit = ANSWER_LIMIT[req.place.platform];
    const text = clip(renderText(transcript, limit), limit);
    const trimmed = text.length < renderText(transcript).length;
    const message: Card = card({ title: `📄 Transcript of #${number}: ${transcript.title}`, tone: 'info' });
    await work.upload({ kind: 'direct', person: req.actor.person }, transcriptFile(transcript), message, { ticket: number });
    return { text: trimmed ? `${text}\n(Trimmed here: the whole transcript is in the file sent to your DM.)` : text };
  });
}
