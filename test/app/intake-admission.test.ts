import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IntakeQueue } from '../../src/core/intake-queue.js';
import type { Inbound, Reply } from '../../src/ports.js';
import { countQueuedInbound } from '../../src/store/inbound-queue.js';
import { createTestDesk, type TestDesk } from '../support/desk.js';

// Admission as `tierdesk start` sets it: a budget per turn of the event loop, requests in flight,
// and nobody overtaking those queued here. Each turn is ended by yielding to the event loop
// (setImmediate), never by timing: a budget of 0 ms lets exactly one request start per turn.

let t: TestDesk;
let ran: string[];
const run = async (event: Inbound): Promise<Reply> => {
  ran.push(event.key);
  return { text: `ran ${event.key}` };
};
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function request(key: string): Inbound {
  const from = { platform: 'console' as const, space: 'local', id: 'requester', name: 'requester' };
  return {
    kind: 'command',
    name: 'ticket',
    text: 'list',
    key,
    at: t.clock.now(),
    from,
    place: { platform: 'console', space: 'local', channel: 'console' },
  };
}

beforeEach(async () => {
  t = await createTestDesk();
  ran = [];
});
afterEach(async () => {
  await t.close();
});

describe('admission by a turn budget', () => {
  it('lets the first request of a turn run, queues the next past the budget, and runs again in the next turn', async () => {
    const intake = new IntakeQueue(t.desk.core, run, { turnBudgetMs: 0 });

    expect(intake.admit()).toBe('run');
    expect(intake.admit()).toBe('queue');
    await nextTurn();
    expect(intake.admit()).toBe('run');
  });

  it('without a budget every request runs (tests, the console)', () => {
    const intake = new IntakeQueue(t.desk.core, run, {});

    expect([intake.admit(), intake.admit(), intake.admit()]).toEqual(['run', 'run', 'run']);
  });

  it('queues while the requests in flight are at their bound', async () => {
    const intake = new IntakeQueue(t.desk.core, run, { maxInflight: 1 });
    let release!: () => void;
    const running = intake.track(new Promise<void>((resolve) => (release = resolve)));

    expect(intake.admit()).toBe('queue');
    release();
    await running;
    expect(intake.admit()).toBe('run');
  });

  it('queues every newcomer while one waits here, and runs them oldest first once acknowledged', async () => {
    const intake = new IntakeQueue(t.desk.core, run, { turnBudgetMs: 0 });
    const answers: string[] = [];
    intake.answerLaterWith('console', async (_to, reply) => void answers.push(reply.text));
    await intake.enqueue(request('a'), 'to-a');

    await nextTurn();
    expect(intake.admit()).toBe('queue'); // a waits: b may not overtake it
    await intake.enqueue(request('b'), 'to-b');
    intake.acknowledged('b');
    expect(await intake.drain()).toBe(0); // a's acknowledgement is not out: nothing runs before it
    intake.acknowledged('a');
    expect(await intake.drain()).toBe(2);
    expect(ran).toEqual(['a', 'b']);
    expect(await countQueuedInbound(t.db)).toBe(0);
    await nextTurn();
    expect(intake.admit()).toBe('run');
  });
});
