/**
 * Issue 7: "FTS syntax fuzzing (every printable ASCII sequence up to length 4 at least, plus random
 * unicode) never throws". There are 95^4 = 81,450,625 printable-ASCII strings of length 4 and
 * 82,317,121 of length 0–4; 82 M searches do not fit in CI. This file covers all of them by the
 * argument below, each step of which is a test here where it can be one.
 *
 * 1. What reaches an engine. Both search indexes read the query only through `searchTerms(query)`
 *    and build every engine input from that list: SQLite `ftsString(term)` per word and
 *    `ftsMatch(terms)` (or of a subset of the words), plus the fill tiers, which join the same
 *    `ftsString`s with fixed `AND`, `OR`, `{title} : ( )`; PostgreSQL `tsQueryText(terms)`. So a query
 *    matters to an engine only through its list of words.
 *
 * 2. Reduction (the "reduction" tests). searchTerms sees its text only through the matches of
 *    `[\p{L}\p{N}\p{Co}][\p{L}\p{N}\p{Co}\p{M}]*`: two character classes, so the matches depend only
 *    on which characters belong to them. Each match is then NFC-normalized and lowercased.
 *    - L1, tested for each of the 95 characters, alone and between two letters: the 62 letters and
 *      digits start and continue a word, and each yields its lowercase self; the 33 others (space and
 *      punctuation) start none and continue none: each ends a word exactly as a space does.
 *    - L2: NFC leaves ASCII unchanged, and String#toLowerCase maps ASCII one character at a time
 *      (A–Z → a–z; its one context-dependent rule, the final sigma, is not ASCII).
 *    Hence searchTerms(s) = searchTerms(canon(s)), where canon lowercases A–Z and turns every other
 *    non-alphanumeric character into a space, in place. (Also checked directly: for every printable
 *    string of length ≤ 2 and for 100,000 random ones of length 3–4.) So every printable string of
 *    length ≤ 4 gives the same words as one of the 1 + 37 + 37^2 + 37^3 + 37^4 = 1,926,221 strings
 *    over the 37 characters a–z, 0–9 and space.
 *
 * 3. (a) Pure, exhaustive over those 1,926,221 strings (a few seconds: no string array, one
 *    String.fromCharCode per string): searchTerms never throws; its words are exactly the words of
 *    the string (repeats dropped, stop words dropped beside other words), each non-empty and only
 *    [a-z0-9] (all of which unicode61 keeps in a token); ftsMatch and tsQueryText never throw and
 *    give exactly `"w1" OR "w2"` and `'w1' | 'w2'` (no `"`, `'` or `\` inside to escape). The distinct
 *    word lists are collected in a bitmap; both builders are injective on them, so these are the
 *    distinct engine inputs, and the test shows they are exactly: each of the 1,727,604 words
 *    [a-z0-9]{1,4} alone, and each ordered pair of different words of at most 3 characters
 *    together, both stop words or neither (82,660): 1,810,264 per engine.
 *
 * 4. (b) Engines. 1,810,264 statements do not fit either (FTS5 takes some 3 µs an input even
 *    batched, on top of (a)), so each engine runs, in batches of one statement each (json_each /
 *    unnest): every input of at most 3 characters of words (47,988 single words, all 82,660 pairs),
 *    every 4-character word spelt with the letters of the keywords AND, OR, NOT, NEAR (a d e n o r
 *    t: 2,401), and a seeded eighth of the other 4-character words (~210,000), some 340,000 in all:
 *    SQLite through MATCH on the real FTS5 table (`porter unicode61 remove_diacritics 2`),
 *    PostgreSQL (TIERDESK_TEST_PG_URL) through to_tsquery('english', …) @@ the real tsvector column.
 *    Why that subset stands for the rest: the inputs differ only in which letters and digits sit
 *    inside the quotes. FTS5's parser reads `"w"` as one string up to the next `"` (w has none) and
 *    gives its text to the tokenizer, so `OR` and the string are all its grammar sees; to_tsquery
 *    reads `'w'` as one quoted lexeme (no operator, weight or `:*` inside quotes; `'` and `\` would
 *    be the only escapes, and w has neither). The letters matter only after that, to the tokenizer,
 *    stemmer and dictionary, which turn a word into a token or a lexeme (or, for a PostgreSQL stop
 *    word, into nothing: a notice, not an error); they have no way to reject one. Every shape (one
 *    word, two, words of each length) is run in full, every word whose letters could spell a
 *    keyword too, and each pattern of letters and digits of 4-character words thousands of times.
 *    SQLite also shows the tokenizer keeps each short word whole: every input of 1–2-character
 *    words finds the document holding them all.
 *    Both: search() end to end, on raw strings rebuilt from short words with random case and random
 *    separators and on random printable strings of 4, with the default budget and (SQLite) a budget
 *    of 0, which makes every indexed word common so that the fill tiers run too.
 *
 * Random unicode: the pure path here (20,000 seeded strings), the database in search.test.ts.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStopWord, MAX_TERM_LENGTH, MAX_TERMS, searchTerms } from '../../src/domain/search-query.js';
import type { Db } from '../../src/store/connect.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { searchIndexFor } from '../../src/store/search-index.js';
import { tsQueryText } from '../../src/store/search-postgres.js';
import { ftsMatch, sqliteSearchIndex } from '../../src/store/search-sqlite.js';
import type { SearchIndex } from '../../src/store/search.js';
import { TEST_DIALECT, testDatabase } from '../support/database.js';
import { seededRandom } from '../support/seeded-random.js';

const SQLITE = TEST_DIALECT === 'sqlite';

/** The characters a word is made of once lowercased: 36, numbered 1–36 in this order. */
const WORD_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** Words of 1–4 of them: 36 + 36^2 + 36^3 + 36^4. */
const WORDS = 1_727_604;
/** Words of 1–2 of them (the only ones that can stand in a pair of 3 characters). */
const SHORT_WORDS = 36 + 36 ** 2;
/** Pairs are numbered word(u) * PAIR_STRIDE + word(v). */
const PAIR_STRIDE = SHORT_WORDS + 1;

const isWordCode = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
const isUpperCode = (c: number) => c >= 65 && c <= 90;
/** canon of one printable character: A–Z lowercased, a–z 0–9 kept, anything else a space. */
const canonCode = (c: number) => (isUpperCode(c) ? c + 32 : isWordCode(c) ? c : 32);
const canon = (s: string) => String.fromCharCode(...Array.from(s, (ch) => canonCode(ch.charCodeAt(0))));

/** A word's number, 1–WORDS (bijective base 36), or 0 if it is not 1–4 of WORD_CHARS. */
function wordNumber(w: string): number {
  if (w.length === 0 || w.length > 4) return 0;
  let n = 0;
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c >= 97 && c <= 122) n = n * 36 + (c - 96);
    else if (c >= 48 && c <= 57) n = n * 36 + (c - 48 + 27);
    else return 0;
  }
  return n;
}

function wordOf(n: number): string {
  let w = '';
  while (n > 0) {
    n -= 1;
    w = WORD_CHARS[n % 36]! + w;
    n = Math.floor(n / 36);
  }
  return w;
}

/** A set of word lists of the shape searchTerms gives for ≤ 4 characters: one word, or a pair. */
interface Lists {
  singles: Uint8Array; // by wordNumber
  pairs: Uint8Array; // by wordNumber(u) * PAIR_STRIDE + wordNumber(v)
}
const emptyLists = (): Lists => ({ singles: new Uint8Array(WORDS + 1), pairs: new Uint8Array(PAIR_STRIDE * PAIR_STRIDE) });

/**
 * The distinct word lists that (a) proves the 1,926,221 strings give: every word alone, and every
 * ordered pair of different words of at most 3 characters together, both stop words or neither (a
 * stop word beside another word is dropped; two stop words are searched for).
 */
function expectedLists(): Lists {
  const lists = emptyLists();
  lists.singles.fill(1, 1);
  for (let u = 1; u <= SHORT_WORDS; u++) {
    const a = wordOf(u);
    for (let v = 1; v <= SHORT_WORDS; v++) {
      const b = wordOf(v);
      if (u !== v && a.length + b.length <= 3 && isStopWord(a) === isStopWord(b)) lists.pairs[u * PAIR_STRIDE + v] = 1;
    }
  }
  return lists;
}

/** The word lists in `lists`: the single words by number, then the pairs. */
function* wordLists(lists: Lists, keep: (words: string[]) => boolean = () => true): Generator<string[]> {
  for (let n = 1; n <= WORDS; n++) {
    if (lists.singles[n]) {
      const words = [wordOf(n)];
      if (keep(words)) yield words;
    }
  }
  for (let i = 0; i < lists.pairs.length; i++) {
    if (lists.pairs[i]) {
      const words = [wordOf(Math.floor(i / PAIR_STRIDE)), wordOf(i % PAIR_STRIDE)];
      if (keep(words)) yield words;
    }
  }
}

/**
 * `lists` with only some of its 4-character single words left: a seeded `fraction` of them, and all
 * those spelt with the letters of FTS5's and tsquery's keywords (AND, OR, NOT, NEAR): a d e n o r t.
 */
function sampled(lists: Lists, fraction: number, seed: number): Lists {
  const rand = seededRandom(seed);
  const keywordLetters = new Set(Array.from('adenort', (ch) => WORD_CHARS.indexOf(ch) + 1));
  const keywordSpelt = (n: number) => {
    for (; n > 0; n = Math.floor((n - 1) / 36)) if (!keywordLetters.has(((n - 1) % 36) + 1)) return false;
    return true;
  };
  const singles = lists.singles.slice();
  for (let n = 36 + 36 ** 2 + 36 ** 3 + 1; n <= WORDS; n++) {
    if (rand() >= fraction && !keywordSpelt(n)) singles[n] = 0;
  }
  return { singles, pairs: lists.pairs };
}

function* chunks<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let chunk: T[] = [];
  for (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
const SEPARATORS = PRINTABLE.filter((ch) => !/[A-Za-z0-9]/.test(ch));

/** What the engines are given for `words`, built independently of the code under test. */
const quotedFts = (words: readonly string[]) => words.map((w) => `"${w}"`).join(' OR ');
const quotedTs = (words: readonly string[]) => words.map((w) => `'${w}'`).join(' | ');

/** The word lists (a) collected, for (b); undefined when (a) did not run (the postgres project). */
let collected: Lists | undefined;

describe('search query reduction: printable ASCII', () => {
  it.runIf(SQLITE)('L1: each of the 95 characters is a letter or digit (its lowercase self) or ends a word exactly like a space', () => {
    expect(SEPARATORS).toHaveLength(33);
    for (const ch of PRINTABLE) {
      const code = ch.charCodeAt(0);
      const word = canonCode(code) !== 32;
      // The classes of the WORD pattern in src/domain/search-query.ts, on this character.
      expect(/[\p{L}\p{N}\p{Co}]/u.test(ch), ch).toBe(word);
      expect(/[\p{L}\p{N}\p{Co}\p{M}]/u.test(ch), ch).toBe(word);
      const lower = String.fromCharCode(canonCode(code));
      if (word) {
        expect(searchTerms(ch), ch).toEqual([lower]); // starts a word, lowercased
        expect(searchTerms(`q${ch}z`), ch).toEqual([`q${lower}z`]); // continues one
        expect(searchTerms(`${ch}${ch}${ch}${ch}`), ch).toEqual([lower.repeat(4)]);
      } else {
        expect(searchTerms(ch), ch).toEqual([]); // starts none
        expect(searchTerms(`q${ch}z`), ch).toEqual(['q', 'z']); // continues none: ends the word, like a space
        expect(searchTerms(`q${ch}${ch}z${ch}`), ch).toEqual(searchTerms('q  z '));
      }
    }
  });

  it.runIf(SQLITE)('L2: NFC keeps ASCII and lowercasing maps it one character at a time', () => {
    const all = PRINTABLE.join('');
    expect(all.normalize('NFC')).toBe(all);
    expect(all.toLowerCase()).toBe(PRINTABLE.map((ch) => (isUpperCode(ch.charCodeAt(0)) ? String.fromCharCode(ch.charCodeAt(0) + 32) : ch)).join(''));
    // Mixed-case runs: lowercasing a run is lowercasing each character.
    const letters = PRINTABLE.filter((ch) => canonCode(ch.charCodeAt(0)) !== 32);
    const wrong: string[] = [];
    for (const a of letters) for (const b of letters) if (`${a}${b}x`.toLowerCase() !== canon(`${a}${b}x`)) wrong.push(a + b);
    expect(wrong).toEqual([]);
  });

  it.runIf(SQLITE)('so searchTerms(s) = searchTerms(canon(s)): every printable string up to 2, and 100,000 random ones of 3–4', () => {
    const differ: string[] = [];
    const check = (s: string) => {
      const a = searchTerms(s);
      const b = searchTerms(canon(s));
      if (a.length !== b.length || a.some((w, i) => w !== b[i])) differ.push(s);
    };
    check('');
    for (const a of PRINTABLE) {
      check(a);
      for (const b of PRINTABLE) check(a + b);
    }
    const rand = seededRandom(7);
    const code = () => 32 + Math.floor(rand() * 95);
    for (let i = 0; i < 100_000; i++) {
      check(i % 2 === 0 ? String.fromCharCode(code(), code(), code()) : String.fromCharCode(code(), code(), code(), code()));
    }
    expect(differ.slice(0, 20)).toEqual([]);
  });
});

describe('search query building: exhaustive', () => {
  it.runIf(SQLITE)('(a) every string of length ≤ 4 over a–z 0–9 and space (1,926,221): words, quoting, 1,810,264 distinct engine inputs', () => {
    const codes = Array.from(`${WORD_CHARS} `, (ch) => ch.charCodeAt(0));
    const lists = emptyLists();
    const failures: string[] = [];
    const fail = (s: string, why: string) => {
      if (failures.length < 20) failures.push(`${JSON.stringify(s)}: ${why}`);
    };
    let strings = 0;

    const check = (s: string) => {
      strings++;
      let words: string[];
      let fts: string;
      let ts: string;
      try {
        words = searchTerms(s);
        fts = ftsMatch(words);
        ts = tsQueryText(words);
      } catch (err) {
        fail(s, `threw ${String(err)}`);
        return;
      }
      // The words of s, by splitting on spaces: what searchTerms must give.
      const parts: string[] = [];
      for (const part of s.split(' ')) if (part !== '' && !parts.includes(part)) parts.push(part);
      const plain = parts.filter((w) => !isStopWord(w));
      const expected = plain.length > 0 ? plain : parts;
      if (words.length !== expected.length || words.some((w, i) => w !== expected[i])) {
        fail(s, `words ${JSON.stringify(words)}, expected ${JSON.stringify(expected)}`);
        return;
      }
      const numbers = words.map(wordNumber);
      if (numbers.some((n) => n === 0)) {
        fail(s, `a word is empty or not only [a-z0-9]: ${JSON.stringify(words)}`);
        return;
      }
      // Each word quoted whole (it has no `"`, `'` or `\` to escape), two of them ORed.
      const [u, v] = words;
      if (fts !== (v === undefined ? `"${u}"` : `"${u}" OR "${v}"`) && words.length > 0) fail(s, `ftsMatch gave ${fts}`);
      if (ts !== (v === undefined ? `'${u}'` : `'${u}' | '${v}'`) && words.length > 0) fail(s, `tsQueryText gave ${ts}`);
      if (words.length === 0 && (fts !== '' || ts !== '')) fail(s, `empty words gave ${JSON.stringify([fts, ts])}`);
      if (words.length === 1) lists.singles[numbers[0]!] = 1;
      else if (words.length === 2 && numbers[0]! <= SHORT_WORDS && numbers[1]! <= SHORT_WORDS)
        lists.pairs[numbers[0]! * PAIR_STRIDE + numbers[1]!] = 1;
      else if (words.length > 0) fail(s, `unexpected words ${JSON.stringify(words)}`);
    };

    check('');
    for (const a of codes) {
      check(String.fromCharCode(a));
      for (const b of codes) {
        check(String.fromCharCode(a, b));
        for (const c of codes) {
          check(String.fromCharCode(a, b, c));
          for (const d of codes) check(String.fromCharCode(a, b, c, d));
        }
      }
    }
    expect(failures).toEqual([]);
    expect(strings).toBe(1 + 37 + 37 ** 2 + 37 ** 3 + 37 ** 4);

    // The distinct inputs are exactly the expected ones.
    const expected = expectedLists();
    const count = (a: Uint8Array) => a.reduce((n, x) => n + x, 0);
    expect(count(lists.singles)).toBe(WORDS);
    expect(count(lists.pairs)).toBe(count(expected.pairs));
    expect(Buffer.from(lists.pairs).equals(Buffer.from(expected.pairs))).toBe(true);
    expect(count(lists.singles) + count(lists.pairs)).toBe(1_810_264);
    collected = lists;
  });

  it.runIf(SQLITE)('random unicode: words, quoting and both engine inputs never throw (20,000 strings)', () => {
    // A seeded generator rather than fast-check, whose first use costs most of a second here.
    const rand = seededRandom(44);
    const below = (n: number) => Math.floor(rand() * n);
    const SPECIAL = [
      ...PRINTABLE,
      'é',
      'ß',
      'İ',
      'ﬃ',
      'ǅ',
      'Σ',
      '\u0301',
      '\u200d',
      '東',
      '🙂',
      '👩‍👩‍👧',
      '\u{E000}',
      '\u{10FFFD}',
      '\u0000',
      '\u2028',
      '\uFEFF',
      '\uD800',
      '\uDFFF',
    ];
    const unit = (kind: number): string => {
      switch (kind) {
        case 0:
          return String.fromCharCode(below(0x10000)); // any UTF-16 unit, lone surrogates included
        case 1:
          return String.fromCodePoint(below(0x110000)); // any code point
        case 2:
          return String.fromCodePoint(below(0x3000)); // Latin to CJK symbols: most scripts and combining marks
        default:
          return SPECIAL[below(SPECIAL.length)]!;
      }
    };
    const bad: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const kind = i % 5; // 4: a mix of all kinds
      let s = '';
      for (let n = below(61); n > 0; n--) s += unit(kind === 4 ? below(4) : kind);
      const words = searchTerms(s);
      const ok =
        words.length <= MAX_TERMS &&
        words.every((w) => /^[\p{L}\p{N}\p{Co}][\p{L}\p{N}\p{Co}\p{M}]*$/u.test(w) && Array.from(w).length <= MAX_TERM_LENGTH && wellFormed(w)) &&
        // Letters, digits and marks only: nothing to escape.
        ftsMatch(words) === quotedFts(words) &&
        tsQueryText(words) === quotedTs(words);
      if (!ok && bad.length < 10) bad.push(s);
    }
    expect(bad).toEqual([]);
  });
});

describe(`search engines on every distinct input (${TEST_DIALECT})`, () => {
  let db: Db;
  let index: SearchIndex;
  /** Every word of 1–2 characters, so that short words and pairs are found, and fill on a budget of 0. */
  const shortWords = Array.from({ length: SHORT_WORDS }, (_, i) => wordOf(i + 1));

  beforeAll(async () => {
    db = await testDatabase();
    await migrateToLatest(db);
    index = searchIndexFor(db);
    const docs = [
      { kind: 'article' as const, ref: 1, title: `Short words ${shortWords.slice(0, 200).join(' ')}`, body: shortWords.join(' ') },
      {
        kind: 'article' as const,
        ref: 2,
        title: 'Printer jam',
        body: 'Paper stuck: open tray A, remove it, close (and retry) — C++ & node.js users too. 0x80070005',
      },
      { kind: 'question' as const, ref: 1, title: 'NEAR the OR AND NOT', body: 'Words that are operators: AND OR NOT NEAR title body a b c.' },
    ];
    for (const doc of docs) await index.put(db, doc);
  });
  afterAll(async () => {
    await db?.destroy();
  });

  /** How many of `inputs` match a document, each through MATCH on the FTS5 table; names any that throws. */
  async function ftsMatches(inputs: string[]): Promise<number> {
    try {
      const { rows } = await sql<{ n: number }>`select count(*) as n from json_each(${JSON.stringify(inputs)}) as j
        where exists (select 1 from search_docs where search_docs match j.value)`.execute(db);
      return Number(rows[0]!.n);
    } catch (err) {
      for (const input of inputs) {
        try {
          await sql`select count(*) from search_docs where search_docs match ${input}`.execute(db);
        } catch (one) {
          throw new Error(`MATCH ${JSON.stringify(input)} threw: ${String(one)}`);
        }
      }
      throw err;
    }
  }

  /** How many of `inputs` match a document, each through to_tsquery('english', …) @@ tsv; names any that throws. */
  async function tsMatches(inputs: string[]): Promise<number> {
    const statement = (texts: string[]) => sql<{ n: number }>`select count(*) as n
      from unnest(${texts}::text[]) as i(t) cross join lateral to_tsquery('english', i.t) as q(q)
      where exists (select 1 from search_docs d where d.tsv @@ q.q)`;
    try {
      const { rows } = await statement(inputs).execute(db);
      return Number(rows[0]!.n);
    } catch (err) {
      for (const input of inputs) {
        try {
          await statement([input]).execute(db);
        } catch (one) {
          throw new Error(`to_tsquery(${JSON.stringify(input)}) threw: ${String(one)}`);
        }
      }
      throw err;
    }
  }

  it(`(b) ${SQLITE ? 'FTS5 MATCH' : 'to_tsquery @@'}: every distinct input of ≤ 3 characters and a seeded eighth of the 4-character words (~340,000), none throws`, async () => {
    const lists = sampled(collected ?? expectedLists(), 1 / 8, 11);
    const build = SQLITE ? ftsMatch : tsQueryText;
    const run = SQLITE ? ftsMatches : tsMatches;
    const short = [...wordLists(lists, (words) => words.every((w) => w.length <= 2))].map(build);
    expect(short).toHaveLength(SHORT_WORDS + 82_660);
    let total = 0;
    for (const batch of chunks(short, 50_000)) {
      const found = await run(batch);
      // SQLite's tokenizer keeps each short word as the one token it was quoted as: every input of
      // words of 1–2 characters (1,332 words alone, 82,660 pairs) finds the document holding them
      // all. (PostgreSQL's english configuration drops more stop words.)
      if (SQLITE) expect(found).toBe(batch.length);
      total += batch.length;
    }
    for (const batch of chunks(
      wordLists(lists, (words) => words.some((w) => w.length > 2)),
      50_000,
    )) {
      await run(batch.map(build));
      total += batch.length;
    }
    // 1,332 + 46,656 words of 1–3 characters, 82,660 pairs, about an eighth of the 1,679,616 others.
    expect(total).toBeGreaterThan(47_988 + 82_660 + 200_000);
    expect(total).toBeLessThan(47_988 + 82_660 + 220_000);
  });

  it('search() end to end on raw strings of those words, random case and separators', async () => {
    const rand = seededRandom(12);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    const raw = (w: string) => Array.from(w, (ch) => (rand() < 0.5 ? ch.toUpperCase() : ch)).join('');
    const sep = () => (rand() < 0.3 ? '' : pick(SEPARATORS)) + pick(SEPARATORS);
    const queries: string[] = [];
    // SQLite: every short word and pair of letters or digits, and 1,000 random strings. PostgreSQL,
    // a round trip each: a quarter of them and 300.
    const share = SQLITE ? 1 : 0.25;
    for (const w of shortWords) if (rand() < share) queries.push(sep() + raw(w) + (rand() < 0.5 ? sep() : ''));
    for (const a of shortWords.slice(0, 36))
      for (const b of shortWords.slice(0, 36)) if (a !== b && rand() < share) queries.push(raw(a) + pick(SEPARATORS) + raw(b));
    for (let i = 0; i < (SQLITE ? 1_000 : 300); i++) queries.push(Array.from({ length: 4 }, () => pick(PRINTABLE)).join(''));
    const indexes = SQLITE ? [index, sqliteSearchIndex({ budget: 0 })] : [index];
    for (const idx of indexes) {
      for (const q of queries) {
        let n: number;
        try {
          n = (await idx.search(db, q, 3)).length;
        } catch (err) {
          throw new Error(`search(${JSON.stringify(q)}) threw: ${String(err)}`);
        }
        if (n > 3) throw new Error(`search(${JSON.stringify(q)}) gave ${n} hits`);
        // Each short word is in the first document (PostgreSQL drops more stop words than ours).
        if (SQLITE && n === 0 && searchTerms(q).some((w) => w.length <= 2)) {
          throw new Error(`search(${JSON.stringify(q)}) found nothing`);
        }
      }
    }
  });
});

/** No lone surrogate. */
function wellFormed(s: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}
