/**
 * HTML for the dashboard: every value is escaped unless it is already `Html` built here, so user
 * text (a ticket titled `<img src=x onerror=alert(1)>`) is always text.
 */

/** Markup built by `html` (trusted): the only thing inserted unescaped. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

type Value = Html | string | number | undefined | null | false | readonly Value[];

function render(v: Value): string {
  if (v === undefined || v === null || v === false) return '';
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

/** A tagged template: `html\`<p>${title}</p>\`` escapes `title`. */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => (out += render(v) + strings[i + 1]!));
  return new Html(out);
}

export interface PageChrome {
  title: string;
  /** The signed-in person's name, and the CSRF token for the sign-out form. */
  who?: { name: string; csrf: string; role: string; nav: readonly string[] };
  /** `data-ticket` on the body: the live script refreshes this page only when that ticket changes. */
  ticket?: number;
  /** The navigation link of this page (`/`, `/reports`, `/oncall`, `/kb`, `/tokens`), marked as the current one. */
  current?: string;
  main: Html;
}

/** The pages in the navigation; one that shows what a command shows is linked only for who may run it (`shows`). */
export const NAV: ReadonlyArray<{ href: string; label: string; shows?: { command: string; sub: string } }> = [
  { href: '/', label: 'Queue' },
  { href: '/reports', label: 'Reports', shows: { command: 'ticket', sub: 'stats' } },
  { href: '/oncall', label: 'On call' },
  { href: '/kb', label: 'Knowledge base' },
  { href: '/tokens', label: 'API and calendar' },
];

/** A page's answer: the page, or one line saying why not (shown with the navigation). */
export type PageAnswer = { status: 200; html: string } | { status: 400 | 403 | 404; text: string };

/** A table of the numbers a chart draws, so they can be read without it (and by screen readers). */
export function dataTable(caption: string, headers: string[], rows: Array<Array<string | number | null>>): Html {
  return html`<table class="data">
    <caption>
      ${caption}
    </caption>
    <thead>
      <tr>
        ${headers.map((h) => html`<th scope="col">${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (r) =>
          html`<tr>
            ${r.map((c, i) => (i === 0 ? html`<th scope="row">${c ?? '—'}</th>` : html`<td>${c ?? '—'}</td>`))}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** A whole page: no inline script or style (the CSP forbids them); the live script is a file we serve. */
export function page(p: PageChrome): string {
  const nav = p.who
    ? html`<nav aria-label="Main">
        ${NAV.filter((l) => p.who!.nav.includes(l.href)).map(
          (l) => html`<a href="${l.href}" ${l.href === p.current ? html` aria-current="page"` : ''}>${l.label}</a>`,
        )}
        <span class="who">${p.who.name} (${p.who.role})</span>
        <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${p.who.csrf}" /><button>Sign out</button></form>
      </nav>`
    : html``;
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title} · tierdesk</title><link rel="stylesheet" href="/assets/app.css"><script src="/assets/live.js" defer></script></head>
<body${p.ticket !== undefined ? html` data-ticket="${p.ticket}"` : ''}><header><a class="brand" href="/">tierdesk</a>${nav}</header>
<main id="main">${p.main}</main><p id="live-status" class="muted" role="status" aria-live="polite"></p></body></html>`}`;
}

/** A short page with one message (errors, sign-in). */
export function messagePage(title: string, text: string | Html, who?: PageChrome['who']): string {
  return page({
    title,
    ...(who ? { who } : {}),
    main: html`<h1>${title}</h1>
      <p>${text}</p>`,
  });
}
