import type { Card, CardButton, CardField } from '../../ports.js';
import type { Article } from './model.js';
import { card, clip, formatInstant } from '../../core/render.js';

/** How long an article body may be inside a card; `/kb show` says where the rest is. */
const CARD_BODY_MAX = 3500;

export function sourceLabel(a: Pick<Article, 'source'>): string | undefined {
  if (!a.source) return undefined;
  return a.source.kind === 'ticket' ? `ticket #${a.source.ref}` : `question #${a.source.ref}`;
}

const STATE_LABEL: Record<Article['state'], string> = { draft: 'draft (not searchable yet)', published: 'published', deleted: 'deleted' };

/**
 * The article as a card: title, body, tags, votes, source and state. Buttons: votes on a published
 * article; Publish on a draft when the viewer may publish.
 */
export function articleCard(a: Article, opts: { canPublish: boolean; solved?: number }): Card {
  const fields: CardField[] = [{ label: 'State', value: STATE_LABEL[a.state] }];
  // No Tags field without tags: forms that prefill from this card (Slack's edit modal) read it as the tag list.
  if (a.tags.length > 0) fields.push({ label: 'Tags', value: a.tags.join(', ') });
  fields.push({ label: 'Votes', value: `${a.helpful} helpful · ${a.notHelpful} not helpful` });
  if (opts.solved !== undefined && opts.solved > 0)
    fields.push({ label: 'Answered before a ticket', value: `${opts.solved} time${opts.solved === 1 ? '' : 's'}` });
  const source = sourceLabel(a);
  if (source) fields.push({ label: 'Source', value: source });
  fields.push({ label: 'Author', value: a.author.name });
  const buttons: CardButton[] = [];
  if (a.state === 'published') {
    buttons.push({ action: 'kb.vote', label: 'Helpful', value: `${a.id} helpful`, style: 'primary' });
    buttons.push({ action: 'kb.vote', label: 'Not helpful', value: `${a.id} not-helpful` });
  }
  if (a.state === 'draft' && opts.canPublish) buttons.push({ action: 'kb.publish', label: 'Publish', value: String(a.id), style: 'primary' });
  return card({
    title: `📘 Article #${a.id}: ${a.title}`,
    text: clip(a.body, CARD_BODY_MAX, ' (cut here; the full article is longer)'),
    fields,
    ...(buttons.length > 0 ? { buttons } : {}),
    tone: a.state === 'published' ? 'info' : 'note',
    context: `Version ${a.version} · updated ${formatInstant(a.updatedAt)} · /kb history ${a.id}`,
  });
}
