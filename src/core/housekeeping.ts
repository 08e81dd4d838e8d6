import { pruneDirectDrafts } from '../store/direct-drafts.js';
import { pruneInboundKeys } from '../store/inbound-keys.js';
import { isTimerArmed } from '../store/timers.js';
import { inTransaction, type Core, type Work } from './work.js';

/** A daily timer that forgets idempotency keys old enough that no platform will retry them. */
export const HOUSEKEEPING_TIMER = 'housekeeping';
const DAY = 86_400_000;
const KEEP_KEYS_MS = 7 * DAY;

/** Arm the daily housekeeping at start, unless it is armed already (it may be overdue: then it runs now). */
export async function armHousekeeping(core: Core): Promise<void> {
  await inTransaction(core, async (work) => {
    if (!(await isTimerArmed(work.db, HOUSEKEEPING_TIMER, 'daily'))) await work.setTimer(HOUSEKEEPING_TIMER, 'daily', work.now + DAY);
  });
}

/** Forget old idempotency keys and unclaimed DMs, then come back tomorrow. */
export async function housekeepingFired(core: Core, work: Work): Promise<void> {
  const forgotten = await pruneInboundKeys(work.db, work.now - KEEP_KEYS_MS);
  if (forgotten > 0) core.logger.info('forgot old inbound event keys', { count: forgotten });
  const drafts = await pruneDirectDrafts(work.db, work.now - KEEP_KEYS_MS);
  if (drafts > 0) core.logger.info('forgot DMs nobody chose a ticket for in a week', { count: drafts });
  await work.setTimer(HOUSEKEEPING_TIMER, 'daily', work.now + DAY);
}
