import { pino } from 'pino';
import type { LogFields, Logger } from './ports.js';
import { redactSecretsOf, redactUrl } from './store/url-secrets.js';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof LEVELS;

// Field names whose values never reach a log, whoever passes them.
const SECRET_KEY = /token|secret|password|passwd|authorization|signature|cookie|credential|api_?key/i;
// Values that look like credentials, wherever they appear (a message, an error's stack, a URL):
// Slack bot, user and app tokens (also rotated `xoxe.` ones), Discord bot tokens (the base64 of the
// bot's id, a timestamp, an HMAC), and the password part of a URL such as DATABASE_URL.
const SECRET_VALUE = /\b(?:xox[a-z](?:\.xox[a-z])?-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|[MNO][A-Za-z\d_-]{23,27}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,})\b/g;
// A URL with credentials: up to its last `@` on the line, since an unencoded password may hold `/`, `:` or `@`.
const URL_WITH_CREDENTIALS = /\b[a-z][a-z0-9+.-]*:\/\/[^\s]*@[^\s]*/gi;

/** Keys every line has: `level`, `time`, `msg`, and pino's `pid` and `hostname`. */
const RESERVED = ['level', 'time', 'msg', 'pid', 'hostname'] as const;

/** `urls`: database URLs whose credentials are known by value, so they are found wherever they appear (pg's messages). */
const redactText = (text: string, urls: readonly string[]): string => {
  let out = text;
  for (const url of urls) out = redactSecretsOf(url, out, '[redacted]');
  return out.replace(SECRET_VALUE, '[redacted]').replace(URL_WITH_CREDENTIALS, (url) => redactUrl(url, '[redacted]'));
};

/**
 * Remove secrets from log fields: by key name, and by the shape of Slack and Discord tokens. An
 * Error becomes `{ type, message, stack }` (its own fields too), each redacted the same way: its
 * message and stack are not enumerable, so they would otherwise be lost, or logged unredacted.
 */
export function redact(value: unknown, depth = 0, urls: readonly string[] = []): unknown {
  if (depth > 6) return '[deep]';
  if (typeof value === 'string') return redactText(value, urls);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1, urls));
  if (value instanceof Error) {
    const out: Record<string, unknown> = { type: value.name, message: redactText(value.message, urls) };
    if (value.stack !== undefined) out.stack = redactText(value.stack, urls);
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1, urls);
    if (value.cause !== undefined) out.cause = redact(value.cause, depth + 1, urls);
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1, urls);
    return out;
  }
  return value;
}

/**
 * A logger writing one JSON object per line (to stderr by default) through pino, secrets redacted:
 * `{"level":"info","time":"2024-06-03T09:00:00.000Z","pid":…,"hostname":…,"msg":…,…fields}`.
 * Every field and the message go through `redact` before pino sees them (pino's own `redact` paths
 * only know key names, not token shapes in values). `databaseUrl`: its password and secret parameters
 * never show, even in pieces (src/store/url-secrets.ts).
 */
export function createLogger(options: { level?: string; stream?: NodeJS.WritableStream; now?: () => number; databaseUrl?: string } = {}): Logger {
  const urls = options.databaseUrl !== undefined ? [options.databaseUrl] : [];
  const level: LogLevel = options.level !== undefined && options.level in LEVELS ? (options.level as LogLevel) : 'info';
  const now = options.now ?? Date.now;
  const stream = options.stream ?? process.stderr;
  const log = pino(
    {
      level,
      timestamp: () => `,"time":"${new Date(now()).toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
      // An Error is already plain data (see `redact`): pino's own `err` serializer must not redo it.
      serializers: { err: (err: unknown) => err },
    },
    { write: (line: string) => void stream.write(line) },
  );
  const write = (lvl: LogLevel) => (msg: string, fields?: LogFields) => {
    if (!log.isLevelEnabled(lvl)) return;
    const safe = fields ? (redact(fields, 0, urls) as LogFields) : {};
    // A field named like one of the line's own keys is kept under another name, not written twice.
    for (const key of RESERVED) {
      if (!(key in safe)) continue;
      safe[`${key}_`] = safe[key];
      delete safe[key];
    }
    log[lvl](safe, redactText(msg, urls));
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** A logger that keeps lines in memory (tests). */
export function createMemoryLogger(): Logger & { lines: Array<{ level: LogLevel; msg: string; fields?: LogFields }> } {
  const lines: Array<{ level: LogLevel; msg: string; fields?: LogFields }> = [];
  const write = (level: LogLevel) => (msg: string, fields?: LogFields) => void lines.push({ level, msg, ...(fields ? { fields } : {}) });
  return { lines, debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
