/**
 * What a search looks for: any user text becomes a short list of plain words. The search engines
 * (src/store/search-*.ts) quote each word, so nothing a user types is ever query syntax: `"`, `*`,
 * `AND`, `NEAR(`, `-`, `^`, `title:` are just characters, and the words around them still count.
 *
 * A word is a run of letters and digits (any script; a combining mark may follow a letter), the
 * same runs SQLite's `unicode61` tokenizer indexes: `C++` → `c`, `node.js` → `node`, `js`,
 * `e-mail` → `e`, `mail`.
 */

/** At most this many words are searched for: a pasted page is a query for its first words. */
export const MAX_TERMS = 12;
/** Longer words are cut to this many characters (nobody searches for a 5,000-letter word). */
export const MAX_TERM_LENGTH = 64;

// Letters, digits and private-use characters start a word; combining marks may continue one
// (`cafe\u0301`).
const WORD = /[\p{L}\p{N}\p{Co}][\p{L}\p{N}\p{Co}\p{M}]*/gu;

/**
 * Words too common to say anything about which document is meant. Dropped unless a query has
 * nothing else (then "to be or not to be" still searches for its words).
 */
const STOP_WORDS: ReadonlySet<string> = new Set([
  'a',
  'about',
  'after',
  'all',
  'am',
  'an',
  'and',
  'any',
  'are',
  'as',
  'at',
  'be',
  'been',
  'but',
  'by',
  'can',
  'could',
  'did',
  'do',
  'does',
  'for',
  'from',
  'get',
  'got',
  'had',
  'has',
  'have',
  'he',
  'her',
  'him',
  'his',
  'how',
  'i',
  'if',
  'im',
  'in',
  'into',
  'is',
  'it',
  'its',
  'just',
  'me',
  'my',
  'no',
  'not',
  'of',
  'on',
  'or',
  'our',
  'please',
  's',
  'she',
  'so',
  't',
  'that',
  'the',
  'their',
  'them',
  'then',
  'there',
  'these',
  'they',
  'this',
  'to',
  'too',
  'us',
  'was',
  'we',
  'were',
  'what',
  'when',
  'where',
  'which',
  'who',
  'why',
  'will',
  'with',
  'would',
  'you',
  'your',
]);

/** Is `word` (lowercase) one of the stop words? */
export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

/**
 * The words to search for in `text`: lowercased, in order of first appearance, without repeats,
 * stop words dropped unless nothing else remains, at most MAX_TERMS of at most MAX_TERM_LENGTH
 * characters. Empty when the text has no letter or digit (or is not a string). Never throws.
 */
export function searchTerms(text: unknown): string[] {
  const source = typeof text === 'string' ? text : '';
  const words: string[] = [];
  const stops: string[] = [];
  const seen = new Set<string>();
  // matchAll is lazy: a huge paste is read only as far as its first MAX_TERMS words.
  for (const match of source.matchAll(WORD)) {
    const word = normalizeWord(match[0]);
    if (word === '' || seen.has(word)) continue;
    seen.add(word);
    if (isStopWord(word)) {
      if (stops.length < MAX_TERMS) stops.push(word);
    } else {
      words.push(word);
      if (words.length >= MAX_TERMS) break;
    }
  }
  return words.length > 0 ? words : stops;
}

/** Does `text` have nothing to search for (empty, blank, only punctuation or symbols)? */
export function isEmptyQuery(text: unknown): boolean {
  return searchTerms(text).length === 0;
}

function normalizeWord(raw: string): string {
  const word = raw.normalize('NFC').toLowerCase();
  if (word.length <= MAX_TERM_LENGTH) return word;
  // Cut by code points so a surrogate pair is never split in half.
  return Array.from(word).slice(0, MAX_TERM_LENGTH).join('');
}

/**
 * How much of a document's body is indexed. Words past it are not found, which no one notices in
 * a help article; a pasted log of megabytes would otherwise bloat the index (and PostgreSQL refuses
 * a tsvector over 1 MB).
 */
export const MAX_INDEXED_CHARS = 100_000;

/** `text` cut to MAX_INDEXED_CHARS without splitting a surrogate pair, NULs removed (PostgreSQL refuses them). */
export function indexableText(text: string): string {
  let out = text.includes('\u0000') ? text.replace(/\u0000/g, ' ') : text;
  if (out.length > MAX_INDEXED_CHARS) {
    let end = MAX_INDEXED_CHARS;
    const code = out.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) end -= 1;
    out = out.slice(0, end);
  }
  return out;
}

/**
 * An excerpt as plain text on one line: Markdown emphasis, code marks, headings, quotes and link
 * targets removed (`[the guide](https://…)` → `the guide`), whitespace folded.
 */
export function plainSnippet(text: string): string {
  return (
    text
      .replace(/!?\[([^\]\n]*)\]\([^)\s]*\)/g, '$1')
      .replace(/\]\([^)\s]*\)?/g, ' ')
      // A snippet starting inside a link's target: `…example.com/a) and`.
      .replace(/^…[^\s()]*[/.][^\s()]*\)/, '…')
      .replace(/\*\*|__|~~|`+|[*[\]]/g, '')
      .replace(/(^|\n)\s{0,3}(#{1,6}|>|[-+] )\s*/g, '$1')
      .replace(/\s+/g, ' ')
      .trim()
  );
}
