import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isEmptyQuery } from '../../src/domain/search-query.js';
import type { Db } from '../../src/store/connect.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { searchIndexFor } from '../../src/store/search-index.js';
import { tsQueryText } from '../../src/store/search-postgres.js';
import { ftsMatch, sqliteSearchIndex } from '../../src/store/search-sqlite.js';
import { docKey, type SearchDoc, type SearchHit, type SearchIndex } from '../../src/store/search.js';
import { TEST_DIALECT, testDatabase } from '../support/database.js';

const SQLITE = TEST_DIALECT === 'sqlite';

let db: Db;
let index: SearchIndex;

async function clear(): Promise<void> {
  await db.deleteFrom('search_docs').execute();
}

async function put(...docs: SearchDoc[]): Promise<void> {
  for (const doc of docs) await index.put(db, doc);
}

const keys = (hits: SearchHit[]) => hits.map((h) => docKey(h.kind, h.ref));

const article = (ref: number, title: string, body: string): SearchDoc => ({ kind: 'article', ref, title, body });
const question = (ref: number, title: string, body: string): SearchDoc => ({ kind: 'question', ref, title, body });

beforeAll(async () => {
  db = await testDatabase();
  await migrateToLatest(db);
  index = searchIndexFor(db);
});
afterAll(async () => {
  await db.destroy();
});

describe(`search index (${TEST_DIALECT})`, () => {
  beforeEach(clear);

  it('is one per database, whatever the dialect', () => {
    expect(searchIndexFor(db)).toBe(index);
  });

  it('ranks a title match above a body-only match', async () => {
    await put(
      article(1, 'Office tips', 'Restart the printer in room 4 when the queue is stuck, then try again.'),
      article(2, 'Printer jam', 'Open the tray, remove the stuck paper, close the tray and try again.'),
      article(3, 'Unrelated', 'Nothing to see here at all.'),
    );
    const hits = await index.search(db, 'printer', 10);
    expect(keys(hits)).toEqual(['article:2', 'article:1']);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    expect(hits[0]!.title).toBe('Printer jam');
  });

  it('ranks documents matching more of the words higher', async () => {
    await put(
      article(1, 'Remote access', 'The vpn client needs an update before it connects again to the office.'),
      article(2, 'Remote access', 'The vpn token expired and the client asks for a new one every morning.'),
      article(3, 'Remote access', 'The vpn token is shown in the app and never changes for the whole week.'),
      article(4, 'Calendar', 'Meetings vanish from the shared calendar after an update of the app.'),
    );
    const hits = await index.search(db, 'vpn token expired', 10);
    expect(keys(hits)).toEqual(['article:2', 'article:3', 'article:1']);
  });

  it('finds words by their stem', async () => {
    await put(article(1, 'Network', 'The connection drops every hour.'), article(2, 'Other', 'Nothing relevant.'));
    expect(keys(await index.search(db, 'connecting', 5))).toEqual(['article:1']);
    expect(keys(await index.search(db, 'CONNECTIONS', 5))).toEqual(['article:1']);
  });

  it('finds words with and without diacritics', async () => {
    await put(article(1, 'Guest wifi', 'The café network needs the guest password.'), article(2, 'Naïve setup', 'Plain cafe text.'));
    expect(keys(await index.search(db, 'café', 5)).sort()).toEqual(SQLITE ? ['article:1', 'article:2'] : ['article:1']);
    if (SQLITE) {
      // remove_diacritics 2: accents never matter on SQLite (PostgreSQL's english configuration keeps them).
      expect(keys(await index.search(db, 'cafe', 5)).sort()).toEqual(['article:1', 'article:2']);
      expect(keys(await index.search(db, 'naive', 5))).toEqual(['article:2']);
    }
  });

  it('keeps articles and questions with the same number apart', async () => {
    await put(article(7, 'Mailbox full', 'Archive old mail.'), question(7, 'Mailbox quota', 'My mailbox is full, what now? Answer: archive.'));
    const hits = await index.search(db, 'mailbox', 5);
    expect(keys(hits).sort()).toEqual(['article:7', 'question:7']);
    expect(hits.find((h) => h.kind === 'question')!.title).toBe('Mailbox quota');
  });

  it('replaces a document put again, and forgets a removed one', async () => {
    await put(article(1, 'Printer jam', 'Paper stuck in tray two.'), article(2, 'Toner', 'Replace the toner cartridge.'));
    await index.put(db, article(1, 'Scanner offline', 'Restart the scanner service.'));
    expect(await index.search(db, 'printer paper', 5)).toEqual([]);
    const hits = await index.search(db, 'scanner', 5);
    expect(keys(hits)).toEqual(['article:1']);
    expect(hits[0]!.title).toBe('Scanner offline');
    // Put again, the same: still one document.
    await index.put(db, article(1, 'Scanner offline', 'Restart the scanner service.'));
    expect(await index.search(db, 'scanner', 5)).toHaveLength(1);

    await index.remove(db, 'article', 1);
    expect(await index.search(db, 'scanner', 5)).toEqual([]);
    expect(keys(await index.search(db, 'toner', 5))).toEqual(['article:2']);
    // Removing what is not there is fine.
    await index.remove(db, 'article', 1);
    await index.remove(db, 'question', 99);
  });

  it('puts and removes inside the caller transaction, rolled back with it', async () => {
    await put(article(1, 'Keep me', 'Stays.'));
    await expect(
      db.transaction().execute(async (trx) => {
        await index.put(trx, article(2, 'Rolled back', 'Gone with the transaction.'));
        await index.remove(trx, 'article', 1);
        expect(keys(await index.search(trx, 'rolled', 5))).toEqual(['article:2']);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await index.search(db, 'rolled', 5)).toEqual([]);
    expect(keys(await index.search(db, 'keep', 5))).toEqual(['article:1']);
  });

  it('gives a short plain-text snippet around the words', async () => {
    const filler = Array.from({ length: 60 }, (_, i) => `filler${i}`).join(' ');
    await put(article(1, 'Flush DNS', `${filler} then run **ipconfig** and **flushdns** as [admin](https://x.test/admin) ${filler}`));
    const [hit] = await index.search(db, 'flushdns', 5);
    expect(hit!.snippet).toContain('flushdns');
    expect(hit!.snippet).not.toMatch(/\*\*|\]\(|\n/);
    expect(hit!.snippet.length).toBeLessThan(200);
  });

  it('respects the limit', async () => {
    for (let i = 1; i <= 12; i++) await put(article(i, `Password reset ${i}`, 'Reset your password in the portal.'));
    expect(await index.search(db, 'password', 5)).toHaveLength(5);
    expect(await index.search(db, 'password', 1000)).toHaveLength(12);
    expect(await index.search(db, 'password', 0)).toEqual([]);
    expect(await index.search(db, 'password', -3)).toEqual([]);
    expect(await index.search(db, 'password', Number.NaN)).toEqual([]);
  });

  it('answers [] to a query with nothing to search for', async () => {
    await put(article(1, 'Anything', 'Some words.'));
    for (const q of ['', ' ', '\n\t ', '?!?', '"', '""', '*', '()', '-', '^', ':', '"*():^-+', '🙂', '— … —']) {
      expect(isEmptyQuery(q)).toBe(true);
      expect(await index.search(db, q, 5)).toEqual([]);
    }
  });

  it('treats FTS syntax as plain characters and still finds the words', async () => {
    await put(
      article(1, 'Printer jam', 'Paper stuck in the printer tray.'),
      article(2, 'C++ toolchain', 'Install the C++ compiler and node.js before building.'),
      article(3, 'Unrelated', 'Calendar sync.'),
    );
    const printer = [
      '"printer',
      'printer"',
      '"printer"',
      'printer*',
      '*printer',
      'printer AND',
      'AND printer',
      'printer OR',
      'OR printer',
      'NOT printer',
      'printer NOT',
      'NEAR(printer',
      'NEAR(printer, 2)',
      'NEAR printer',
      '-printer',
      '+printer',
      '^printer',
      'printer^',
      'title:printer',
      'body:printer',
      '{title}: printer',
      '{title body}: printer',
      'printer:',
      '(printer',
      'printer)',
      "printer'",
      "'printer'",
      'printer\\',
      'printer;drop table search_docs',
      'printer"*"',
      '"" printer ""',
      'printer\u0000',
      'printer AND NOT OR NEAR',
      'printer -- comment',
      'printer /* x */',
      'Printer? jam!',
      'PRINTER',
    ];
    for (const q of printer) expect(keys(await index.search(db, q, 5)), q).toContain('article:1');
    // PostgreSQL's parser indexes `node.js` as one word (a host name); SQLite's as `node` and `js`.
    for (const q of ['C++', 'c++ compiler', '"C++" AND', 'c#', ...(SQLITE ? ['node.js'] : [])])
      expect(keys(await index.search(db, q, 5)), q).toContain('article:2');
    // Operators are words like any other: NEAR is in no document; `and` is (a stop word, searched
    // for when nothing else is asked; PostgreSQL's english configuration never indexes it).
    for (const q of ['NEAR', 'NEAR(', 'NEAR(NEAR', '* NEAR *']) expect(await index.search(db, q, 5), q).toEqual([]);
    for (const q of ['AND', 'AND OR NOT', '* AND *']) expect(keys(await index.search(db, q, 5)), q).toEqual(SQLITE ? ['article:2'] : []);
  });

  it('quotes even words the tokenizer never makes, so the engine reads them as text', async () => {
    // searchTerms yields letters and digits only; the quoting must hold on its own as well.
    await put(article(1, 'AND OR NOT NEAR', 'a"b x:y c* (d) -e ^f'));
    const nasty = [
      'AND',
      'OR',
      'NOT',
      'NEAR(',
      'a"b',
      '"',
      '""',
      'x:y',
      'title:x',
      '{title}',
      'c*',
      '*',
      '(d)',
      '-e',
      '^f',
      "o'k",
      'a\\',
      '&',
      '|',
      '!',
      '<->',
      ':*',
      'NEAR(a b, 2)',
    ];
    if (SQLITE) {
      const { rows } = await sql<{ id: number }>`select rowid as id from search_docs where search_docs match ${ftsMatch(nasty)}`.execute(db);
      expect(rows.map((r) => Number(r.id))).toEqual([2]);
    } else {
      const { rows } = await sql<{ id: number }>`select id from search_docs where tsv @@ to_tsquery('english', ${tsQueryText(nasty)})`.execute(db);
      expect(rows.map((r) => Number(r.id))).toEqual([2]);
    }
  });

  it('survives huge queries and documents', async () => {
    const body = `${'lorem ipsum dolor '.repeat(200_000)} needle`;
    await put(article(1, 'Huge', body), article(2, 'Small', 'a needle in a haystack'), article(3, `${'t'.repeat(10_000)} x`, ''));
    // Past the indexed part: found only in the small one.
    expect(keys(await index.search(db, 'needle', 5))).toEqual(['article:2']);
    expect(keys(await index.search(db, 'lorem', 5))).toEqual(['article:1']);
    expect(keys(await index.search(db, `${'haystack '.repeat(100_000)}`, 5))).toEqual(['article:2']);
    expect(await index.search(db, '('.repeat(1_000_000), 5)).toEqual([]);
  });
});

describe.runIf(SQLITE)('search on a large index (sqlite, a budget of 3 documents)', () => {
  // Words in more documents than the budget are "common": they are not ranked, only used to fill.
  let small: SearchIndex;
  beforeAll(() => {
    small = sqliteSearchIndex({ budget: 3 });
  });
  beforeEach(async () => {
    await clear();
    for (let i = 1; i <= 10; i++) {
      await small.put(db, article(i, i % 2 === 0 ? 'Outlook settings' : 'Mail settings', `Outlook ${i % 3 === 0 ? 'crashes on start' : 'works'}.`));
    }
    await small.put(db, article(20, 'Outlook crash 0x8004010f', 'Error 0x8004010f when Outlook starts: repair the profile.'));
  });

  it('ranks by the rare words, then fills from the common ones, best first and without repeats', async () => {
    const hits = await small.search(db, 'outlook 0x8004010f', 5);
    expect(keys(hits)[0]).toBe('article:20');
    expect(hits).toHaveLength(5);
    expect(new Set(keys(hits)).size).toBe(5);
    for (let i = 1; i < hits.length; i++) expect(hits[i]!.score).toBeLessThan(hits[i - 1]!.score);
    for (const h of hits) expect(h.score).toBeGreaterThan(0);
    // Fill: newest first, those with the words in the title first.
    expect(keys(hits).slice(1)).toEqual(['article:10', 'article:8', 'article:6', 'article:4']);
  });

  it('answers a query of common words only from the newest documents having them in the title', async () => {
    const hits = await small.search(db, 'outlook settings', 3);
    expect(keys(hits)).toEqual(['article:10', 'article:8', 'article:6']);
    expect(await small.search(db, 'settings', 20)).toHaveLength(10);
    // Every document containing a word is found, however the plan goes.
    expect(keys(await small.search(db, 'outlook', 20)).sort()).toHaveLength(11);
  });

  it('finds what another writer put since its words were counted', async () => {
    expect(await small.search(db, 'zebra', 5)).toEqual([]);
    expect(keys(await small.search(db, 'profile', 5))).toEqual(['article:20']);
    // Through another index: this one's counts (zebra: 0, profile: 1) are now stale.
    const other = sqliteSearchIndex({ budget: 3 });
    await other.put(db, article(21, 'Zebra printer profile', 'Repair the profile.'));
    expect(keys(await small.search(db, 'zebra', 5))).toEqual(['article:21']);
    expect(keys(await small.search(db, 'profile', 5)).sort()).toEqual(['article:20', 'article:21']);
    await small.remove(db, 'article', 20);
    expect(keys(await small.search(db, 'profile', 5))).toEqual(['article:21']);
  });
});

/** Every string of length ≤ n over `alphabet`. */
function* strings(alphabet: readonly string[], min: number, max: number): Generator<string> {
  for (let len = min; len <= max; len++) {
    const idx = new Array<number>(len).fill(0);
    for (;;) {
      yield idx.map((i) => alphabet[i]).join('');
      let k = len - 1;
      while (k >= 0 && ++idx[k]! === alphabet.length) idx[k--] = 0;
      if (k < 0) break;
    }
  }
}

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
// The words and characters FTS5 and tsquery give a meaning to, and words made of letters.
const SYNTAX_TOKENS = [
  '"',
  '*',
  'AND',
  'OR',
  'NOT',
  'NEAR(',
  'NEAR',
  '(',
  ')',
  ',',
  '-',
  '+',
  '^',
  ':',
  'title:',
  '{title}',
  'C++',
  'a',
  'printer',
  ' ',
  "'",
  '\\',
  '!',
  '&',
  '|',
  '<->',
];

// Every printable ASCII string up to 4 characters is covered by test/store/search-fuzz.test.ts (an
// exhaustive argument; it replaced "any string of 3–4 syntax characters" here). These search()
// end to end on raw text, longer token sequences and random unicode.
describe(`search fuzzing (${TEST_DIALECT})`, () => {
  beforeAll(async () => {
    await clear();
    await put(
      article(1, 'Printer jam', 'Paper stuck: open tray A, remove it, close (and retry) — C++ & node.js users too.'),
      question(1, 'NEAR the OR AND NOT', 'Words that are operators: AND OR NOT NEAR title body a b c.'),
      article(2, 'Ünïcödé café 東京', 'Naïve façade; emoji 🙂 and 0x80070005.'),
    );
  });

  async function never(queries: Iterable<string>): Promise<number> {
    let n = 0;
    for (const q of queries) {
      let hits: SearchHit[];
      try {
        hits = await index.search(db, q, 3);
      } catch (err) {
        throw new Error(`search(${JSON.stringify(q)}) threw: ${String(err)}`);
      }
      if (hits.length > 3) throw new Error(`search(${JSON.stringify(q)}) gave ${hits.length} hits`);
      n++;
    }
    return n;
  }

  it.runIf(SQLITE)('never throws on any printable ASCII string up to 2 characters (9,120)', async () => {
    expect(await never(strings(PRINTABLE, 0, 2))).toBe(1 + 95 + 95 * 95);
  });

  it.runIf(SQLITE)('never throws on any sequence of up to 3 syntax tokens (18,279)', async () => {
    expect(await never(strings(SYNTAX_TOKENS, 1, 3))).toBe(26 + 26 ** 2 + 26 ** 3);
  });

  it('never throws on a sample of printable ASCII and syntax sequences', async () => {
    const rand = fc.sample(fc.integer({ min: 0, max: 1 << 30 }), { numRuns: 1, seed: 7 })[0]!;
    const pick = <T>(xs: readonly T[], i: number) => xs[(rand + i * 7919) % xs.length]!;
    const sample = [
      ...PRINTABLE,
      ...Array.from({ length: 300 }, (_, i) => pick(PRINTABLE, i) + pick(PRINTABLE, i * 31) + pick(PRINTABLE, i * 97) + pick(PRINTABLE, i * 13)),
      ...Array.from({ length: 300 }, (_, i) =>
        [pick(SYNTAX_TOKENS, i), pick(SYNTAX_TOKENS, i * 3), pick(SYNTAX_TOKENS, i * 11), pick(SYNTAX_TOKENS, i * 17)].join(''),
      ),
    ];
    expect(await never(sample)).toBe(sample.length);
  });

  it('never throws on random unicode, and finds a word put among any characters', async () => {
    const runs = SQLITE ? 1_500 : 150;
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      // Lone surrogates included.
      fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 }),
      fc.array(fc.constantFrom(...SYNTAX_TOKENS), { maxLength: 8 }).map((t) => t.join('')),
    );
    await fc.assert(
      fc.asyncProperty(text, async (q) => {
        await never([q]);
      }),
      { numRuns: runs, seed: 42 },
    );
    // Whatever surrounds it, a separated word is still searched for.
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: fc.constantFrom(...'"*():^-+{}\'\\,;!&|<> '), maxLength: 6 }),
        fc.string({ unit: fc.constantFrom(...'"*():^-+{}\'\\,;!&|<> '), maxLength: 6 }),
        async (a, b) => {
          expect(keys(await index.search(db, `${a}printer${b}`, 3))).toContain('article:1');
        },
      ),
      { numRuns: SQLITE ? 500 : 50, seed: 43 },
    );
  });
});
