/**
 * Credentials in a database URL, found by parsing it as a person wrote it: a password may hold `/`,
 * `@`, `:`, `%` or a space, unencoded, which a URL parser (and pg) would split in the wrong places.
 */

// Query parameters that carry a secret (libpq's `password`, `sslpassword`; anything named like one).
const SECRET_PARAM = /pass|secret|token|key|credential/i;
// What may follow the user info: a host list (`h1:5432,h2`, `[::1]`), then the path, query or the end.
const HOST_THEN_END = /^[A-Za-z0-9.\-_[\]:,%]*(?:[/?#]|$)/;

interface Parsed {
  scheme: string;
  user: string;
  password?: string;
  /** Everything after the user info: host, path, query. */
  rest: string;
}

function parse(url: string): Parsed | undefined {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([\s\S]*)$/i.exec(url.trim());
  if (!m) return undefined;
  const [, scheme, tail] = m as unknown as [string, string, string];
  // The user info ends at the last `@` that a host list follows: an `@` inside the password comes before it.
  let at = -1;
  for (let i = tail.lastIndexOf('@'); i >= 0; i = tail.lastIndexOf('@', i - 1)) {
    if (HOST_THEN_END.test(tail.slice(i + 1))) {
      at = i;
      break;
    }
  }
  if (at < 0) return { scheme, user: '', rest: tail };
  const info = tail.slice(0, at);
  const colon = info.indexOf(':');
  return { scheme, user: colon < 0 ? info : info.slice(0, colon), rest: tail.slice(at), ...(colon < 0 ? {} : { password: info.slice(colon + 1) }) };
}

/** `k=v` pairs of the query, with where each value starts, as written (not decoded). */
function secretParams(rest: string): { start: number; value: string }[] {
  const q = rest.indexOf('?');
  if (q < 0) return [];
  const out: { start: number; value: string }[] = [];
  let offset = q + 1;
  for (const pair of rest.slice(q + 1).split('&')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && SECRET_PARAM.test(safeDecode(pair.slice(0, eq)))) out.push({ start: offset + eq + 1, value: pair.slice(eq + 1) });
    offset += pair.length + 1;
  }
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A database URL fit to print: the password and every secret query parameter replaced by `mask`. */
export function redactUrl(url: string, mask = '***'): string {
  const p = parse(url);
  if (!p) return url;
  let rest = p.rest;
  for (const { start, value } of secretParams(rest).reverse()) rest = `${rest.slice(0, start)}${mask}${rest.slice(start + value.length)}`;
  const info = p.password !== undefined ? `${p.user}:${mask}` : p.user;
  return `${p.scheme}${info}${rest}`;
}

/**
 * The secrets of a database URL as they may show up in text: each as written and decoded, and the
 * pieces a misreading parser could print on their own (`p@ss/word` read by pg gives host `ss`).
 */
export function urlSecrets(url: string): string[] {
  return secretsOf(url).flatMap((s) => [s.whole, ...s.pieces]);
}

function secretsOf(url: string): { whole: string; pieces: string[] }[] {
  const p = parse(url);
  if (!p) return [];
  const whole = [p.password, ...secretParams(p.rest).map((s) => s.value)].filter((s): s is string => s !== undefined && s !== '');
  return whole.flatMap((s) =>
    [...new Set([s, safeDecode(s)])].map((v) => ({ whole: v, pieces: v.split(/[/@:?#&=\s]+/).filter((p) => p.length >= 2 && p !== v) })),
  );
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const alone = (s: string) => new RegExp(`(?<![A-Za-z0-9])${escape(s)}(?![A-Za-z0-9])`, 'g');

/** `text` (an error message, say) with every secret of `url` replaced by `***`; pieces only where they stand alone. */
export function redactSecretsOf(url: string, text: string, mask = '***'): string {
  // The URL itself, written out in full, is printed redacted (set aside so its host is not taken for a piece).
  const mark = '\u0000url\u0000';
  let out = text.split(url.trim()).join(mark);
  const secrets = secretsOf(url);
  // Whole secrets wherever they are (a short one only standing alone), then the pieces standing alone.
  for (const { whole } of secrets) out = whole.length >= 4 ? out.split(whole).join(mask) : out.replace(alone(whole), mask);
  for (const piece of secrets.flatMap((s) => s.pieces).sort((a, b) => b.length - a.length)) out = out.replace(alone(piece), mask);
  return out.split(mark).join(redactUrl(url, mask));
}
