/**
 * `/tokens`: a signed-in person's own personal API tokens (create one, shown once; revoke one) and
 * their calendar feed's address (./ical.ts). Nobody manages another person's tokens here; the
 * operator has `tierdesk tokens`.
 */
import type { Core } from '../../src/core/work.js';
import { formatInstant } from '../../src/core/render.js';
import { listApiTokens, revokeApiToken } from '../../src/store/api-tokens.js';
import { createApiToken, TOKEN_SCOPES, type TokenScope } from './api-tokens.js';
import { html, page, type Html } from './html.js';
import { chromeOf, type Viewer } from './viewer.js';
import { feedToken, renewFeedToken } from './ical.js';

export interface TokensAnswer {
  status: number;
  html: string;
  headers?: Record<string, string>;
}

/**
 * `/tokens` (GET), `/tokens` (POST: create), `/tokens/ID/revoke`, `/tokens/feed/reset`; undefined for
 * any other path. `form` is the posted form, already checked for its CSRF token; `base` the public URL.
 */
export async function tokensAnswer(
  core: Core,
  site: { secret: string; base: string },
  v: Viewer,
  path: string,
  form: URLSearchParams | undefined,
): Promise<TokensAnswer | undefined> {
  const feed = async () => `${site.base}/oncall/people/${encodeURIComponent(v.personId)}.ics?token=${await feedToken(core, site.secret, v.personId)}`;
  if (!form) return path === '/tokens' ? { status: 200, html: await tokensHtml(core, v, undefined, undefined, await feed()) } : undefined;
  const revoke = /^\/tokens\/([a-z0-9]{1,40})\/revoke$/.exec(path);
  if (revoke) return { status: 200, html: await tokensHtml(core, v, undefined, await revokeOwnToken(core, v, revoke[1]!), await feed()) };
  if (path === '/tokens/feed/reset') {
    await renewFeedToken(core, site.secret, v.personId);
    return { status: 200, html: await tokensHtml(core, v, undefined, 'Your calendar has a new address: the old one no longer works.', await feed()) };
  }
  if (path !== '/tokens') return undefined;
  const made = await createTokenFromForm(core, v, form);
  return 'token' in made
    ? { status: 200, html: await tokensHtml(core, v, made, undefined, await feed()) }
    : { status: 422, html: await tokensHtml(core, v, undefined, made.notice, await feed()) };
}

/** The page; `created` is a token just made, shown this once. */
export async function tokensHtml(
  core: Core,
  v: Viewer,
  created?: { token: string; scope: string },
  notice?: string,
  feedUrl?: string,
): Promise<string> {
  const rows = await listApiTokens(core.db, v.personId);
  const list =
    rows.length === 0
      ? html`<p>You have no API tokens.</p>`
      : html`<table>
          <caption>
            Your API tokens
          </caption>
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">Label</th>
              <th scope="col">Scope</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Revoke</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map(
              (r) =>
                html`<tr>
                  <td><code>tdk_${r.id}_…</code></td>
                  <td>${r.label}</td>
                  <td>${r.scope}</td>
                  <td>${formatInstant(r.created_at)}</td>
                  <td>${r.last_used_at === null ? 'never' : formatInstant(r.last_used_at)}</td>
                  <td>
                    <form method="post" action="/tokens/${r.id}/revoke" class="inline">
                      <input type="hidden" name="_csrf" value="${v.session.csrf}" /><button type="submit" aria-label="Revoke tdk_${r.id}">
                        Revoke
                      </button>
                    </form>
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>`;
  const shown: Html | string = created
    ? html`<div class="flash" role="status">
        <p>Your new ${created.scope} token. Copy it now: it is not shown again.</p>
        <p><code id="new-token">${created.token}</code></p>
      </div>`
    : notice
      ? html`<p class="flash" role="status">${notice}</p>`
      : '';
  const main = html`<h1>API tokens</h1>
    ${shown}
    <p>Use a token as <code>Authorization: Bearer tdk_…</code> with the API under <a href="/api/v1/openapi.json">/api/v1</a>.</p>
    ${list}
    <form method="post" action="/tokens" class="action" aria-label="Create a token">
      <input type="hidden" name="_csrf" value="${v.session.csrf}" />
      <label>Label<input name="label" maxlength="100" required /></label>
      <label
        >Scope<select name="scope">
          ${TOKEN_SCOPES.map((s) => html`<option value="${s}">${s === 'read' ? 'read: see what you may see' : 'write: also act, as you would in chat'}</option>`)}
        </select></label
      >
      <button type="submit" class="primary">Create token</button>
    </form>
    ${
      feedUrl
        ? html`<h2>Your on-call calendar</h2>
            <p>Subscribe to your shifts in a calendar app: <code>${feedUrl}</code></p>
            <form method="post" action="/tokens/feed/reset" class="inline">
              <input type="hidden" name="_csrf" value="${v.session.csrf}" /><button type="submit">
                Make a new calendar address (the old one stops working)
              </button>
            </form>`
        : ''
    }`;
  return page({ title: 'API tokens', who: chromeOf(v), current: '/tokens', main });
}

/** Create a token from the posted form; a bad form is refused in one line. */
export async function createTokenFromForm(
  core: Core,
  v: Viewer,
  form: URLSearchParams,
): Promise<{ token: string; scope: TokenScope } | { notice: string }> {
  const label = (form.get('label') ?? '').trim();
  const scope = form.get('scope') ?? 'read';
  if (label === '') return { notice: 'Give the token a label (what it is for).' };
  if (label.length > 100) return { notice: 'The label is over 100 characters.' };
  if (scope !== 'read' && scope !== 'write') return { notice: 'The scope is read or write.' };
  const { token } = await createApiToken(core.db, { person: v.personId, scope, label }, core.clock.now());
  return { token, scope };
}

/** Revoke one of the viewer's own tokens. */
export async function revokeOwnToken(core: Core, v: Viewer, id: string): Promise<string> {
  return (await revokeApiToken(core.db, id, core.clock.now(), v.personId))
    ? `Token tdk_${id} is revoked.`
    : `You have no token tdk_${id.slice(0, 20)}.`;
}
