/**
 * `/kb` and `/kb/N`: search, the published articles, the drafts and versions, each article's Markdown
 * rendered safely; authors write, edit, publish. Every check and change is the `/kb` command's
 * (adapters/web/run-as.ts); reads use the knowledge base's own functions (findDocs, loadArticle,
 * assertCanRead).
 */
import MarkdownIt from 'markdown-it';
import { assertCanRead, KB_LIMITS, loadArticle, type Article } from '../../src/capabilities/kb/model.js';
import { findDocs, questionsSeenFrom } from '../../src/capabilities/kb/search.js';
import { formatInstant } from '../../src/core/render.js';
import type { Core } from '../../src/core/work.js';
import { UserError } from '../../src/domain/errors.js';
import { isEmptyQuery } from '../../src/domain/search-query.js';
import { cleanLine } from '../../src/domain/text.js';
import { listArticleVersions, listArticlesIn } from '../../src/store/kb.js';
import { Html, html, page, type PageAnswer } from './html.js';
import { DASHBOARD_PLACE, refusalOf } from './run-as.js';
import { chromeOf, type Viewer } from './viewer.js';

/** What an article's page posts: each is the `/kb` sub-command of the same name. */
export const ARTICLE_ACTIONS: ReadonlySet<string> = new Set(['edit', 'publish', 'unpublish', 'delete', 'vote']);

/**
 * Markdown as articles are written in chat, rendered with raw HTML off (a tag is text), links only to
 * http(s) and mailto, and no images (they would load from elsewhere; the CSP refuses them anyway).
 */
const md = new MarkdownIt({ html: false, linkify: true });
md.disable('image');
md.validateLink = (url: string) => /^(https?:|mailto:)/i.test(url.trim());
const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, i, options, _env, self) => self.renderToken(tokens, i, options));
md.renderer.rules.link_open = (tokens, i, options, env, self) => {
  tokens[i]!.attrSet('rel', 'noopener noreferrer nofollow');
  return defaultLinkOpen(tokens, i, options, env, self);
};

/** An article's body as HTML: markdown-it escapes what is not Markdown (html: false), so its output is trusted. */
export function renderMarkdown(text: string): Html {
  return html`<div class="markdown">${new Html(md.render(text))}</div>`;
}

export async function kbHtml(core: Core, v: Viewer, q: URLSearchParams, flash?: string): Promise<PageAnswer> {
  const refused = await refusalOf(core, v, 'kb', 'search');
  if (refused) return { status: 403, text: refused };
  const query = cleanLine(q.get('q') ?? '');
  const author = (await refusalOf(core, v, 'kb', 'add')) === undefined;
  const drafts = (await refusalOf(core, v, 'kb', 'drafts')) === undefined ? await listArticlesIn(core.db, 'draft', 50) : [];
  const published = await listArticlesIn(core.db, 'published', 50);
  const list = (rows: typeof published, caption: string) =>
    rows.length === 0
      ? html`<p>None.</p>`
      : html`<ul class="articles" aria-label="${caption}">
          ${rows.map(
            (r) =>
              html`<li>
                <a href="/kb/${Number(r.id)}">#${Number(r.id)} ${r.title}</a>
                <span class="muted">· updated ${formatInstant(Number(r.updated_at))}</span>
              </li>`,
          )}
        </ul>`;
  const main = html`<h1>Knowledge base</h1>
    ${flash ? html`<p class="flash" role="status">${flash}</p>` : ''}
    <form class="filters" method="get" action="/kb" role="search">
      <label>Search articles and solved questions<input type="search" name="q" value="${query}" maxlength="${KB_LIMITS.queryMax}" /></label>
      <button type="submit">Search</button>
    </form>
    ${query ? await results(core, v, query) : ''}
    <section aria-labelledby="published">
      <h2 id="published">Published articles</h2>
      ${list(published, 'Published articles')}
    </section>
    ${
      author || drafts.length > 0
        ? html`<section aria-labelledby="drafts">
            <h2 id="drafts">Drafts</h2>
            ${list(drafts, 'Drafts')}
          </section>`
        : ''
    }
    ${author ? articleForm(v, '/kb/new', 'Write a draft', 'Save draft') : ''}`;
  return { status: 200, html: page({ title: 'Knowledge base', who: chromeOf(v), current: '/kb', main }) };
}

async function results(core: Core, v: Viewer, query: string): Promise<Html> {
  if (query.length > KB_LIMITS.queryMax)
    return html`<p role="status">The search is ${query.length} characters; the limit is ${KB_LIMITS.queryMax}. A few words work best.</p>`;
  if (isEmptyQuery(query)) return html`<p role="status">"${query.slice(0, 40)}" has no words to search for. Give a few words.</p>`;
  // Whose solved questions: the same rule as chat's /kb search.
  const docs = await findDocs(core, core.db, query, 20, questionsSeenFrom(core, v.actor, DASHBOARD_PLACE));
  if (docs.length === 0) return html`<p role="status">Nothing in the knowledge base matches "${query.slice(0, 80)}".</p>`;
  return html`<section aria-labelledby="results">
    <h2 id="results">${docs.length} result${docs.length === 1 ? '' : 's'} for "${query.slice(0, 80)}"</h2>
    <ol>
      ${docs.map(
        (d) =>
          html`<li>
            ${d.kind === 'article' ? html`<a href="/kb/${d.ref}">${d.title}</a>` : html`${d.title} (solved question, ${d.where})`}
            <br /><span class="muted">${d.snippet}</span>
          </li>`,
      )}
    </ol>
  </section>`;
}

function articleForm(v: Viewer, action: string, legend: string, submit: string, a?: Article): Html {
  return html`<section aria-labelledby="${action.replace(/\W/g, '-')}">
    <h2 id="${action.replace(/\W/g, '-')}">${legend}</h2>
    <form class="article" method="post" action="${action}" aria-label="${legend}">
      <input type="hidden" name="_csrf" value="${v.session.csrf}" />
      <label>Title<input name="title" required maxlength="${KB_LIMITS.titleMax}" value="${a?.title ?? ''}" /></label>
      <label>Body (Markdown)<textarea name="body" required maxlength="${KB_LIMITS.bodyMax}" rows="12">${a?.body ?? ''}</textarea></label>
      <label>Tags, separated by commas<input name="tags" maxlength="200" value="${a?.tags.join(', ') ?? ''}" /></label>
      <button class="primary" type="submit">${submit}</button>
    </form>
  </section>`;
}

/** `/kb/N` (and `?version=K`): the article, its versions, and what this person may do with it. */
export async function articleHtml(core: Core, v: Viewer, id: number, q: URLSearchParams, flash?: string): Promise<PageAnswer> {
  const refused = await refusalOf(core, v, 'kb', 'show', { id: String(id) });
  if (refused) return { status: 403, text: refused };
  let a: Article;
  try {
    a = await loadArticle(core.db, id);
    assertCanRead(core, v.actor, a);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return { status: err.code === 'article_draft' ? 403 : 404, text: err.message };
  }
  // Who may see drafts sees every save; anyone else, as in chat, only text that was published.
  const authorView = (await refusalOf(core, v, 'kb', 'drafts')) === undefined;
  const every = await listArticleVersions(core.db, id);
  const versions = authorView ? every : every.filter((ver) => ver.state === 'published');
  const asked = q.get('version');
  const shown = asked === null ? undefined : every.find((ver) => String(ver.version) === asked.trim());
  if (asked !== null && !shown) return { status: 400, text: `Article #${id} has no version "${asked.slice(0, 20)}": 1 to ${a.version}.` };
  if (shown && !versions.includes(shown)) return { status: 403, text: `Version ${shown.version} of article #${id} was never published.` };
  const may = async (sub: string) => (await refusalOf(core, v, 'kb', sub, { id: String(id) })) === undefined;
  const title = shown ? shown.title : a.title;
  const main = html`<h1>#${a.id} ${title}</h1>
    ${flash ? html`<p class="flash" role="status">${flash}</p>` : ''}
    <p class="muted">
      ${shown ? html`Version ${shown.version} of ${a.version} · ` : ''}${a.state} · by ${a.author.name} · updated ${formatInstant(a.updatedAt)}
      ${a.tags.length > 0 ? html` · tags: ${a.tags.join(', ')}` : ''} · ${a.helpful} found it helpful, ${a.notHelpful} did not
    </p>
    <article aria-label="Article">${renderMarkdown(shown ? shown.body : a.body)}</article>
    ${a.state === 'published' && !shown ? voteForms(v, a) : ''} ${await authorActions(v, a, may)}
    <section aria-labelledby="versions">
      <h2 id="versions">Versions</h2>
      <table>
        <caption>
          Every save of article #${a.id}
        </caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
          </tr>
        </thead>
        <tbody>
          ${versions.map((ver) => {
            const who = ver.editor;
            return html`<tr>
              <td><a href="/kb/${a.id}?version=${ver.version}">v${ver.version}</a></td>
              <td>${formatInstant(Number(ver.at))}</td>
              <td>${who.name ?? who.id ?? 'someone'}</td>
              <td>${ver.note ?? 'saved'} (${ver.state})</td>
            </tr>`;
          })}
        </tbody>
      </table>
    </section>`;
  return { status: 200, html: page({ title: `#${a.id} ${title}`, who: chromeOf(v), current: '/kb', main }) };
}

function button(v: Viewer, a: Article, action: string, label: string, fields: Html = html``): Html {
  return html`<form class="inline" method="post" action="/kb/${a.id}/${action}" aria-label="${label} #${a.id}">
    <input type="hidden" name="_csrf" value="${v.session.csrf}" />${fields}<button type="submit">${label}</button>
  </form>`;
}

function voteForms(v: Viewer, a: Article): Html {
  return html`<p>
    Did it help? ${button(v, a, 'vote', 'Helpful', html`<input type="hidden" name="vote" value="helpful" />`)}
    ${button(v, a, 'vote', 'Not helpful', html`<input type="hidden" name="vote" value="not-helpful" />`)}
  </p>`;
}

async function authorActions(v: Viewer, a: Article, may: (sub: string) => Promise<boolean>): Promise<Html> {
  if (!(await may('edit'))) return html``;
  const states: Html[] = [];
  if (a.state === 'draft' && (await may('publish'))) states.push(button(v, a, 'publish', 'Publish'));
  if (a.state === 'published' && (await may('unpublish'))) states.push(button(v, a, 'unpublish', 'Unpublish'));
  if (await may('delete')) states.push(button(v, a, 'delete', 'Delete'));
  return html`<section aria-labelledby="manage">
      <h2 id="manage">Manage</h2>
      <p>${states}</p>
    </section>
    ${articleForm(v, `/kb/${a.id}/edit`, `Edit article #${a.id}`, 'Save', a)}`;
}
