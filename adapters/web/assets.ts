/** The dashboard's only script and stylesheet, served by tierdesk itself (no CDN). */

/**
 * Live updates: the server says which tickets changed (Server-Sent Events); the page re-fetches
 * itself and swaps its `#live` part, unless the person is typing there (then it waits for them).
 */
export const LIVE_JS = `(() => {
  const status = document.getElementById('live-status');
  const ticket = document.body.dataset.ticket;
  let pending = false;
  const typing = () => {
    const a = document.activeElement;
    return a && /^(TEXTAREA|INPUT|SELECT)$/.test(a.tagName) && a.type !== 'hidden' && a.value !== '' && a.closest('#live');
  };
  async function refresh() {
    if (typing()) { pending = true; return; }
    pending = false;
    // Marked as a refresh: the one-line notice a form left is for the page the person sees, not for this.
    const res = await fetch(location.href, { credentials: 'same-origin', headers: { 'x-tierdesk-refresh': '1' } });
    if (!res.ok) return;
    const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    const fresh = doc.getElementById('live');
    const here = document.getElementById('live');
    if (fresh && here) here.replaceWith(fresh);
    if (status) status.textContent = 'Updated ' + new Date().toLocaleTimeString();
    document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed || '0') + 1);
  }
  document.addEventListener('focusout', () => { if (pending) setTimeout(refresh, 0); });
  if (!window.EventSource || !document.getElementById('live')) return;
  const events = new EventSource('/events');
  events.addEventListener('open', () => { document.body.dataset.live = 'on'; });
  events.addEventListener('tickets', (e) => {
    const changed = JSON.parse(e.data);
    if (ticket !== undefined && !changed.includes(Number(ticket))) return;
    refresh();
  });
})();
`;

export const APP_CSS = `
:root { color-scheme: light; --ink: #1b1f23; --muted: #57606a; --line: #d0d7de; --accent: #0a58ca; --bad: #a40e26; --warn: #7d4e00; --ok: #116329; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, sans-serif; color: var(--ink); margin: 0; background: #fff; }
header { display: flex; gap: 1rem; align-items: center; padding: .6rem 1rem; border-bottom: 1px solid var(--line); }
header nav { display: flex; gap: 1rem; align-items: center; flex: 1; }
.who { margin-left: auto; color: var(--muted); }
.brand { font-weight: 700; color: var(--ink); text-decoration: none; }
main { padding: 1rem; max-width: 72rem; }
a { color: var(--accent); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
.muted { color: var(--muted); padding: 0 1rem; }
.breached { color: var(--bad); font-weight: 600; }
.warning { color: var(--warn); }
form.inline { display: inline; }
form.filters, form.action { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin: .5rem 0 1rem; }
label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); }
textarea { min-width: 22rem; min-height: 4rem; }
button, a.button { display: inline-block; text-decoration: none; font: inherit; padding: .3rem .8rem; border: 1px solid var(--line); border-radius: 6px; background: #f6f8fa; color: var(--ink); cursor: pointer; }
button.primary, a.button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
.flash { border: 1px solid var(--line); border-left: 4px solid var(--accent); padding: .5rem .8rem; margin: .5rem 0; }
.note { background: #fff8c5; border-left: 4px solid #9a6700; padding: .4rem .6rem; }
.msg { border-left: 4px solid var(--line); padding: .4rem .6rem; margin: .4rem 0; white-space: pre-wrap; }
dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dt { color: var(--muted); }
dd { margin: 0; }
pre.history { white-space: pre-wrap; font-size: .85rem; }
section { margin: 1.2rem 0; }
header nav a[aria-current="page"] { font-weight: 700; color: var(--ink); text-decoration-thickness: 3px; }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.pair { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1rem; align-items: start; margin: 1rem 0 1.6rem; }
.pair figure { margin: 0; }
@media (max-width: 900px) { .pair { grid-template-columns: 1fr; } }
svg.chart { width: 100%; height: auto; }
table.data { font-size: .85rem; }
table.data caption, table caption { text-align: left; font-weight: 600; padding: .3rem 0; }
table.data td { font-variant-numeric: tabular-nums; }
table.data th[scope="row"] { white-space: nowrap; }
form.article { display: grid; gap: .6rem; max-width: 48rem; }
form.article textarea { min-height: 14rem; font-family: ui-monospace, monospace; }
ul.articles { padding-left: 1.2rem; }
.markdown { max-width: 48rem; }
.markdown pre { background: #f6f8fa; padding: .6rem; overflow-x: auto; }
`;
