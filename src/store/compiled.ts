import { sql, type Compilable, type CompiledQuery, type QueryResult } from 'kysely';
import { sqliteOf, type Db } from './connect.js';
import { dialectOf, type DialectName } from './dialect.js';
import { prepareOnce } from './prepared.js';

/** Where the `i`th value given at execution goes in a query compiled once. */
class Slot {
  constructor(readonly index: number) {}
}

/** Compiled queries by dialect and shape. Bounded: a shape we did not foresee is compiled each time, not kept. */
const compiled: Record<DialectName, Map<string, CompiledQuery>> = { sqlite: new Map(), postgres: new Map() };
const MAX_SHAPES = 200;

/**
 * Run a query kysely builds and compiles only once per dialect and `shape`: on the paths that run
 * for every ticket, building and compiling the query tree cost more than SQLite took to run it.
 * `build` receives `slot(i)`, a stand-in for the `i`th of `values`, and must build the same SQL for
 * every call with this `shape` (so `shape` names everything the SQL depends on, e.g. a row count).
 * Statements are prepared once each: by the driver's statement cache on SQLite (src/store/connect.ts),
 * as named statements on each PostgreSQL connection (src/store/prepared.ts).
 * Inside a SQLite transaction the statement runs on the connection directly: kysely's way to it (a
 * chain of promises per query) cost as much as the small statements themselves.
 */
export function runCompiled<R>(
  db: Db,
  shape: string,
  values: readonly unknown[],
  build: (slot: (index: number) => never) => Compilable<R>,
): Promise<QueryResult<R>> {
  const shapes = compiled[dialectOf(db)];
  let query = shapes.get(shape) as CompiledQuery<R> | undefined;
  if (!query) {
    query = build((index) => new Slot(index) as never).compile();
    if (shapes.size < MAX_SHAPES) {
      shapes.set(shape, query);
      if (shapes === compiled.postgres) prepareOnce(query.sql);
    }
  }
  const parameters = query.parameters.map((p) => (p instanceof Slot ? values[p.index] : p));
  const sqlite = sqliteOf(db);
  if (!sqlite) return db.executeQuery<R>({ sql: query.sql, parameters, query: query.query, queryId: query.queryId });
  try {
    return Promise.resolve(runOn(sqlite, query.sql, parameters));
  } catch (err) {
    return Promise.reject(err);
  }
}

/** What kysely's SQLite driver answers for a statement, run synchronously. */
function runOn<R>(sqlite: NonNullable<ReturnType<typeof sqliteOf>>, sql: string, parameters: unknown[]): QueryResult<R> {
  const stmt = sqlite.prepare(sql);
  if (stmt.reader) return { rows: stmt.all(parameters) as R[] };
  const { changes } = stmt.run(parameters);
  return { rows: [], numAffectedRows: BigInt(changes) };
}

/**
 * `LIMIT 1` written into the SQL rather than bound (kysely binds `.limit(1)` as a parameter): SQLite
 * prepares a statement again every time a value is bound to its LIMIT (as to a LIKE pattern), since
 * the value may change the plan. On the tickets table that cost 14 µs a run, three times the lookup.
 */
export const LIMIT_ONE = sql.lit(1);

/** How many rows an insert, update or delete run through `runCompiled` touched. */
export function affected(result: QueryResult<unknown>): number {
  return Number(result.numAffectedRows ?? 0);
}
