/**
 * Untrusted text from users. Mass mentions are neutralised so that relaying a message never pings
 * a whole channel; control characters are stripped (newlines and tabs stay); lengths are checked by
 * the caller against the limit that applies to the field.
 */

// A zero-width joiner after the '@' (or inside Slack's special-mention syntax) keeps the text
// readable while no platform recognises it as a mention any more.
const ZWJ = '\u200B';

const MASS_MENTIONS: Array<[RegExp, (m: string) => string]> = [
  [/<!(channel|here|everyone)(\|[^>]*)?>/gi, (m) => `<${ZWJ}!${m.slice(2)}`],
  [/<!subteam\^[A-Z0-9]+(\|[^>]*)?>/gi, (m) => `<${ZWJ}${m.slice(1)}`],
  // Not inside an e-mail address (me@here.com) or a longer word.
  [/(?<![\w.+-])@(everyone|here|channel)\b(?!\.\w)/gi, (m) => `@${ZWJ}${m.slice(1)}`],
  [/<@&\d+>/g, (m) => `<${ZWJ}${m.slice(1)}`], // Discord role mention
];

const MENTION_START = /[<@]/;

// C0 and C1 controls except \t and \n; \r is dropped (a \r\n becomes \n).
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Neutralise mass mentions and strip control characters. Idempotent. */
export function cleanUserText(text: string): string {
  let out = text.replace(CONTROL, '');
  // Every mass mention starts with one of these: most text has neither, and needs no more look.
  if (!MENTION_START.test(out)) return out;
  for (const [pattern, fix] of MASS_MENTIONS) out = out.replace(pattern, fix);
  return out;
}

/** Clean a one-line field (a title): newlines become spaces, runs of spaces fold, ends are trimmed. */
export function cleanLine(text: string): string {
  return cleanUserText(text).replace(/\s+/g, ' ').trim();
}
