import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDesk, type TestDesk } from '../support/desk.js';
import { DEMO_CONFIG_YAML } from '../../src/config/config.js';

let desk: TestDesk;
beforeEach(async () => {
  desk = await createTestDesk();
});
afterEach(async () => {
  await desk.close();
});

const DAY = 86_400_000;

describe('opening a ticket', () => {
  it('numbers it, prioritises it by impact × urgency, posts a card to L1 and confirms to the requester', async () => {
    const reply = await desk.say('requester', '/ticket new Printer on fire --urgency high --impact high --description Smoke everywhere');
    expect(reply).toMatch(/Ticket #1 opened \(P1, Help desk\)/);
    const [card] = desk.channel('l1-desk');
    expect(card).toContain('#1 Printer on fire');
    expect(card).toContain('Smoke everywhere');
    expect(card).toContain('Priority: P1 (impact high, urgency high)');
    expect(card).toMatch(/\[Claim\] \/ticket claim 1/);
    expect(card).toMatch(/\[Escalate\] \/ticket escalate 1/);
    expect(card).toMatch(/\[Resolve\] \/ticket resolve 1/);
    expect(card).toMatch(/\[Waiting on requester\] \/ticket wait 1/);
    expect(desk.dm('requester')[0]).toContain('Ticket #1: Printer on fire');
    expect(desk.channel('l2-desk')).toEqual([]);

    await desk.say('requester', '/ticket new Second one');
    expect(desk.channel('l1-desk')[1]).toContain('#2 Second one');
  });

  it('uses the configured defaults when urgency and impact are not given (medium/medium = P3)', async () => {
    expect(await desk.say('requester', '/ticket new Mouse is slow')).toMatch(/P3/);
    expect(await desk.say('requester', '/ticket new Mail down --impact high --urgency low')).toMatch(/P3/);
    expect(await desk.say('requester', '/ticket new Typo on wiki --impact low --urgency low')).toMatch(/P5/);
  });

  it('routes by category to the tier a routing rule names', async () => {
    const routed = await createTestDesk({
      yaml: `
people: { a1: {}, a2: {} }
tiers:
  - { id: L1, name: Desk, agents: [a1], channels: { console: desk } }
  - { id: L2, name: Network, agents: [a2], channels: { console: net } }
routing:
  - { category: network, tier: L2 }
`,
    });
    await routed.say('someone', '/ticket new VPN drops --category Network');
    expect(routed.channel('net')[0]).toContain('#1 VPN drops');
    expect(routed.channel('desk')).toEqual([]);
    await routed.close();
  });

  it('keeps product and version on the ticket', async () => {
    await desk.say('requester', '/ticket new Crash on save --product Editor --version 2.1.0');
    expect(desk.channel('l1-desk')[0]).toContain('Product: Editor 2.1.0');
  });
});

describe('working a ticket', () => {
  beforeEach(async () => {
    await desk.say('requester', '/ticket new Printer on fire --urgency high');
  });

  it('lets one agent claim it; taking over needs --force and is recorded', async () => {
    expect(await desk.say('agent1', '/ticket claim 1')).toBe('You have claimed #1.');
    expect(desk.channel('l1-desk')[0]).toContain('Assignee: Agent One');
    expect(desk.channel('l1-desk')[0]).toContain('Status: claimed');
    expect(desk.dm('requester').some((m) => m.includes('Agent One is working on your ticket'))).toBe(true);
  });

  it('refuses a takeover without --force and names who has it', async () => {
    const yaml = `
people: { requester: {}, ann: { name: Ann }, bob: { name: Bob } }
tiers: [ { id: L1, name: Desk, agents: [ann, bob] } ]
`;
    const two = await createTestDesk({ yaml });
    await two.say('requester', '/ticket new Broken chair');
    await two.say('ann', '/ticket claim 1');
    expect(await two.say('bob', '/ticket claim 1')).toMatch(/already claimed by Ann.*--force/);
    expect(await two.say('bob', '/ticket claim 1 --force')).toMatch(/taken over from Ann/);
    expect(await two.say('bob', '/ticket history 1')).toMatch(/Bob\s+took it over from Ann/);
    await two.close();
  });

  it('when two agents claim at once, exactly one wins and the other is told who has it', async () => {
    const yaml = `
people: { requester: {}, ann: { name: Ann }, bob: { name: Bob } }
tiers: [ { id: L1, name: Desk, agents: [ann, bob] } ]
`;
    const two = await createTestDesk({ yaml });
    await two.say('requester', '/ticket new Broken chair');
    const [a, b] = await Promise.all([two.say('ann', '/ticket claim 1'), two.say('bob', '/ticket claim 1')]);
    const replies = [a, b];
    expect(replies.filter((r) => r === 'You have claimed #1.')).toHaveLength(1);
    expect(replies.filter((r) => /already claimed by (Ann|Bob)/.test(r ?? ''))).toHaveLength(1);
    await two.close();
  });

  it('relays a public reply to the requester and records the first response', async () => {
    await desk.say('agent1', '#1 Have you tried a new toner cartridge?');
    expect(desk.dm('requester').some((m) => m.includes('Have you tried a new toner cartridge?'))).toBe(true);
    expect(desk.thread('l1-desk', 1).some((m) => m.includes('replied to the requester'))).toBe(true);
    const history = await desk.say('agent1', '/ticket history 1');
    expect(history).toContain('replied: Have you tried a new toner cartridge?');
  });

  it('keeps internal notes away from the requester, everywhere', async () => {
    await desk.say('agent1', '/ticket note 1 the requester broke it themselves');
    expect(desk.thread('l1-desk', 1).join('\n')).toMatch(/Internal note by Agent One.*not visible to the requester[\s\S]*broke it themselves/);
    expect(desk.dm('requester').join('\n')).not.toContain('broke it themselves');
    expect(await desk.say('requester', '/ticket history 1')).not.toContain('broke it themselves');
    expect(await desk.say('requester', '/ticket show 1')).not.toContain('broke it themselves');
    expect(await desk.say('agent1', '/ticket history 1')).toContain('internal note: the requester broke it themselves');
  });

  it("relays the requester's messages to the agents' thread", async () => {
    await desk.say('requester', '#1 It is now also beeping');
    expect(desk.thread('l1-desk', 1).join('\n')).toContain('It is now also beeping');
  });

  it('waits on the requester until their next message returns it to work', async () => {
    await desk.say('agent1', '/ticket claim 1');
    expect(await desk.say('agent1', '/ticket wait 1 Which floor is it on?')).toMatch(/waiting on Requester/);
    expect(desk.channel('l1-desk')[0]).toContain('Status: waiting on the requester');
    expect(desk.dm('requester').join('\n')).toContain('Which floor is it on?');
    await desk.say('requester', '#1 Third floor');
    expect(desk.channel('l1-desk')[0]).toContain('Status: claimed');
    expect(await desk.say('agent1', '/ticket history 1')).toMatch(
      /set it waiting on the requester: Which floor[\s\S]*wrote: Third floor[\s\S]*back in work/,
    );
  });

  it('escalates to the next tier: a new card there, the old card says where it went', async () => {
    await desk.say('agent1', '/ticket claim 1');
    expect(await desk.say('agent1', '/ticket escalate 1 needs a network person')).toMatch(/escalated from L1 to L2/);
    expect(desk.channel('l1-desk')[0]).toMatch(/Escalated from L1 to L2 Second level by Agent One: needs a network person/);
    expect(desk.channel('l1-desk')[0]).not.toContain('/ticket claim');
    expect(desk.channel('l2-desk')[0]).toContain('#1 Printer on fire');
    expect(desk.channel('l2-desk')[0]).toContain('Assignee: unclaimed');
    // L1 no longer works it; L2 does.
    expect(await desk.say('agent1', '/ticket resolve 1 done')).toMatch(/Only Second level \(L2\) agents can resolve/);
    expect(await desk.say('agent2', '/ticket claim 1')).toBe('You have claimed #1.');
    // The requester's messages now reach L2's thread.
    await desk.say('requester', '#1 any news?');
    expect(desk.thread('l2-desk', 1).join('\n')).toContain('any news?');
  });

  it('jumps tiers with --to, only upwards', async () => {
    expect(await desk.say('agent1', '/ticket escalate 1 data fix --to L3')).toMatch(/to L3 Specialists/);
    expect(desk.channel('l3-desk')[0]).toContain('#1 Printer on fire');
    expect(desk.channel('l2-desk')).toEqual([]);
    expect(await desk.say('specialist', '/ticket escalate 1 again')).toMatch(/already at the top tier/);
    expect(await desk.say('specialist', '/ticket escalate 1 back --to L1')).toMatch(/--to must name a tier above L3/);
    expect(await desk.say('specialist', '/ticket escalate 1 hmm --to L9')).toMatch(/There is no tier "L9"/);
  });

  it('resolves, closes by itself when the reopen window ends (a durable timer), and then refuses a reopen', async () => {
    await desk.say('agent1', '/ticket resolve 1 Replaced the fuser');
    expect(desk.dm('requester').join('\n')).toContain('Resolved: Replaced the fuser');
    expect(desk.channel('l1-desk')[0]).toContain('Status: resolved');
    expect(await desk.advance(7 * DAY - 1000)).toBe(0);
    expect(await desk.advance(1000)).toBe(1);
    expect(desk.channel('l1-desk')[0]).toContain('Status: closed');
    expect(await desk.say('requester', '/ticket reopen 1')).toMatch(/closed.*open a new ticket/);
    expect(await desk.say('agent1', '/ticket history 1')).toMatch(/tierdesk\s+closed it \(the reopen window ended\)/);
  });

  it('reopens within the window, back to the assignee, and cancels the auto-close', async () => {
    await desk.say('agent1', '/ticket claim 1');
    await desk.say('agent1', '/ticket resolve 1 Replaced the fuser');
    await desk.advance(3 * DAY);
    expect(await desk.say('requester', '/ticket reopen 1 still smoking')).toBe('#1 is open again.');
    expect(desk.channel('l1-desk')[0]).toContain('Status: claimed');
    expect(desk.channel('l1-desk')[0]).toContain('Assignee: Agent One');
    await desk.advance(10 * DAY);
    expect(desk.channel('l1-desk')[0]).toContain('Status: claimed');
    expect(await desk.say('agent1', '/ticket history 1')).not.toContain('closed it');
  });

  it('closes at once when the requester confirms', async () => {
    await desk.say('agent1', '/ticket resolve 1 Replaced the fuser');
    expect(await desk.say('agent1', '/ticket confirm 1')).toMatch(/Only Requester, who raised #1/);
    expect(await desk.say('requester', '/ticket confirm 1')).toMatch(/closed/);
    expect(desk.channel('l1-desk')[0]).toContain('Status: closed');
    expect(await desk.advance(8 * DAY)).toBe(0);
    expect(await desk.say('agent1', '/ticket note 1 late thought')).toMatch(/Cannot add a note to this ticket: it is closed/);
  });

  it('fires an auto-close that came due while tierdesk was down once, marked late', async () => {
    await desk.say('agent1', '/ticket resolve 1 Replaced the fuser');
    desk.clock.advance(30 * DAY); // nobody ran the scheduler meanwhile
    expect(await desk.advance(0)).toBe(1);
    expect(await desk.advance(0)).toBe(0);
    expect(await desk.say('agent1', '/ticket history 1')).toMatch(/closed it \(the reopen window ended\) \[late\]/);
  });

  it('lets agents change priority, recorded in the history', async () => {
    expect(await desk.say('agent1', '/ticket priority 1 --impact high')).toMatch(/now P1 .*was P2/);
    expect(desk.channel('l1-desk')[0]).toContain('Priority: P1');
    expect(await desk.say('agent1', '/ticket priority 1 --priority p4')).toMatch(/now P4/);
    expect(await desk.say('requester', '/ticket priority 1 --priority P1')).toMatch(/Only Help desk \(L1\) agents/);
    expect(await desk.say('agent1', '/ticket history 1')).toMatch(/changed the priority from P2 to P1[\s\S]*from P1 to P4/);
  });
});

describe('show, list and history', () => {
  beforeEach(async () => {
    await desk.say('requester', '/ticket new Printer on fire --urgency high');
    await desk.say('other', '/ticket new Laptop slow');
    await desk.say('agent1', '/ticket claim 2');
  });

  it('shows a ticket to its requester and to agents, and to nobody else', async () => {
    expect(await desk.say('requester', '/ticket show 1')).toContain('Ticket #1: Printer on fire');
    expect(await desk.say('agent2', '/ticket show 1')).toContain('Priority: P2');
    expect(await desk.say('other', '/ticket show 1')).toMatch(/not yours/);
    expect(await desk.say('other', '/ticket history 1')).toMatch(/not yours/);
    expect(await desk.say('other', '/ticket show 99')).toBe('There is no ticket #99.');
  });

  it('shows every ticket to a lead who works no tier, who still cannot act on it', async () => {
    const yaml = DEMO_CONFIG_YAML.replace(
      'specialist: { name: Sam Specialist }',
      'specialist: { name: Sam Specialist }\n  lead: { name: Lena Lead }',
    ).replace('escalation_policy: l2-pager', 'escalation_policy: l2-pager\n    leads: [lead]');
    const led = await createTestDesk({ yaml });
    try {
      await led.say('requester', '/ticket new Printer on fire');
      await led.say('agent1', '/ticket note 1 Toner supplier is late again');
      expect(await led.say('lead', '/ticket show 1')).toContain('#1 Printer on fire');
      expect(await led.say('lead', '/ticket history 1')).toContain('Toner supplier is late again');
      expect(await led.say('requester', '/ticket history 1')).not.toContain('Toner supplier');
      expect(await led.say('lead', '/ticket list')).toContain('#1');
      expect(await led.say('lead', '/ticket claim 1')).toMatch(/agent/i);
      expect(await led.say('other', '/ticket show 1')).toMatch(/only its requester, the agents and the leads/);
    } finally {
      await led.close();
    }
  });

  it('lists the queue for agents and only their own tickets for requesters', async () => {
    const all = await desk.say('agent1', '/ticket list');
    expect(all).toContain('#1 P2 open L1 · Printer on fire');
    expect(all).toContain('#2 P3 claimed L1 · Laptop slow');
    const mine = await desk.say('agent1', '/ticket list --mine');
    expect(mine).toContain('#2');
    expect(mine).not.toContain('#1 ');
    expect(await desk.say('agent1', '/ticket list --status claimed')).not.toContain('#1 ');
    expect(await desk.say('agent1', '/ticket list --tier l2')).toBe('No tickets match.');
    const own = await desk.say('requester', '/ticket list');
    expect(own).toContain('#1');
    expect(own).not.toContain('#2');
    expect(await desk.say('agent1', '/ticket list --status nonsense')).toMatch(/--status must be one of/);
  });

  it('records every change with who and when', async () => {
    desk.clock.set('2024-06-03T10:15:00Z');
    await desk.say('agent1', '/ticket note 2 checking');
    const history = await desk.say('agent1', '/ticket history 2');
    expect(history).toMatch(/2024-06-03 09:00 UTC {2}other {2}opened it \(P3, L1\)/);
    expect(history).toMatch(/2024-06-03 09:00 UTC {2}Agent One {2}claimed it/);
    expect(history).toMatch(/2024-06-03 10:15 UTC {2}Agent One {2}internal note: checking/);
  });
});

describe('a person who tries again does not make a second ticket', () => {
  it('gives the first ticket back for the same title and description within ten minutes; a different ticket opens', async () => {
    const desk = await createTestDesk();
    try {
      expect(await desk.say('requester', '/ticket new VPN down --description since 9:00')).toMatch(/Ticket #1 opened/);
      await desk.advance(60_000);
      expect(await desk.say('requester', '/ticket new VPN down --description since 9:00')).toMatch(
        /You already opened #1 1 minute ago with the same title and description/,
      );
      expect(await desk.say('requester', '/ticket new VPN down --description since 9:05')).toMatch(/Ticket #2 opened/);
      expect(await desk.say('agent1', '/ticket new VPN down --description since 9:00')).toMatch(/Ticket #3 opened/);
      await desk.advance(10 * 60_000);
      expect(await desk.say('requester', '/ticket new VPN down --description since 9:00')).toMatch(/Ticket #4 opened/);
      expect(desk.channel('l1-desk').filter((m) => m.includes('VPN down'))).toHaveLength(4);
    } finally {
      await desk.close();
    }
  });
});
