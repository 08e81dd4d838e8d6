import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { inject } from 'vitest';
import { openDatabase, type Db } from '../../src/store/connect.js';
import type { DialectName } from '../../src/store/dialect.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** This test run's id, the middle of its PostgreSQL schema names (test/support/postgres-setup.ts). */
    pgRun?: string;
  }
}

/**
 * The engine the tests run on: PostgreSQL with `TIERDESK_TEST_DIALECT=postgres` (the `postgres`
 * vitest project sets it when TIERDESK_TEST_PG_URL is set), SQLite otherwise.
 */
export const TEST_DIALECT: DialectName = process.env.TIERDESK_TEST_DIALECT === 'postgres' ? 'postgres' : 'sqlite';

/** Prefix of every schema the tests create; postgres-setup.ts sweeps them up. */
export const SCHEMA_PREFIX = 'tierdesk_test_';

/** Database URLs of the test PostgreSQL, without and with a search_path pointing at `schema`. */
export function pgUrl(schema?: string): string {
  const base = process.env.TIERDESK_TEST_PG_URL;
  if (!base) throw new Error('TIERDESK_TEST_DIALECT=postgres needs TIERDESK_TEST_PG_URL (e.g. postgres://postgres@127.0.0.1:5432/test)');
  if (schema === undefined) return base;
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

/** A test run's id: when it started (seconds, base 36, for sweeping up after crashes) and a nonce. */
export function runId(now = Date.now()): string {
  return `${Math.floor(now / 1000).toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
}

/** This module instance's own part of schema names: workers may be threads of one process. */
const worker = Math.random().toString(36).slice(2, 8);
let schemas = 0;
let fallbackRun: string | undefined;
function newSchemaName(): string {
  // Unique across parallel workers and parallel runs: the run's id, this worker's nonce, a counter.
  const run = inject('pgRun') ?? (fallbackRun ??= runId());
  return `${SCHEMA_PREFIX}${run}_${worker}_${++schemas}`;
}

async function openSchema(schema: string, create: boolean): Promise<Db> {
  const db = openDatabase(pgUrl(schema));
  if (create) await sql`create schema ${sql.id(schema)}`.execute(db);
  return db;
}

async function dropSchema(schema: string): Promise<void> {
  const db = openDatabase(pgUrl());
  try {
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
  } finally {
    await db.destroy();
  }
}

/**
 * A fresh, empty database for one test (not migrated): in-memory SQLite, or a schema of its own on
 * the test PostgreSQL, dropped when the database is destroyed.
 */
export async function testDatabase(dialect: DialectName = TEST_DIALECT): Promise<Db> {
  if (dialect === 'sqlite') return openDatabase(':memory:');
  const schema = newSchemaName();
  const db = await openSchema(schema, true);
  const destroy = db.destroy.bind(db);
  db.destroy = async () => {
    try {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
    } finally {
      await destroy();
    }
  };
  return db;
}

/** A database that outlives its connections, for restart tests: open it, close it, open it again. */
export interface DurableTestDatabase {
  /** Connect (again) to the same stored data. */
  open(): Promise<Db>;
  /** Delete the data (close every connection first). */
  remove(): Promise<void>;
}

/** A SQLite file in a temporary folder, or a schema on the test PostgreSQL. */
export function durableTestDatabase(dialect: DialectName = TEST_DIALECT): DurableTestDatabase {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'tierdesk-test-'));
    return {
      open: async () => openDatabase(join(dir, 'desk.db')),
      remove: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = newSchemaName();
  let created = false;
  return {
    open: async () => {
      const db = await openSchema(schema, !created);
      created = true;
      return db;
    },
    remove: () => dropSchema(schema),
  };
}
