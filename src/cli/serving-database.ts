import type { Config } from '../config/config.js';
import { systemClock, type Logger } from '../ports.js';
import { openDatabase, type Db } from '../store/connect.js';
import { redactUrl } from '../store/dialect.js';
import { releaseAllLeases, trackLeases } from '../store/leases.js';
import { migrateToLatest } from '../store/migrate.js';
import { redactSecretsOf } from '../store/url-secrets.js';

/**
 * The database a desk serves from, migrated, or undefined after one line on stderr saying why it cannot
 * be opened (credentials left out). `soleUser`: this process holds the SQLite file's lock.
 */
export async function openServingDatabase(config: Config, logger: Logger, soleUser: boolean, stderr: NodeJS.WritableStream): Promise<Db | undefined> {
  try {
    // Leases taken through this handle are remembered, so that stopping gives them back at once.
    const db = trackLeases(
      openDatabase(config.database.url, {
        onConnectionError: (err) => logger.warn('database connection lost; reconnecting on next use', { error: err.message }),
      }),
      () => systemClock.now(),
    );
    await migrateToLatest(db);
    // Alone on the file: every lease in it is a dead process's (kill -9); waiting for it only delays messages.
    if (soleUser) {
      const voided = await releaseAllLeases(db, systemClock.now());
      if (voided.outbox + voided.timers > 0) logger.debug('leases of a previous run voided', voided);
    }
    return db;
  } catch (err) {
    const why = redactSecretsOf(config.database.url, err instanceof Error ? err.message : String(err));
    stderr.write(`Cannot open the database at ${redactUrl(config.database.url)}: ${why}\n`);
    return undefined;
  }
}
