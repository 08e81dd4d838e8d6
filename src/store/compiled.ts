import type { Compilable, CompiledQuery, QueryResult } from 'kysely';
import type { Db } from './connect.js';
import { dialectOf } from './dialect.js';

/** Where the `i`th value given at execution goes in a query compiled once. */
class Slot {
  constructor(readonly index: number) {}
}

/** Compiled queries by dialect and shape. Bounded: a shape we did not foresee is compiled each time, not kept. */
const compiled = new Map<string, CompiledQuery>();
const MAX_SHAPES = 200;

/**
 * Run a query kysely builds and compiles only once per dialect and `shape`: on the paths that run
 * for every ticket, building and compiling the query tree cost more than SQLite took to run it.
 * `build` receives `slot(i)`, a stand-in for the `i`th of `values`, and must build the same SQL for
 * every call with this `shape` (so `shape` names everything the SQL depends on, e.g. a row count).
 * Statements are still prepared once each by the driver's statement cache (src/store/connect.ts).
 */
export function runCompiled<R>(
  db: Db,
  shape: string,
  values: readonly unknown[],
  build: (slot: (index: number) => never) => Compilable<R>,
): Promise<QueryResult<R>> {
  const key = `${dialectOf(db)}:${shape}`;
  let query = compiled.get(key) as CompiledQuery<R> | undefined;
  if (!query) {
    query = build((index) => new Slot(index) as never).compile();
    if (compiled.size < MAX_SHAPES) compiled.set(key, query);
  }
  const parameters = query.parameters.map((p) => (p instanceof Slot ? values[p.index] : p));
  return db.executeQuery<R>({ ...query, parameters });
}

/** How many rows an insert, update or delete run through `runCompiled` touched. */
export function affected(result: QueryResult<unknown>): number {
  return Number(result.numAffectedRows ?? 0);
}
