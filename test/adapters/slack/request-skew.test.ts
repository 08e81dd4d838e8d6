import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { processCounters } from '../../../src/core/operations.js';
import { EMPLOYEE, startSlackDesk, ticketCount, type SlackDesk } from './support.js';

// Slack's advice: refuse a request whose timestamp is more than 5 minutes from our clock, either way.
// A flood of refused requests writes one log line a minute, and each one is counted for /metrics.

let t: SlackDesk;
beforeEach(async () => {
  t = await startSlackDesk();
});
afterEach(async () => {
  await t.close();
});

const NEW_TICKET = { command: '/ticket', text: 'new Printer on fire', user_id: EMPLOYEE, channel_id: 'C0RANDOM' };
const minutesFromNow = (m: number) => Math.floor(Date.now() / 1000) + m * 60;
const rejectionLines = () => t.logger.lines.filter((l) => l.level === 'warn');

describe("a request's timestamp", () => {
  it('10 minutes in the future → 401, no ticket', async () => {
    const sent = await t.sender.slashCommand(NEW_TICKET, { signing: { timestampSec: minutesFromNow(10) } });
    expect(sent.status).toBe(401);
    expect(t.inbound).toEqual([]);
    expect(await ticketCount(t)).toBe(0);
  });

  it('4 minutes in the future (a slightly fast clock) is still accepted', async () => {
    const sent = await t.sender.slashCommand(NEW_TICKET, { signing: { timestampSec: minutesFromNow(4) } });
    expect(sent.status).toBe(200);
    await t.handled(sent.triggerId);
    expect(await ticketCount(t)).toBe(1);
  });
});

describe('a flood of refused requests', () => {
  it('is logged once a minute with a count, and every one is counted', async () => {
    const before = processCounters.slackRejected;
    const forged = [
      { signing: { secret: 'not-the-signing-secret' } },
      { signing: { timestampSec: minutesFromNow(-6) } },
      { signing: { timestampSec: minutesFromNow(9) } },
    ];
    for (let i = 0; i < 30; i++) expect((await t.sender.slashCommand(NEW_TICKET, forged[i % 3])).status).toBe(401);
    expect(processCounters.slackRejected - before).toBe(30);
    expect(rejectionLines()).toHaveLength(1);
    expect(rejectionLines()[0]).toMatchObject({ msg: 'slack request rejected', fields: { rejected: 1 } });

    t.clock.advance(60_000);
    await t.sender.slashCommand(NEW_TICKET, forged[0]);
    expect(rejectionLines()).toHaveLength(2);
    expect(rejectionLines()[1]).toMatchObject({ fields: { rejected: 30, sinceSeconds: 60 } });
  });
});
