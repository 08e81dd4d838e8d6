import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/**
 * SQL texts that PostgreSQL keeps prepared on each connection, by statement name: the statements
 * compiled once (src/store/compiled.ts) and the transaction's own. pg otherwise sends each query
 * unnamed, so the server parses and plans it again every time.
 */
const names = new Map<string, string>([
  ['begin', 'td_begin'],
  ['commit', 'td_commit'],
  ['rollback', 'td_rollback'],
]);
/** Bounded: each name is a statement kept on every pooled connection. */
const MAX_NAMES = 256;

/** Keep `sql` prepared on every PostgreSQL connection from its first use on. Its text must never change. */
export function prepareOnce(sql: string): void {
  if (!names.has(sql) && names.size < MAX_NAMES) names.set(sql, `td_${names.size}`);
}

/**
 * A pool whose clients run the SQL given to `prepareOnce` as named statements (pg parses each name
 * once per connection, then only binds and executes it); everything else as before.
 */
export function withPreparedStatements(pool: pg.Pool): PostgresPool {
  // One wrapper per pg client, so kysely (which keeps per-client state) sees the same client each time.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    const query = (sql: unknown, parameters?: readonly unknown[]) => {
      const name = typeof sql === 'string' ? names.get(sql) : undefined;
      if (name !== undefined) return client.query({ name, text: sql as string, values: parameters as unknown[] });
      return parameters === undefined ? client.query(sql as never) : client.query(sql as string, parameters as unknown[]);
    };
    return { query: query as unknown as PostgresPoolClient['query'], release: (destroy?: boolean) => client.release(destroy) };
  };
  return {
    connect: async () => {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) wrappers.set(client, (wrapper = wrap(client)));
      return wrapper;
    },
    end: () => pool.end(),
  };
}
