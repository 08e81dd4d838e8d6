/**
 * The two forms of a transcript: a self-contained HTML page (readable offline: inline CSS only, no
 * script, no remote resource, a Content-Security-Policy that forbids both should escaping ever
 * fail, every user text escaped) and plain text. A transcript larger than its limit keeps its
 * beginning and its end and says how many entries were left out between them.
 */
import { formatInstant } from '../../core/render.js';
import type { Transcript, TranscriptEntry } from './transcript.js';

/**
 * The most a transcript file holds: 8 MiB. Discord's smallest attachment limit (a server without
 * boosts) is 10 MiB per message; Slack takes up to 1 GB. Staying 2 MiB under Discord's limit leaves
 * room for the request around the file, and keeps an outbox row (which carries the file until it
 * is delivered) a reasonable size.
 */
export const FILE_LIMIT_BYTES = 8 * 1024 * 1024;

/** How one form writes a transcript's parts. */
interface Form {
  head(t: Transcript): string;
  entry(e: TranscriptEntry): string;
  gap(left: number, limitBytes: number): string;
  tail(t: Transcript): string;
}

/** Text of a person's words, escaped for HTML text and attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const CSS = `body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f;background:#fff}
h1{font-size:1.4rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0;white-space:pre-wrap}
ol{list-style:none;padding:0}li{border-left:3px solid #8ab4f8;margin:.8rem 0;padding:.3rem .8rem}li.note{border-color:#e8a33d;background:#fff7e6}
li.event{border-color:#ccc;color:#555}li.gap{border-color:#d33;color:#a00}.meta{font-size:.85rem;color:#666}.text{white-space:pre-wrap;overflow-wrap:anywhere}`;

const html: Form = {
  head: (t) =>
    [
      '<!doctype html>',
      '<html lang="en"><head><meta charset="utf-8">',
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      `<title>${escapeHtml(`#${t.number} ${t.title}`)}</title>`,
      `<style>${CSS}</style></head><body>`,
      `<h1>${escapeHtml(`Transcript of #${t.number}: ${t.title}`)}</h1>`,
      `<p class="meta">${t.audience === 'agents' ? "Agents' copy: internal notes included." : 'Your copy of the conversation.'}</p>`,
      '<dl>',
      ...t.fields.map((f) => `<dt>${escapeHtml(f.label)}</dt><dd>${escapeHtml(f.value)}</dd>`),
      '</dl><ol>',
      '',
    ].join('\n'),
  entry: (e) =>
    `<li class="${e.kind}"><div class="meta">${escapeHtml(`${formatInstant(e.at)} · ${e.who}${e.label ? ` · ${e.label}` : ''}`)}</div>` +
    `<div class="text">${escapeHtml(e.text)}</div></li>\n`,
  gap: (left, limit) => `<li class="gap">${escapeHtml(gapNote(left, limit))}</li>\n`,
  tail: (t) => `</ol><p class="meta">Rendered ${escapeHtml(formatInstant(t.renderedAt))} by tierdesk.</p></body></html>\n`,
};

const text: Form = {
  head: (t) =>
    [
      `Transcript of #${t.number}: ${t.title}`,
      t.audience === 'agents' ? "Agents' copy: internal notes included." : 'Your copy of the conversation.',
      '',
      ...t.fields.map((f) => `${f.label}: ${f.value}`),
      '',
      '',
    ].join('\n'),
  entry: (e) => {
    const heading = `[${formatInstant(e.at)}] ${e.who}${e.kind === 'note' ? ' (internal note)' : e.label ? ` (${e.label})` : ''}:`;
    return `${heading}\n${e.text.replace(/^/gm, '  ')}\n\n`;
  },
  gap: (left, limit) => `[…] ${gapNote(left, limit)}\n\n`,
  tail: (t) => `Rendered ${formatInstant(t.renderedAt)} by tierdesk.\n`,
};

function gapNote(left: number, limitBytes: number): string {
  const limit = limitBytes >= 1024 * 1024 ? `${Math.round(limitBytes / 1024 / 1024)} MB` : `${limitBytes.toLocaleString('en-US')} bytes`;
  return `${left} ${left === 1 ? 'entry' : 'entries'} left out here: the whole transcript would exceed ${limit}. /ticket history has every entry.`;
}

/** The transcript as a self-contained HTML page of at most `limitBytes`. */
export function renderHtml(t: Transcript, limitBytes = FILE_LIMIT_BYTES): string {
  return within(html, t, limitBytes);
}

/** The transcript as plain text of at most `limitBytes`. */
export function renderText(t: Transcript, limitBytes = FILE_LIMIT_BYTES): string {
  return within(text, t, limitBytes);
}

const size = (s: string) => Buffer.byteLength(s, 'utf8');

/** Everything if it fits; else the first entries and the last ones (half the room each) around a note. */
function within(form: Form, t: Transcript, limit: number): string {
  const head = form.head(t);
  const tail = form.tail(t);
  const parts = t.entries.map((e) => form.entry(e));
  const total = size(head) + size(tail) + parts.reduce((n, p) => n + size(p), 0);
  if (total <= limit) return head + parts.join('') + tail;
  // Room for the entries once the frame and the note (at its longest) are written.
  let room = limit - size(head) - size(tail) - size(form.gap(parts.length, limit));
  const first: string[] = [];
  const last: string[] = [];
  let half = Math.floor(room / 2);
  for (const p of parts) {
    if (size(p) > half) break;
    first.push(p);
    half -= size(p);
    room -= size(p);
  }
  for (let i = parts.length - 1; i >= first.length; i--) {
    const p = parts[i]!;
    if (size(p) > room) break;
    last.unshift(p);
    room -= size(p);
  }
  return head + first.join('') + form.gap(parts.length - first.length - last.length, limit) + last.join('') + tail;
}
