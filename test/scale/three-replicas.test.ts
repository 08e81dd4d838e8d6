import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/store/connect.js';
import { SCHEMA_PREFIX, runId } from '../support/database.js';
import {
  addDueOutbox,
  addDueTimers,
  createRecordTables,
  isType,
  migrateAmidOthers,
  pollUntil,
  startReplica,
  stopReplicas,
  withPgOptions,
  TIMER_KIND,
  type Replica,
  type ReplicaMessage,
} from '../support/replica-process.js';

// Three tierdesk processes on one PostgreSQL schema, 10,000 timers and 10,000 outbox rows due at
// once; one replica is killed with SIGKILL while it holds leases on both kinds of work.
//
// What is guaranteed, and what this checks:
// - A timer fires exactly once, even across kill -9: its handler runs in the transaction that deletes
//   the timer, so the fire (here a `scale_fires` row written by the handler) commits with the delete
//   or, when the process dies first, neither does. The victim is killed inside such a transaction,
//   with its fire row already written. Were the delete committed apart from the handler, this test
//   fails: delete first, and the killed fire is lost (tried: 9,999 timers fired); handler first, and
//   it fires again on another replica (a count of 2).
// - An outbox row is delivered exactly once *unless a process dies between the platform accepting a
//   message and the row being marked sent*: that send is repeated by another replica (at least once,
//   by design; a platform call cannot join our transaction). So the victim is killed while it is hung
//   before its sends reach the platform, and only after every send it did make is marked sent (the
//   test waits for that in the database), i.e. dying holding leases, not mid-send. Apart from that
//   window delivery is exactly once: the lease (one conditional update) gives each conversation's head
//   to one process. Without the lease check (`lease_until is null or <= now` in leaseOutbox) the
//   replicas send the same rows side by side: duplicates here (tried: thousands sent twice).
// - Work a dead replica leased is taken over when its lease ends (2 s here, through the dispatcher's
//   and scheduler's `leaseMs`), not before: its hung rows are delivered/fired by another replica at or
//   after their `lease_until`. Were leases never reclaimed, the poll for "everything done" times out.
// - Per conversation, rows are delivered in id order across replicas (`seq` is the global order in
//   which deliveries were recorded).
const PG = process.env.TIERDESK_TEST_PG_URL;
const TIMERS = 10_000;
const OUTBOX = 10_000;
const CONVERSATIONS = 200;
const LEASE_MS = 2_000;

const cleanup: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
});

describe.skipIf(!PG)('three replicas on one PostgreSQL, one killed with SIGKILL', () => {
  it(
    "fire every timer and deliver every outbox row exactly once, in order per conversation; the dead replica's leased work completes elsewhere after its lease",
    { timeout: 120_000 },
    async () => {
      const started = Date.now();
      const schema = `${SCHEMA_PREFIX}${runId()}_scale`;
      const admin = openDatabase(PG!);
      cleanup.push(async () => {
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(admin);
        await admin.destroy();
      });
      await sql`create schema ${sql.id(schema)}`.execute(admin);
      // Commits need not wait for the disk here: a replica's death is a client's; the server stays up.
      const url = withPgOptions(PG!, { search_path: schema, synchronous_commit: 'off' });
      const db: Db = openDatabase(url);
      cleanup.push(() => db.destroy());
      await migrateAmidOthers(db, schema);
      await createRecordTables(db);
      const due = Date.now() - 1000;
      await addDueTimers(db, TIMERS, due);
      const expectedOrder = await addDueOutbox(db, OUTBOX, CONVERSATIONS, due);

      const seeded = Date.now();
      const replicas: Replica[] = [
        startReplica({ url, name: 'victim', leaseMs: LEASE_MS, freezeAfterPosts: 200, freezeFires: true }),
        startReplica({ url, name: 'r2', leaseMs: LEASE_MS }),
        startReplica({ url, name: 'r3', leaseMs: LEASE_MS }),
      ];
      cleanup.push(() => stopReplicas(replicas));
      const [victim] = replicas as [Replica, Replica, Replica];
      // What the victim holds, read as soon as it says it is hung on it (within milliseconds, well
      // inside its lease): the lease of each hung post, and of the hung fire with the rest of that
      // fire's batch (the timers sharing its lease instant: those not yet fired, and those its group
      // fired before it, whose deletes and fire rows are in the same uncommitted transaction).
      const held: Array<Promise<void>> = [];
      const heldPosts: Array<{ id: string; lease: number }> = [];
      const heldFire = { subject: '', lease: 0, batch: [] as string[] };
      const failures: unknown[] = [];
      let killed = false;
      let frozenAt: number | undefined;
      victim.child.on('message', (m: ReplicaMessage) => {
        if (m.type !== 'frozen' || killed) return;
        frozenAt ??= Date.now();
        held.push(
          (async () => {
            if (m.what === 'post') {
              const row = await db.selectFrom('outbox').select(['lease_until']).where('id', '=', m.outbox).executeTakeFirst();
              heldPosts.push({ id: m.outbox, lease: Number(row?.lease_until) });
            } else {
              // The row is there, committed, while the victim's transaction that deletes it is open.
              const row = await db.selectFrom('timers').select(['lease_until']).where('id', '=', `${TIMER_KIND}:${m.subject}`).executeTakeFirst();
              const batch = row ? await db.selectFrom('timers').select('subject').where('lease_until', '=', row.lease_until).execute() : [];
              Object.assign(heldFire, { subject: m.subject, lease: Number(row?.lease_until), batch: batch.map((b) => b.subject) });
            }
          })().catch((err: unknown) => void failures.push(err)),
        );
      });
      // Start together, so that all three take work.
      await Promise.all(replicas.map((r) => r.next(isType('ready'))));
      const ready = Date.now();
      for (const r of replicas) r.send({ type: 'go' });

      // The victim hangs holding leases: wait until it is hung on both kinds of work and every send it
      // made is marked sent, then kill it.
      await victim.next((m): m is Extract<ReplicaMessage, { what: 'fire' }> => m.type === 'frozen' && m.what === 'fire');
      await victim.next(isType('posts-quiet'));
      await pollUntil("the victim's sends to be marked sent", 20_000, async () => {
        const { rows } = await sql<{
          n: number;
        }>`select count(*) as n from scale_deliveries d join outbox o on o.id = d.outbox where d.replica = 'victim' and o.status <> 'sent'`.execute(
          db,
        );
        return Number(rows[0]!.n) === 0 ? true : undefined;
      });
      const killedAt = Date.now();
      killed = true;
      victim.child.kill('SIGKILL');
      expect((await victim.exited).signal).toBe('SIGKILL');
      await Promise.all(held);
      expect(failures).toEqual([]);

      // Nothing lost: every row sent, every timer gone; poll the database, no fixed sleep.
      await pollUntil(
        'every outbox row sent and every timer fired',
        90_000,
        async () => {
          const pending = await db
            .selectFrom('outbox')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('status', '<>', 'sent')
            .executeTakeFirstOrThrow();
          const left = await db
            .selectFrom('timers')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('kind', '=', TIMER_KIND)
            .executeTakeFirstOrThrow();
          return Number(pending.n) === 0 && Number(left.n) === 0 ? true : undefined;
        },
        100,
      );
      const done = Date.now();
      await stopReplicas(replicas);

      // Nothing twice: one fire per timer, one delivery per outbox row.
      const fires = await sql<{
        subject: string;
        replica: string;
        at: number;
        seq: number;
      }>`select subject, replica, at, seq from scale_fires order by seq`.execute(db);
      const fireCount = new Map<string, number>();
      for (const f of fires.rows) fireCount.set(f.subject, (fireCount.get(f.subject) ?? 0) + 1);
      expect(fireCount.size).toBe(TIMERS);
      const firedTwice = [...fireCount.entries()].filter(([, n]) => n !== 1);
      expect({ firedTwice: firedTwice.length, examples: firedTwice.slice(0, 5) }).toEqual({ firedTwice: 0, examples: [] });
      const deliveries = await sql<{
        outbox: string;
        conversation: string;
        replica: string;
        at: number;
      }>`select outbox, conversation, replica, at from scale_deliveries order by seq`.execute(db);
      const sendCount = new Map<string, number>();
      for (const d of deliveries.rows) sendCount.set(d.outbox, (sendCount.get(d.outbox) ?? 0) + 1);
      expect(sendCount.size).toBe(OUTBOX);
      const sentTwice = [...sendCount.entries()].filter(([, n]) => n !== 1);
      expect({ sentTwice: sentTwice.length, examples: sentTwice.slice(0, 5) }).toEqual({ sentTwice: 0, examples: [] });

      // In order per conversation, across replicas.
      const order = new Map<string, string[]>();
      for (const d of deliveries.rows) order.set(d.conversation, [...(order.get(d.conversation) ?? []), d.outbox]);
      expect(order.size).toBe(CONVERSATIONS);
      for (const [channel, ids] of expectedOrder) expect(order.get(channel), channel).toEqual(ids);

      // All three did work; the victim's leased work was done by the others, once its lease had ended.
      const byReplica = (rows: Array<{ replica: string }>) =>
        Object.fromEntries(['victim', 'r2', 'r3'].map((n) => [n, rows.filter((r) => r.replica === n).length]));
      const fired = byReplica(fires.rows);
      const sent = byReplica(deliveries.rows);
      expect(sent.victim).toBe(200);
      expect(fired.victim).toBeGreaterThan(0);
      expect(Math.min(fired.r2!, fired.r3!, sent.r2!, sent.r3!)).toBeGreaterThan(0);
      expect(heldPosts.length).toBeGreaterThan(0);
      // The hung fire's row was locked by the victim's open transaction: nobody could take it over
      // while the victim lived, lease or no lease. So it died holding it.
      expect(heldFire.batch).toContain(heldFire.subject);
      const firesBySubject = new Map(fires.rows.map((f) => [f.subject, f]));
      for (const subject of heldFire.batch) expect(firesBySubject.get(subject)!.replica).not.toBe('victim');
      // Its fire row was written in the victim's transaction, which the kill rolled back: one fire, elsewhere.
      expect(Number(firesBySubject.get(heldFire.subject)!.at)).toBeGreaterThanOrEqual(heldFire.lease);
      const deliveriesById = new Map(deliveries.rows.map((d) => [d.outbox, d]));
      for (const row of heldPosts) {
        const d = deliveriesById.get(row.id)!;
        expect(d.replica).not.toBe('victim');
        expect(Number(d.at)).toBeGreaterThanOrEqual(row.lease);
      }
      const stillHeld = heldPosts.filter((p) => p.lease > killedAt).length;
      console.log(
        `three replicas: fires ${JSON.stringify(fired)}, deliveries ${JSON.stringify(sent)}; the victim hung on ${heldPosts.length} posts (${stillHeld} still leased when killed, ${killedAt - (frozenAt ?? killedAt)} ms after it froze) and a batch of ${heldFire.batch.length} timers; ms: seeding ${seeded - started}, replicas starting ${ready - seeded}, work until kill ${killedAt - ready}, the rest ${done - killedAt}`,
      );
    },
  );
});
