/**
 * A ticket's transcript as data: its fields, and its conversation in order. The requester's copy
 * holds what was said to or by them; the agents' copy also every internal note and every event
 * written for agents (claims, escalations, SLA warnings...). Renderers (HTML, text) only format it.
 */
import { label } from '../../domain/ticket.js';
import { formatInstant } from '../../core/render.js';
import type { Core } from '../../core/work.js';
import type { Db } from '../../store/connect.js';
import { listEvents } from '../../store/events.js';
import { loadTicket, type Ticket } from '../tickets/ticket-model.js';
import { describeEvent, isPublicEvent } from '../tickets/ticket-events.js';

export type Audience = 'agents' | 'requester';

/** `message`: words said in the conversation; `note`: an internal note; `event`: something that happened. */
export interface TranscriptEntry {
  at: number;
  who: string;
  kind: 'message' | 'note' | 'event';
  /** What was said, or what happened, in words. */
  text: string;
  /** A heading for the words (`resolved it`, `asked`) when the words alone would not say it. */
  label?: string;
}

export interface Transcript {
  number: number;
  title: string;
  audience: Audience;
  fields: Array<{ label: string; value: string }>;
  entries: TranscriptEntry[];
  renderedAt: number;
}

/** Events that are words said in the conversation, and how each is headed; their text is the words. */
const WORDS: Readonly<Record<string, { key: string; label?: string }>> = {
  replied: { key: 'text' },
  requester_message: { key: 'text' },
  note: { key: 'text', label: 'internal note' },
};

/**
 * Build ticket `number`'s transcript for `audience` from its fields and its history. What the
 * requester's copy holds is what their `/ticket history` shows (tickets/ticket-events.ts decides
 * which kinds are public), with the words said in full.
 */
export async function buildTranscript(core: Core, db: Db, number: number, audience: Audience, now: number): Promise<Transcript> {
  const t = await loadTicket(db, number);
  const entries: TranscriptEntry[] = [];
  for (const e of await listEvents(db, number)) {
    if (audience === 'requester' && !isPublicEvent(e.kind)) continue;
    const { actor, data, at } = e;
    const who = actor.kind === 'system' ? 'tierdesk' : (actor.name ?? 'someone');
    const words = WORDS[e.kind];
    if (e.kind === 'opened') entries.push({ at, who, kind: 'message', label: 'opened the ticket', text: t.description || t.title });
    else if (words)
      entries.push({
        at,
        who,
        kind: e.kind === 'note' ? 'note' : 'message',
        text: str(data[words.key]),
        ...(words.label ? { label: words.label } : {}),
      });
    else {
      const byRequester =
        actor.kind === 'person' && actor.platform === t.requester.platform && actor.space === t.requester.space && actor.id === t.requester.id;
      const line = describeEvent(e.kind, audience, { data, actor, byRequester, directory: core.directory });
      if (line !== undefined) entries.push({ at, who, kind: 'event', text: line });
    }
  }
  return { number, title: t.title, audience, fields: fieldsOf(core, t, audience), entries, renderedAt: now };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));

/** The ticket's fields: for the requester, only those their own card shows, and the dates. */
function fieldsOf(core: Core, t: Ticket, audience: Audience): Transcript['fields'] {
  const tier = core.directory.tier(t.tier);
  const fields = [
    { label: 'Ticket', value: `#${t.number}` },
    { label: 'Title', value: t.title },
    { label: 'Status', value: label(t.status) },
  ];
  if (audience === 'requester') fields.push({ label: 'Priority', value: t.priority }, { label: 'With', value: tier ? tier.name : t.tier });
  else {
    fields.push(
      { label: 'Priority', value: `${t.priority} (impact ${t.impact}, urgency ${t.urgency})` },
      { label: 'Tier', value: tier ? `${tier.id} ${tier.name}` : t.tier },
      { label: 'Requester', value: t.requester.name },
      { label: 'Assignee', value: t.assignee ? (t.assigneeName ?? core.directory.nameOf(t.assignee)) : 'unclaimed' },
    );
    if (t.category) fields.push({ label: 'Category', value: t.category });
    if (t.product) fields.push({ label: 'Product', value: t.version ? `${t.product} ${t.version}` : t.product });
  }
  fields.push({ label: 'Opened', value: formatInstant(t.createdAt) });
  if (t.resolvedAt !== undefined) fields.push({ label: 'Resolved', value: formatInstant(t.resolvedAt) });
  if (t.closedAt !== undefined) fields.push({ label: 'Closed', value: formatInstant(t.closedAt) });
  if (t.resolution) fields.push({ label: 'Resolution', value: t.resolution });
  return fields;
}
