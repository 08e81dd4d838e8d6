import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  indexableText,
  isEmptyQuery,
  MAX_INDEXED_CHARS,
  MAX_TERM_LENGTH,
  MAX_TERMS,
  plainSnippet,
  searchTerms,
} from '../../src/domain/search-query.js';
import { ftsMatch, ftsString } from '../../src/store/search-sqlite.js';
import { tsQueryText } from '../../src/store/search-postgres.js';

describe('search terms', () => {
  it('are the lowercased words, as the tokenizer indexes them', () => {
    expect(searchTerms('VPN keeps Dropping')).toEqual(['vpn', 'keeps', 'dropping']);
    expect(searchTerms('C++ build')).toEqual(['c', 'build']);
    expect(searchTerms('node.js e-mail')).toEqual(['node', 'js', 'e', 'mail']);
    expect(searchTerms('Café crème 東京 Ünïcödé 0x80070005')).toEqual(['café', 'crème', '東京', 'ünïcödé', '0x80070005']);
    expect(searchTerms('cafe\u0301')).toEqual(['café']); // composed
  });

  it('drop repeats and stop words, unless only stop words remain', () => {
    expect(searchTerms('how do I reset the printer printer')).toEqual(['reset', 'printer']);
    expect(searchTerms('to be or not to be')).toEqual(['to', 'be', 'or', 'not']);
  });

  it('turn FTS syntax into plain words', () => {
    expect(searchTerms('"printer" AND NEAR(jam, 5) -paper title:tray ^x * OR NOT')).toEqual([
      'printer',
      'near',
      'jam',
      '5',
      'paper',
      'title',
      'tray',
      'x',
    ]);
  });

  it('keep at most MAX_TERMS words of at most MAX_TERM_LENGTH characters', () => {
    const many = Array.from({ length: 50 }, (_, i) => `word${i}`).join(' ');
    expect(searchTerms(many)).toHaveLength(MAX_TERMS);
    const long = searchTerms('x'.repeat(500))[0]!;
    expect(long).toHaveLength(MAX_TERM_LENGTH);
    // Cut by code points: no half surrogate pair.
    const [emojiWord] = searchTerms('𝒳'.repeat(100));
    expect(Array.from(emojiWord!)).toHaveLength(MAX_TERM_LENGTH);
    expect(wellFormed(emojiWord!)).toBe(true);
  });

  it('are empty for nothing searchable, and never throw', () => {
    for (const q of ['', '   ', '\n\t', '?!', '"*():^-+', '—…', '🙂🙂', undefined, null, 42, {}]) {
      expect(isEmptyQuery(q)).toBe(true);
    }
    expect(searchTerms('a'.repeat(1_000_000))).toEqual(['a'.repeat(MAX_TERM_LENGTH)]);
    expect(searchTerms(`${'.'.repeat(1_000_000)} printer`)).toEqual(['printer']);
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) })),
        (s) => {
          const terms = searchTerms(s);
          expect(terms.length).toBeLessThanOrEqual(MAX_TERMS);
          for (const t of terms) {
            expect(t).toMatch(/^[\p{L}\p{N}\p{Co}][\p{L}\p{N}\p{Co}\p{M}]*$/u);
            expect(Array.from(t).length).toBeLessThanOrEqual(MAX_TERM_LENGTH);
          }
        },
      ),
    );
  });
});

describe('query quoting', () => {
  it('FTS5: every word a double-quoted string, inner quotes doubled, ORed', () => {
    expect(ftsMatch(['printer', 'jam'])).toBe('"printer" OR "jam"');
    expect(ftsString('a"b')).toBe('"a""b"');
    expect(ftsMatch(['AND', 'NEAR('])).toBe('"AND" OR "NEAR("');
  });

  it('PostgreSQL: every word a quoted lexeme, quotes and backslashes escaped, ORed', () => {
    expect(tsQueryText(['printer', 'jam'])).toBe("'printer' | 'jam'");
    expect(tsQueryText(["o'neil", 'a\\b'])).toBe("'o''neil' | 'a\\\\b'");
  });
});

describe('indexed text and snippets', () => {
  it('cuts huge text without splitting a surrogate pair and drops NULs', () => {
    const text = `${'x'.repeat(MAX_INDEXED_CHARS - 1)}😀tail`;
    const cut = indexableText(text);
    expect(cut.length).toBeLessThanOrEqual(MAX_INDEXED_CHARS);
    expect(wellFormed(cut)).toBe(true);
    expect(indexableText('a\u0000b')).toBe('a b');
  });

  it('snippets are plain text on one line', () => {
    expect(plainSnippet('## Fix\n\nRun **`ipconfig /flushdns`** and see [the guide](https://x.test/a).\n> quoted')).toBe(
      'Fix Run ipconfig /flushdns and see the guide. quoted',
    );
    expect(plainSnippet('…x.test/a) and reconnect')).toBe('… and reconnect');
  });
});

/** No lone surrogate. */
function wellFormed(s: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}
