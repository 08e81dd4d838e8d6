/**
 * The knowledge base's declarations: `/kb` and its sub-commands, the article buttons, the article
 * form; the deflection offer's buttons and their console twins (`/deflect open ID`).
 */
import type { ArgSpec, Args, ButtonSpec, CommandSpec, SubcommandSpec } from '../../core/capability.js';
import type { Request } from '../../core/request.js';
import type { Core } from '../../core/work.js';
import {
  ADD_USAGE,
  EDIT_USAGE,
  addArticle,
  articleHistory,
  changeArticleState,
  editArticle,
  listDrafts,
  parseVote,
  showArticle,
  voteArticle,
} from './articles.js';
import { deflectAction } from './deflection.js';
import { articleId, assertKbAuthor, loadArticle } from './model.js';
import { parseSource, saveAsArticle, SAVE_USAGE } from './save.js';
import { searchKb } from './search.js';

const ARTICLE: ArgSpec = { name: 'id', summary: 'Article number', kind: 'number', positional: true, required: true, placeholder: 'ID' };
const text = (name: string, summary: string, max: number, long = false): ArgSpec => ({
  name,
  summary,
  kind: 'text',
  maxLength: max,
  placeholder: name === 'tags' ? 'a,b' : name.toUpperCase(),
  ...(long ? { long } : {}),
});

const authors =
  (what: string) =>
  async (core: Core, req: Request): Promise<void> =>
    assertKbAuthor(core, req.actor, what);

const given = (args: Args, ...names: string[]) => Object.fromEntries(names.filter((n) => args[n] !== undefined).map((n) => [n, args[n]!]));

const byId = (name: 'publish' | 'unpublish' | 'delete', summary: string): SubcommandSpec => ({
  name,
  summary,
  who: 'agents',
  args: [ARTICLE],
  allowed: authors(`${name} articles`),
  run: (core, req, a) => changeArticleState(core, req, articleId(a.id, `/kb ${name} <ID>`), name),
});

const SUBS: SubcommandSpec[] = [
  {
    name: 'search',
    aliases: ['find'],
    summary: 'search published articles and solved questions',
    who: 'anyone',
    // The words are searched as they are: nothing in them is an option or query syntax.
    args: [{ name: 'query', summary: 'Words to look for', kind: 'text', positional: true, required: true, placeholder: 'words', maxLength: 500 }],
    run: (core, req, a) => searchKb(core, a.query ?? '', req),
  },
  {
    name: 'show',
    summary: 'read an article',
    who: 'anyone',
    args: [ARTICLE],
    run: (core, req, a) => showArticle(core, req, articleId(a.id, '/kb show <ID>')),
  },
  {
    name: 'vote',
    summary: 'say whether an article helped (you can change your vote)',
    who: 'anyone',
    args: [ARTICLE, { name: 'vote', summary: 'Did it help?', kind: 'choice', positional: true, required: true, choices: ['helpful', 'not-helpful'] }],
    run: (core, req, a) => voteArticle(core, req, articleId(a.id, '/kb vote <ID> helpful|not-helpful'), parseVote(a.vote)),
  },
  {
    name: 'add',
    summary: 'write a draft article (KB authors)',
    who: 'agents',
    args: [
      { name: 'title', summary: 'Title', kind: 'text', positional: true, required: true, placeholder: 'title', maxLength: 200 },
      { ...text('body', 'Body (Markdown)', 20_000, true), required: true },
      text('tags', 'Tags, separated by commas', 200),
    ],
    allowed: authors('add articles'),
    form: { kind: 'kb.article', title: 'New article', fields: ['title', 'body', 'tags'], submitLabel: 'Save draft' },
    run: (core, req, a) => addArticle(core, req, given(a, 'title', 'body', 'tags')),
  },
  {
    name: 'edit',
    summary: 'change an article; every save is kept (KB authors)',
    who: 'agents',
    args: [ARTICLE, text('title', 'Title', 200), text('body', 'Body (Markdown)', 20_000, true), text('tags', 'Tags, separated by commas', 200)],
    allowed: authors('edit articles'),
    form: { kind: 'kb.article', title: 'Edit article {number}', fields: ['title', 'body', 'tags'], submitLabel: 'Save', prefill: articleNow },
    run: (core, req, a) => editArticle(core, req, articleId(a.id, EDIT_USAGE), given(a, 'title', 'body', 'tags')),
  },
  byId('publish', 'make an article searchable (KB authors)'),
  byId('unpublish', 'take an article out of search (KB authors)'),
  byId('delete', 'delete an article (KB authors)'),
  {
    name: 'drafts',
    summary: 'the drafts waiting to be published (KB authors)',
    who: 'agents',
    allowed: authors('see drafts'),
    run: (core, req) => listDrafts(core, req),
  },
  {
    name: 'history',
    summary: 'every version of an article: who, when, what',
    who: 'anyone',
    args: [ARTICLE],
    run: (core, req, a) => articleHistory(core, req, articleId(a.id, '/kb history <ID>')),
  },
  {
    name: 'save',
    summary: 'a draft from a resolved ticket or a solved question (KB authors)',
    who: 'agents',
    args: [
      {
        name: 'source',
        summary: 'ticket N or question N',
        kind: 'text',
        positional: true,
        required: true,
        placeholder: 'ticket N | question N',
        maxLength: 40,
      },
    ],
    allowed: async (core, req, a) => {
      if (/^\s*(ticket|question)\s/i.test(a.source ?? ''))
        assertKbAuthor(core, req.actor, `save ${/^\s*ticket/i.test(a.source!) ? 'tickets' : 'questions'} as articles`);
    },
    run: (core, req, a) => saveAsArticle(core, req, parseSource(a.source)),
  },
];

/** The article as it stands, to fill the edit form. */
async function articleNow(core: Core, _req: Request, args: Args): Promise<Record<string, string>> {
  const m = /^#?(\d{1,9})$/.exec((args.id ?? '').trim());
  if (!m) return {};
  const a = await loadArticle(core.db, Number(m[1]));
  return { title: a.title, body: a.body, tags: a.tags.join(', ') };
}

export const KB_COMMAND: CommandSpec = {
  name: 'kb',
  summary: 'Search and write the knowledge base',
  hint: 'search <words> | show 12 | add | edit 12',
  subs: SUBS,
  defaultSub: 'help',
};

/** `/deflect open ID` and `/deflect solved ID DOC`: the console's twins of the offer's buttons. */
export const DEFLECT_COMMAND: CommandSpec = {
  name: 'deflect',
  summary: 'Answer a suggestion offered before a ticket',
  hint: 'open ID | solved ID DOC',
  surfaces: ['console'],
  unlisted: true,
  subs: [
    {
      name: 'open',
      summary: 'open the ticket anyway',
      who: 'anyone',
      args: [{ name: 'offer', summary: 'The offer', kind: 'word', positional: true, required: true, placeholder: 'ID' }],
      run: (core, req, a) => deflectAction(core, req, 'open', a.offer ?? ''),
    },
    {
      name: 'solved',
      summary: 'a suggestion solved it: no ticket',
      who: 'anyone',
      args: [
        { name: 'offer', summary: 'The offer', kind: 'word', positional: true, required: true, placeholder: 'ID' },
        { name: 'doc', summary: 'The suggestion that solved it', kind: 'word', positional: true, required: true, placeholder: 'DOC' },
      ],
      run: (core, req, a) => deflectAction(core, req, 'solved', [a.offer ?? '', a.doc ?? ''].join(' ').trim()),
    },
  ],
};

export const KB_BUTTONS: ButtonSpec[] = [
  ...['vote', 'publish', 'unpublish', 'delete', 'save', 'show', 'history'].map((s) => ({ action: `kb.${s}`, twin: `kb ${s}` })),
  { action: 'deflect.open', twin: 'deflect open' },
  { action: 'deflect.solved', twin: 'deflect solved' },
];

export { ADD_USAGE, SAVE_USAGE };
