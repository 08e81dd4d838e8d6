import type { LogFields, Logger } from './ports.js';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof LEVELS;

// Field names whose values never reach a log, whoever passes them.
const SECRET_KEY = /token|secret|password|authorization|signature|cookie/i;
// Values that look like platform credentials, wherever they appear.
const SECRET_VALUE = /\b(xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|[MN][A-Za-z\d_-]{23,25}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,})\b/g;

/** Remove secrets from log fields: by key name, and by the shape of Slack and Discord tokens. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[deep]';
  if (typeof value === 'string') return value.replace(SECRET_VALUE, '[redacted]');
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1);
    return out;
  }
  return value;
}

/** A logger writing one JSON object per line (to stderr by default), secrets redacted. */
export function createLogger(options: { level?: string; stream?: NodeJS.WritableStream; now?: () => number } = {}): Logger {
  const min = LEVELS[(options.level as LogLevel) ?? 'info'] ?? LEVELS.info;
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const write = (level: LogLevel) => (msg: string, fields?: LogFields) => {
    if (LEVELS[level] < min) return;
    const line = { time: new Date(now()).toISOString(), level, msg, ...(fields ? (redact(fields) as LogFields) : {}) };
    stream.write(`${JSON.stringify(line)}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** A logger that keeps lines in memory (tests). */
export function createMemoryLogger(): Logger & { lines: Array<{ level: LogLevel; msg: string; fields?: LogFields }> } {
  const lines: Array<{ level: LogLevel; msg: string; fields?: LogFields }> = [];
  const write = (level: LogLevel) => (msg: string, fields?: LogFields) => void lines.push({ level, msg, ...(fields ? { fields } : {}) });
  return { lines, debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
