import { supportFlag } from '../../domain/support-window.js';
import { canDo, label } from '../../domain/ticket.js';
import type { Card, CardButton, CardField } from '../../ports.js';
import type { Directory } from '../../core/directory.js';
import { card, clip, formatInstant } from '../../core/render.js';
import type { Ticket } from './ticket-model.js';

function ticketFields(t: Ticket, dir: Directory): CardField[] {
  const tier = dir.tier(t.tier);
  const fields: CardField[] = [
    { label: 'Priority', value: `${t.priority} (impact ${t.impact}, urgency ${t.urgency})` },
    { label: 'Status', value: label(t.status) },
    { label: 'Tier', value: tier ? `${tier.id} ${tier.name}` : t.tier },
    { label: 'Requester', value: t.requester.name },
    { label: 'Assignee', value: t.assignee ? (t.assigneeName ?? dir.nameOf(t.assignee)) : 'unclaimed' },
  ];
  if (t.category) fields.push({ label: 'Category', value: t.category });
  if (t.product) {
    const flag = supportFlag(dir.products, t.product, t.version, t.createdAt);
    fields.push({ label: 'Product', value: `${t.version ? `${t.product} ${t.version}` : t.product}${flag ? ` ${flag}` : ''}` });
  }
  return fields;
}

/** The buttons that can work on the ticket now; each has a `/ticket` command twin. */
function agentButtons(t: Ticket, dir: Directory): CardButton[] {
  const n = String(t.number);
  const buttons: CardButton[] = [];
  if (canDo(t.status, 'claim'))
    buttons.push({ action: 'claim', label: t.assignee ? 'Take over' : 'Claim', value: t.assignee ? `${n} --force` : n, style: 'primary' });
  if (canDo(t.status, 'agent_reply') && t.status !== 'resolved') buttons.push({ action: 'reply', label: 'Reply to requester', value: n });
  if (canDo(t.status, 'wait')) buttons.push({ action: 'wait', label: 'Waiting on requester', value: n });
  if (canDo(t.status, 'escalate') && dir.nextTier(t.tier)) buttons.push({ action: 'escalate', label: 'Escalate', value: n });
  if (canDo(t.status, 'resolve')) buttons.push({ action: 'resolve', label: 'Resolve', value: n, style: 'primary' });
  if (t.status !== 'resolved' && t.status !== 'closed' && dir.nextTier(t.tier)) buttons.push({ action: 'consult', label: 'Consult', value: n });
  if (t.status === 'resolved') buttons.push({ action: 'reopen', label: 'Reopen', value: n });
  // The core checks the tier (config kb.authors); the card is the same for every tier's agents.
  if (t.status === 'resolved' || t.status === 'closed') buttons.push({ action: 'kb.save', label: 'Save as article', value: `ticket ${n}` });
  return buttons;
}

/** The card in a tier's agent channel: the ticket's state and what can be done with it. */
export function agentCard(t: Ticket, dir: Directory, extraFields: CardField[] = [], opts: { full?: boolean } = {}): Card {
  // A channel card stays short; `/ticket show` has the whole description.
  const description = opts.full ? t.description : clip(t.description, 1500, ` (cut: /ticket show ${t.number} has the rest)`);
  const text = [description, t.resolution ? `Resolved: ${t.resolution}` : ''].filter(Boolean).join('\n');
  const title = `🎫 #${t.number} ${t.title}`;
  const rest = {
    fields: [...ticketFields(t, dir), ...extraFields],
    buttons: agentButtons(t, dir),
    tone: t.status === 'resolved' || t.status === 'closed' ? ('success' as const) : ('info' as const),
    context: `Opened ${formatInstant(t.createdAt)} by ${t.requester.name} · updated ${formatInstant(t.updatedAt)}`,
  };
  // The text (when there is one) second, as cards always had it; no spread in the middle (see `card`).
  return card(text ? Object.assign({ title, text }, rest) : Object.assign({ title }, rest));
}

/** What the old tier's card says after the ticket moved up the ladder. */
export function escalatedAwayCard(t: Ticket, fromTier: string, toTier: string, by: string, reason: string, dir: Directory): Card {
  const to = dir.tier(toTier);
  return card({
    title: `🎫 #${t.number} ${t.title}`,
    text: `⤴ Escalated from ${fromTier} to ${to ? `${to.id} ${to.name}` : toTier} by ${by}: ${reason}`,
    fields: ticketFields(t, dir).filter((f) => f.label === 'Priority' || f.label === 'Requester'),
    tone: 'info',
    context: `Escalated ${formatInstant(t.updatedAt)}`,
  });
}

/** The requester's anchor message: the conversation about their ticket happens under it. */
export function requesterCard(t: Ticket, dir: Directory, opts: { full?: boolean } = {}): Card {
  const tier = dir.tier(t.tier);
  const next =
    t.status === 'resolved'
      ? `Resolved: ${t.resolution ?? ''}\nConfirm with /ticket confirm ${t.number}, or reopen it with /ticket reopen ${t.number}.`
      : t.status === 'closed'
        ? 'This ticket is closed.'
        : t.status === 'waiting_on_requester'
          ? 'We are waiting for your answer: reply here.'
          : 'Reply here to add details.';
  return card({
    title: `🎫 Ticket #${t.number}: ${t.title}`,
    text: opts.full && t.description ? `${t.description}\n\n${next}` : next,
    fields: [
      { label: 'Priority', value: t.priority },
      { label: 'Status', value: label(t.status) },
      { label: 'With', value: tier ? tier.name : t.tier },
    ],
    tone: t.status === 'resolved' || t.status === 'closed' ? 'success' : 'info',
  });
}

/** A line of the conversation. Tone and wording make a note impossible to mistake for a reply. */
export function conversationCard(kind: 'requester' | 'reply' | 'reply-echo' | 'note' | 'notice', t: Ticket, who: string, text: string): Card {
  switch (kind) {
    case 'requester':
      return card({ title: `💬 ${who} (requester) on #${t.number}`, text, tone: 'public' });
    case 'reply':
      return card({ title: `💬 ${who} on #${t.number}`, text, tone: 'public' });
    case 'reply-echo':
      return card({ title: `↪ ${who} replied to the requester on #${t.number}`, text, tone: 'public' });
    case 'note':
      return card({ title: `🔒 Internal note by ${who} on #${t.number} (not visible to the requester)`, text, tone: 'note' });
    case 'notice':
      return card({ title: `ℹ #${t.number}: ${text}`, tone: 'info' });
  }
}
