import { afterEach, describe, expect, it } from 'vitest';
import { parseConsoleLine } from '../../adapters/console/parse-line.js';
import type { Inbound } from '../../src/ports.js';
import { createTestDesk, type TestDesk } from '../support/desk.js';

// On PostgreSQL (the `postgres` project) these race for real: each /ticket new runs in its own
// transaction on its own pooled connection.
const desks: TestDesk[] = [];
afterEach(async () => {
  for (const d of desks.splice(0)) await d.close();
});

function openTicket(d: TestDesk, user: string, i: number, title = `Printer ${i} on fire`): Inbound {
  const parsed = parseConsoleLine(`${user}: /ticket new ${title}`);
  if (parsed.kind !== 'command') throw new Error('not a command');
  const from = { platform: 'console' as const, space: 'local', id: user, name: user };
  const place = { platform: 'console' as const, space: 'local', channel: 'console' };
  return { kind: 'command', name: parsed.name, text: parsed.text, key: `race:${user}:${i}`, at: d.clock.now(), from, place };
}

async function race(d: TestDesk, user: string, n: number, title?: string): Promise<string[]> {
  const replies = await Promise.all(Array.from({ length: n }, (_, i) => d.desk.handle(openTicket(d, user, i, title))));
  return replies.map((r) => r?.text ?? '');
}

describe('per-requester limits under concurrency', () => {
  it('20 simultaneous /ticket new from one person open exactly max_open_per_requester tickets', async () => {
    const d = await createTestDesk({
      yaml: 'people: { agent1: {} }\ntiers: [ { id: L1, agents: [agent1] } ]\ntickets: { max_open_per_requester: 3 }\n',
    });
    desks.push(d);
    const replies = await race(d, 'spammer', 20);
    expect(replies.filter((r) => /opened/.test(r) && !/already have/.test(r))).toHaveLength(3);
    expect(replies.filter((r) => /You already have 3 open tickets/.test(r))).toHaveLength(17);
    // Someone else is not held up by the spammer's cap.
    expect((await race(d, 'neighbour', 2)).filter((r) => /#\d+ opened/.test(r))).toHaveLength(2);
  });

  it('20 simultaneous /ticket new from one person under a cooldown open exactly one', async () => {
    const d = await createTestDesk({ yaml: 'people: { agent1: {} }\ntiers: [ { id: L1, agents: [agent1] } ]\ntickets: { cooldown: 10 minutes }\n' });
    desks.push(d);
    const replies = await race(d, 'spammer', 20);
    expect(replies.filter((r) => /#\d+ opened/.test(r))).toHaveLength(1);
    expect(replies.filter((r) => /you can open another in 600 seconds/.test(r))).toHaveLength(19);
  });

  it('20 simultaneous sends of the same /ticket new (other keys: a person trying again) open exactly one', async () => {
    const d = await createTestDesk({ yaml: 'people: { agent1: {} }\ntiers: [ { id: L1, agents: [agent1] } ]\n' });
    desks.push(d);
    const replies = await race(d, 'impatient', 20, 'VPN down');
    expect(replies.filter((r) => /#\d+ opened/.test(r))).toHaveLength(1);
    expect(replies.filter((r) => /You already opened #\d+ 0 seconds ago/.test(r))).toHaveLength(19);
  });
});
