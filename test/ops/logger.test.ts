import { describe, expect, it } from 'vitest';
import { createLogger, redact } from '../../src/logger.js';

// Credentials of the shapes tierdesk handles, made up (split so no scanner takes them for real ones).
const SLACK_BOT = ['xo', 'xb-', '1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx'].join('');
const SLACK_USER = ['xo', 'xp-', '1234567890-0987654321-1122334455-abcdef0123456789'].join('');
const SLACK_ROTATED = ['xo', 'xe.xo', 'xb-', '1-MTIzNDU2Nzg5MA-abcdef'].join('');
const SLACK_APP = ['xa', 'pp-', '1-A0123456789-1234567890123-abcdef0123456789abcdef'].join('');
const DISCORD_BOT = ['MTE4NzY1NDMyMTA5ODc2NTQzMg', 'GaBcDe', 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789Ab'].join('.');
const SIGNING_SECRET = '8f14e45fceea167a5a36dedd4bea2543';
const DB_PASSWORD = 'hunter2-db-pass';
const SECRETS = [SLACK_BOT, SLACK_USER, SLACK_ROTATED, SLACK_APP, DISCORD_BOT, SIGNING_SECRET, DB_PASSWORD];

/** A logger writing into memory, as it writes to stderr: one JSON line per call. */
function capture(level?: string) {
  let text = '';
  const stream = { write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WritableStream;
  const logger = createLogger({ ...(level !== undefined ? { level } : {}), stream, now: () => Date.parse('2024-06-03T09:00:00Z') });
  return {
    logger,
    get text() {
      return text;
    },
    lines: () =>
      text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const expectNoSecret = (text: string) => {
  for (const secret of SECRETS) expect(text, `leaked ${secret.slice(0, 8)}…`).not.toContain(secret);
};

describe('createLogger (pino, JSON lines)', () => {
  it('writes one JSON object per line: level by name, ISO time from the clock, the message, the fields, pid and hostname', () => {
    const out = capture();
    out.logger.info('adapter started', { platform: 'slack', count: 2 });
    out.logger.warn('slow', { ms: 1500 });

    expect(out.text.endsWith('\n')).toBe(true);
    const [first, second] = out.lines();
    expect(first).toMatchObject({
      level: 'info',
      time: '2024-06-03T09:00:00.000Z',
      msg: 'adapter started',
      platform: 'slack',
      count: 2,
      pid: process.pid,
    });
    expect(typeof first!.hostname).toBe('string');
    expect(second).toMatchObject({ level: 'warn', msg: 'slow', ms: 1500 });
  });

  it('honours the level (TIERDESK_LOG_LEVEL): below it nothing is written; an unknown level means info', () => {
    const warn = capture('warn');
    warn.logger.debug('d');
    warn.logger.info('i');
    warn.logger.warn('w');
    warn.logger.error('e');
    expect(warn.lines().map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'w'],
      ['error', 'e'],
    ]);

    const debug = capture('debug');
    debug.logger.debug('d');
    expect(debug.lines().map((l) => l.level)).toEqual(['debug']);

    const unknown = capture('verbose');
    unknown.logger.debug('d');
    unknown.logger.info('i');
    expect(unknown.lines().map((l) => l.msg)).toEqual(['i']);
  });

  it('a field named like a key of the line itself is kept under another name, not written twice', () => {
    const out = capture();
    out.logger.info('real message', { msg: 'a field', level: 'a field too' });
    const raw = out.text;
    expect(raw.match(/"msg":/g)).toHaveLength(1);
    expect(out.lines()[0]).toMatchObject({ msg: 'real message', level: 'info', msg_: 'a field', level_: 'a field too' });
  });
});

describe('secrets never reach the log', () => {
  it('fields named token, secret, password, authorization (any case, any depth, in arrays) are replaced', () => {
    const out = capture('debug');
    out.logger.error('request failed', {
      token: SLACK_BOT,
      botToken: 'plain-looking-value-1',
      signingSecret: SIGNING_SECRET,
      request: { headers: { Authorization: `Bearer ${'plain-looking-value-2'}`, cookie: 'session=plain-3' }, body: { password: DB_PASSWORD } },
      attempts: [{ client_secret: 'plain-looking-value-4' }],
      deep: { a: { b: { c: { appToken: 'plain-looking-value-5' } } } },
    });

    expectNoSecret(out.text);
    expect(out.text).not.toContain('plain-looking-value');
    expect(out.text).not.toContain('session=plain-3');
    const [line] = out.lines();
    expect(line).toMatchObject({
      token: '[redacted]',
      botToken: '[redacted]',
      signingSecret: '[redacted]',
      request: { headers: { Authorization: '[redacted]', cookie: '[redacted]' }, body: { password: '[redacted]' } },
      attempts: [{ client_secret: '[redacted]' }],
      deep: { a: { b: { c: { appToken: '[redacted]' } } } },
    });
  });

  it('token-shaped values are replaced wherever they appear: the message, plain fields, nested text', () => {
    const out = capture();
    out.logger.warn(`posting with ${SLACK_BOT} failed`, {
      note: `app token ${SLACK_APP} and user token ${SLACK_USER}`,
      nested: { list: [`Bot ${DISCORD_BOT}`, SLACK_ROTATED] },
      url: `postgres://tierdesk:${DB_PASSWORD}@db.internal:5432/desk`,
    });

    expectNoSecret(out.text);
    const [line] = out.lines();
    expect(line!.msg).toBe('posting with [redacted] failed');
    expect(line!.note).toBe('app token [redacted] and user token [redacted]');
    expect(line!.nested).toEqual({ list: ['Bot [redacted]', '[redacted]'] });
    expect(line!.url).toBe('postgres://tierdesk:[redacted]@db.internal:5432/desk');
  });

  it('errors keep their type, message and stack, redacted, with their own fields and causes', () => {
    const cause = new Error(`login with ${DISCORD_BOT} refused`);
    const err = Object.assign(new Error(`slack said invalid_auth for ${SLACK_BOT}`, { cause }), {
      code: 'slack_webapi_platform_error',
      token: SLACK_APP,
      data: { authorization: 'plain-auth-header' },
    });
    const out = capture();
    out.logger.error('unexpected error handling an inbound event', { error: err, err, ref: 'abc123' });

    expectNoSecret(out.text);
    expect(out.text).not.toContain('plain-auth-header');
    const [line] = out.lines();
    for (const key of ['error', 'err']) {
      const e = line![key] as Record<string, unknown>;
      expect(e.type).toBe('Error');
      expect(e.message).toBe('slack said invalid_auth for [redacted]');
      expect(String(e.stack)).toMatch(/^Error: slack said invalid_auth for \[redacted\]\n\s+at /);
      expect(e).toMatchObject({ code: 'slack_webapi_platform_error', token: '[redacted]', data: { authorization: '[redacted]' } });
      expect(e.cause).toMatchObject({ type: 'Error', message: 'login with [redacted] refused' });
    }
  });

  it('a stack passed as text (what the router logs) is redacted too', () => {
    const err = new Error(`cannot post: ${SLACK_BOT}`);
    const out = capture();
    out.logger.error('unexpected error', { error: err.stack });
    expectNoSecret(out.text);
    expect(out.lines()[0]!.error).toMatch(/^Error: cannot post: \[redacted\]\n/);
  });

  it('redact() leaves ordinary values alone', () => {
    const value = { ticket: 12, platform: 'discord', key: 'discord:interaction:1187654321098765432', text: 'Printer on fire', ok: true, none: null };
    expect(redact(value)).toEqual(value);
  });
});
