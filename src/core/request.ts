import { UserError, isConflict } from '../domain/errors.js';
import type { Place } from '../ports.js';
import { recordInboundKey } from '../store/inbound-keys.js';
import type { Actor } from './directory.js';
import { inTransaction, type Core, type Work } from './work.js';

/** Who asks, from where, and the inbound event's idempotency key (recorded with the state change). */
export interface Request {
  actor: Actor;
  place: Place;
  key?: string;
}

/** Thrown inside a transaction when the inbound key was already processed; the router stays silent. */
export class DuplicateEvent extends Error {
  constructor(readonly key: string) {
    super(`duplicate inbound event ${key}`);
    this.name = 'DuplicateEvent';
  }
}

/** How a unit of work begins. */
export interface ChangeOptions {
  /**
   * The unit takes the requester's lock (`lockRequester`, as opening a ticket does): taken with the
   * idempotency key, in the same statement, instead of in a round trip of its own.
   */
  lockRequester?: boolean;
}

/**
 * One state change: records the request's idempotency key, then runs `fn`, all in one transaction.
 * A concurrent change to the same ticket (optimistic revision check) retries the whole unit.
 */
export async function change<T>(core: Core, req: Request, fn: (work: Work) => Promise<T>, opts: ChangeOptions = {}): Promise<T> {
  const lock = opts.lockRequester ? req.actor.person : undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction(core, async (work) => {
        if (req.key !== undefined && !(await recordInboundKey(work.db, req.key, work.now, lock))) throw new DuplicateEvent(req.key);
        return fn(work);
      });
    } catch (err) {
      // A lost optimistic check, or PostgreSQL choosing this transaction as a deadlock or
      // serialization victim: the whole unit is safe to run again.
      if ((isConflict(err) || isRetryableDbError(err)) && attempt < 3) continue;
      if (isConflict(err)) throw new UserError('busy', err.busy);
      throw err;
    }
  }
}

/** PostgreSQL's deadlock (40P01) and serialization failure (40001): retry the transaction. */
function isRetryableDbError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}
