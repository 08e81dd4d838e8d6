import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { openDatabase } from '../../src/store/connect.js';
import { redactSecretsOf, redactUrl } from '../../src/store/url-secrets.js';
import { runCli } from '../e2e/support.js';

// Passwords as people really write them: unencoded, with every character that breaks a URL.
const ODD = ['p@ss/w rd', 'a:b:c', '100%sure', 'sl/ash', 'we ird@', 'x%zz@@y', 'q?x=1&y'];

describe('a database URL fit to print', () => {
  for (const password of ODD) {
    it(`hides the password ${JSON.stringify(password)} and keeps the user, host and database`, () => {
      const printed = redactUrl(`postgres://tierdesk:${password}@db.example:5432/help?sslmode=require`);
      expect(printed).toBe('postgres://tierdesk:***@db.example:5432/help?sslmode=require');
    });
  }

  it('hides secret query parameters, encoded or not, and leaves the others', () => {
    expect(redactUrl('postgres://db.example/help?password=s3cr%et&application_name=td')).toBe(
      'postgres://db.example/help?password=***&application_name=td',
    );
    expect(redactUrl('postgres://u@h/d?sslpassword=x/y@z&options=-c%20search_path%3Dq')).toBe(
      'postgres://u@h/d?sslpassword=***&options=-c%20search_path%3Dq',
    );
    expect(redactUrl('postgresql://u@h/d?pass%77ord=hunter2')).toBe('postgresql://u@h/d?pass%77ord=***');
  });

  it('leaves URLs without credentials and SQLite paths alone', () => {
    expect(redactUrl('postgres://db.example/help')).toBe('postgres://db.example/help');
    expect(redactUrl('postgres://user@db.example/help?options=a@b')).toBe('postgres://user@db.example/help?options=a@b');
    expect(redactUrl('./data/tierdesk.db')).toBe('./data/tierdesk.db');
  });
});

describe('what pg says about a URL with an odd password', () => {
  // pg splits `s3@127.0.0.1:5432/nodb x` at the first `/`: the rest of the password becomes the
  // database name, and PostgreSQL's error quotes it.
  const url = 'postgres://postgres:s3@127.0.0.1:5432/nodb x@127.0.0.1:5432/test';

  it.runIf(process.env.TIERDESK_TEST_PG_URL)('is redacted wherever the password or a piece of it shows', async () => {
    const db = openDatabase(url);
    const err = await sql`select 1`.execute(db).then(
      () => undefined,
      (e: Error) => e,
    );
    await db.destroy();
    expect(err?.message).toMatch(/nodb/); // what pg really says
    expect(redactSecretsOf(url, err!.message)).not.toMatch(/nodb|s3/);
  });

  it('never reaches a log line, even in pieces', () => {
    let out = '';
    const stream = new Writable({ write: (chunk, _enc, done) => ((out += String(chunk)), done()) });
    const logger = createLogger({ stream, databaseUrl: url });
    logger.error(`could not connect to ${url}`, { error: new Error('database "nodb x@127.0.0.1:5432/test" does not exist') });
    expect(out).not.toMatch(/nodb|s3@/);
    expect(out).toContain('could not connect to postgres://postgres:[redacted]@127.0.0.1:5432/test');
  });
});

describe('the CLI with an odd password in DATABASE_URL', () => {
  const password = 'p@ss/w rd?nodb';
  const url = `postgres://postgres:${password}@127.0.0.1:1/test?sslpassword=topsecret`;

  it('check prints the URL without its secrets', async () => {
    const r = await runCli(['check'], { env: { DATABASE_URL: url } });
    expect(r.stdout).toContain('database postgres://postgres:***@127.0.0.1:1/test?sslpassword=***');
    expect(r.stdout + r.stderr).not.toMatch(/w rd|nodb|topsecret/);
  });

  it("a connection error names the database without the password or pg's misreading of it", async () => {
    const r = await runCli(['start'], { env: { DATABASE_URL: url } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Cannot open the database at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/test\?sslpassword=\*\*\*: /);
    expect(r.stderr).not.toMatch(/w rd|nodb|topsecret|p@ss/);
  });
});
