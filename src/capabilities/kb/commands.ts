import { UserError } from '../../domain/errors.js';
import { cleanLine } from '../../domain/text.js';
import type { Reply } from '../../ports.js';
import { parseLine } from '../../core/command-line.js';
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
import { articleId } from './model.js';
import { parseSource, saveAsArticle, SAVE_USAGE } from './save.js';
import { SEARCH_USAGE, searchKb } from './search.js';
import type { Request } from '../../core/request.js';
import type { Core } from '../../core/work.js';

export { deflectAction } from './deflection.js';

const USAGE: Array<[string, string]> = [
  [SEARCH_USAGE, 'search published articles and solved questions'],
  ['/kb show <ID>', 'read an article'],
  ['/kb vote <ID> helpful|not-helpful', 'say whether an article helped (you can change your vote)'],
  [ADD_USAGE, 'write a draft article (KB authors)'],
  [EDIT_USAGE, 'change an article; every save is kept (KB authors)'],
  ['/kb publish <ID>  /kb unpublish <ID>  /kb delete <ID>', 'make an article searchable, take it back, or delete it (KB authors)'],
  ['/kb drafts', 'the drafts waiting to be published (KB authors)'],
  ['/kb history <ID>', 'every version of an article: who, when, what'],
  [SAVE_USAGE, 'a draft from a resolved ticket or a solved question (KB authors)'],
];

export function kbHelp(): string {
  return ['Knowledge base commands:', ...USAGE.map(([u, s]) => `  ${u}\n      ${s}`)].join('\n');
}

const MAX_LINE = 25_000;

type Args = Record<string, string | boolean | undefined>;
const str = (args: Args | undefined, key: string) => (typeof args?.[key] === 'string' ? (args[key] as string) : undefined);

/**
 * `/kb <sub> ...`, typed or from a form. Typed lines take options (`--body`, `--tags`, `--title`);
 * a form's fields (`sub`, `id`, `title`, `body`, `tags`, `query`) are used verbatim, line breaks
 * included, never re-parsed as options.
 */
export async function kbCommand(core: Core, req: Request, text: string, args?: Record<string, string>): Promise<Reply> {
  if (args !== undefined && typeof args.sub === 'string' && args.sub.trim() !== '') return kbArgs(core, req, args);
  if (text.length > MAX_LINE) throw new UserError('too_long', `That command is ${text.length} characters; the limit is ${MAX_LINE}.`);
  const trimmed = text.trim();
  const space = trimmed.search(/\s/);
  const sub = (space < 0 ? trimmed : trimmed.slice(0, space)).toLowerCase();
  const rest = space < 0 ? '' : trimmed.slice(space + 1);
  switch (sub) {
    case '':
    case 'help':
      return { text: kbHelp() };
    case 'search':
    case 'find':
      // The words are searched as they are: nothing in them is an option or query syntax.
      return searchKb(core, rest, req.place);
    case 'show':
      return showArticle(core, req, articleId(rest, '/kb show <ID>'));
    case 'history':
      return articleHistory(core, req, articleId(rest, '/kb history <ID>'));
    case 'drafts':
      return listDrafts(core, req);
    case 'publish':
    case 'unpublish':
    case 'delete':
      return changeArticleState(core, req, articleId(rest, `/kb ${sub} <ID>`), sub);
    case 'vote': {
      const [id, ...vote] = rest.trim().split(/\s+/);
      return voteArticle(core, req, articleId(id, '/kb vote <ID> helpful|not-helpful'), parseVote(vote.join(' ')));
    }
    case 'save':
      return saveAsArticle(core, req, parseSource(rest));
    case 'add': {
      const line = parseLine(rest, { values: ['body', 'tags'], booleans: [] });
      return addArticle(core, req, { title: line.words.join(' '), ...opt('body', line.flags.body), ...opt('tags', line.flags.tags) });
    }
    case 'edit': {
      const line = parseLine(rest, { values: ['title', 'body', 'tags'], booleans: [] });
      const [id, ...extra] = line.words;
      const n = articleId(id, EDIT_USAGE);
      if (extra.length > 0) throw new UserError('bad_edit', `Say which field the words are for: --title, --body or --tags. Usage: ${EDIT_USAGE}`);
      return editArticle(core, req, n, { ...opt('title', line.flags.title), ...opt('body', line.flags.body), ...opt('tags', line.flags.tags) });
    }
    default:
      return { text: `Unknown command "/kb ${cleanLine(sub).slice(0, 40)}".\n\n${kbHelp()}` };
  }
}

function opt<K extends string>(key: K, value: string | true | undefined): Partial<Record<K, string>> {
  return typeof value === 'string' ? ({ [key]: value } as Record<K, string>) : {};
}

/** A form's fields: free text is kept verbatim. */
async function kbArgs(core: Core, req: Request, args: Args): Promise<Reply> {
  const sub = String(args.sub).trim().toLowerCase();
  const id = (usage: string) => articleId(str(args, 'id'), usage);
  switch (sub) {
    case 'help':
      return { text: kbHelp() };
    case 'search':
      return searchKb(core, str(args, 'query') ?? str(args, 'text') ?? '', req.place);
    case 'add':
      return addArticle(core, req, { ...opt('title', str(args, 'title')), ...opt('body', str(args, 'body')), ...opt('tags', str(args, 'tags')) });
    case 'edit':
      return editArticle(core, req, id(EDIT_USAGE), {
        ...opt('title', str(args, 'title')),
        ...opt('body', str(args, 'body')),
        ...opt('tags', str(args, 'tags')),
      });
    case 'save':
      return saveAsArticle(core, req, parseSource(str(args, 'source') ?? str(args, 'text') ?? ''));
    case 'vote':
      return voteArticle(core, req, id('/kb vote <ID> helpful|not-helpful'), parseVote(str(args, 'vote')));
    default: {
      // show, history, publish, ... take just the id.
      const line = [sub, str(args, 'id') ?? ''].join(' ');
      return kbCommand(core, req, line);
    }
  }
}

/** A `kb.*` button: `kb.vote` + `12 helpful`, `kb.publish` + `12`, `kb.save` + `ticket 4`, `kb.show` + `12`. */
export async function kbAction(core: Core, req: Request, sub: string, value: string, _text?: string): Promise<Reply> {
  // No kb button asks for words (yet), so `_text` is unused.
  const s = sub.toLowerCase();
  if (!['vote', 'publish', 'unpublish', 'delete', 'save', 'show', 'history'].includes(s))
    throw new UserError('unknown_action', `Unknown knowledge-base action "${cleanLine(sub).slice(0, 30)}".`);
  return kbCommand(core, req, `${s} ${value}`);
}
