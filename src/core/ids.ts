import { randomBytes } from 'node:crypto';

/**
 * Time-ordered ids (text that sorts in creation order within a process): outbox rows and events are
 * read back in id order. 9 chars of milliseconds, 4 of a per-millisecond sequence, 6 random.
 */
export function createIdSource(now: () => number): () => string {
  let lastMs = 0;
  let seq = 0;
  // One call into the CSPRNG per 1,024 ids instead of one per id.
  let pool = randomBytes(4096);
  let offset = 0;
  const random32 = () => {
    if (offset + 4 > pool.length) {
      pool = randomBytes(4096);
      offset = 0;
    }
    const v = pool.readUInt32BE(offset);
    offset += 4;
    return v;
  };
  return () => {
    const ms = Math.max(now(), lastMs);
    if (ms === lastMs) seq++;
    else {
      lastMs = ms;
      seq = 0;
    }
    const rand = random32().toString(36).padStart(7, '0').slice(-6);
    return ms.toString(36).padStart(9, '0') + seq.toString(36).padStart(4, '0') + rand;
  };
}

/** A short reference id for an unexpected error, to quote to an operator. */
export function errorReference(): string {
  return randomBytes(4).toString('hex');
}
