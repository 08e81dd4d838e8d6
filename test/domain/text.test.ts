import { describe, expect, it } from 'vitest';
import { cleanLine, cleanUserText } from '../../src/domain/text.js';
import { formatDuration, parseDuration } from '../../src/domain/duration.js';

describe('untrusted user text', () => {
  it.each([
    '@everyone',
    '@here',
    '@channel',
    '<!channel>',
    '<!here>',
    '<!everyone>',
    '<!here|here>',
    '<@&123456789012345678>',
    '<!subteam^S012AB|@oncall>',
  ])('neutralises the mass mention %s', (mention) => {
    const out = cleanUserText(`hey ${mention} look`);
    expect(out).not.toContain(mention);
    expect(out.replace(/\u200B/g, '')).toBe(`hey ${mention} look`); // still readable
  });

  it('leaves ordinary mentions of a person and e-mail addresses alone', () => {
    expect(cleanUserText('ask <@U123> or me@here.com')).toBe('ask <@U123> or me@here.com');
  });

  it('strips control characters but keeps newlines and tabs', () => {
    expect(cleanUserText('a\u0000b\u0007c\r\nd\te\u001b[31m')).toBe('abc\nd\te[31m');
  });

  it('strips bidirectional overrides that could disguise text', () => {
    expect(cleanUserText('invoice\u202Etxt.exe')).toBe('invoicetxt.exe');
  });

  it('folds a one-line field', () => {
    expect(cleanLine('  Printer\n on   fire  ')).toBe('Printer on fire');
  });

  it('neutralises a mass mention that control characters had split', () => {
    expect(cleanUserText('hey <\u0007!here> and @\u0000everyone')).toBe('hey <\u200B!here> and @\u200Beveryone');
  });

  it('is idempotent', () => {
    const once = cleanUserText('@everyone <!here>');
    expect(cleanUserText(once)).toBe(once);
  });
});

describe('durations in config', () => {
  it.each([
    ['7 days', 7 * 86_400_000],
    ['36 hours', 36 * 3_600_000],
    ['90 minutes', 90 * 60_000],
    ['2 weeks', 14 * 86_400_000],
    ['1d', 86_400_000],
    ['30m', 1_800_000],
  ])('reads %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['soon', '7', '0 days', '-1 days', '3 fortnights', ''])('refuses %s', (text) => expect(parseDuration(text)).toBeUndefined());
  it('refuses a bare number, which says no unit', () => expect(parseDuration(7)).toBeUndefined());
  it('prints the largest whole unit', () => {
    expect(formatDuration(7 * 86_400_000)).toBe('1 week');
    expect(formatDuration(36 * 3_600_000)).toBe('36 hours');
  });
});
