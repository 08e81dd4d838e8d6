import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blocksOf, blocksTo, createScratch, demoDeskEnv, expectSteps, runCli, type Block, type CliResult } from './support.js';

// One piped session through the real CLI: a ticket's whole life, as the requester and two tiers of agents see it.
const NOTE = 'Toner is fine; I suspect the fuser';
const L1_THREAD = '→ #l1-desk › thread "🎫 #1 Printer on fire":';
const L2_THREAD = '→ #l2-desk › thread "🎫 #1 Printer on fire":';
const REQUESTER_THREAD = '→ DM to requester › thread "🎫 Ticket #1: Printer on fire":';

const SCRIPT = [
  'requester: /ticket new Printer on fire --urgency high --description Smoke comes out of tray 2',
  'agent1: /ticket claim 1',
  'agent1: #1 Have you tried a new toner cartridge?',
  `agent1: /ticket note 1 ${NOTE}`,
  'agent1: /ticket wait 1 Which model is it?',
  'requester: #1 It is a LaserJet 4',
  'agent1: /ticket escalate 1 Fuser replacement needs the hardware team',
  'agent1: /ticket resolve 1 Too late for me',
  'agent2: /ticket claim 1',
  'agent2: /ticket resolve 1 Replaced the fuser',
  'agent2: /ticket history 1',
  'requester: /ticket history 1',
];

describe('a full piped console session', () => {
  const scratch = createScratch();
  let run: CliResult;
  let blocks: Block[];

  beforeAll(async () => {
    run = await runCli(['start'], { input: `${SCRIPT.join('\n')}\n`, env: demoDeskEnv(scratch) });
    blocks = blocksOf(run.stdout);
  });
  afterAll(() => scratch.remove());

  it('handles every line, then exits 0 at the end of input with nothing on stderr', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`database: ${scratch.databaseUrl}`);
  });

  it("prints each line's confirmation and deliveries, with their destinations, in order", () => {
    expectSteps(blocks, [
      {
        line: SCRIPT[0]!,
        expect: [
          {
            head: '← to requester (only them):',
            has: "Ticket #1 opened (P2, Help desk). Our answers will reach you in the ticket's private conversation.",
          },
          {
            head: '→ #l1-desk:',
            has: [
              '🎫 #1 Printer on fire',
              'Smoke comes out of tray 2',
              'Priority: P2 (impact medium, urgency high)',
              'Status: open',
              'Assignee: unclaimed',
              '[Claim] /ticket claim 1',
            ],
          },
          { head: '→ DM to requester:', has: ['🎫 Ticket #1: Printer on fire', 'Status: open', 'With: Help desk'] },
        ],
      },
      {
        line: SCRIPT[1]!,
        expect: [
          { head: '← to agent1 (only them):', has: 'You have claimed #1.' },
          {
            head: '✎ #l1-desk (updated):',
            has: ['🎫 #1 Printer on fire', 'Status: claimed', 'Assignee: Agent One', '[Take over] /ticket claim 1 --force'],
          },
          { head: '✎ DM to requester (updated):', has: 'Status: claimed' },
          { head: REQUESTER_THREAD, has: 'Agent One is working on your ticket.' },
        ],
      },
      {
        line: SCRIPT[2]!,
        expect: [
          { head: '← to agent1 (only them):', has: 'Reply sent to Requester on #1.' },
          { head: REQUESTER_THREAD, has: ['💬 Agent One on #1', 'Have you tried a new toner cartridge?'] },
          { head: L1_THREAD, has: ['↪ Agent One replied to the requester on #1', 'Have you tried a new toner cartridge?'] },
        ],
      },
      {
        line: SCRIPT[3]!,
        expect: [
          { head: '← to agent1 (only them):', has: 'Internal note added to #1 (agents only).' },
          { head: L1_THREAD, has: ['🔒 Internal note by Agent One on #1 (not visible to the requester)', NOTE] },
        ],
      },
      {
        line: SCRIPT[4]!,
        expect: [
          { head: '← to agent1 (only them):', has: '#1 is now waiting on Requester.' },
          { head: '✎ #l1-desk (updated):', has: 'Status: waiting on the requester' },
          { head: '✎ DM to requester (updated):', has: ['We are waiting for your answer', 'Status: waiting on the requester'] },
          { head: REQUESTER_THREAD, has: ['💬 Agent One on #1', 'Which model is it?'] },
          { head: L1_THREAD, has: ['↪ Agent One replied to the requester on #1', 'Which model is it?'] },
        ],
      },
      {
        // The requester's answer reaches the agents and puts the ticket back to work.
        line: SCRIPT[5]!,
        expect: [
          { head: L1_THREAD, has: ['💬 Requester (requester) on #1', 'It is a LaserJet 4'] },
          { head: '✎ #l1-desk (updated):', has: ['Status: claimed', 'Assignee: Agent One'] },
          { head: '✎ DM to requester (updated):', has: 'Status: claimed' },
        ],
      },
      {
        line: SCRIPT[6]!,
        expect: [
          { head: '← to agent1 (only them):', has: '#1 escalated from L1 to L2 Second level.' },
          { head: '✎ #l1-desk (updated):', has: '⤴ Escalated from L1 to L2 Second level by Agent One: Fuser replacement needs the hardware team' },
          { head: '→ #l2-desk:', has: ['🎫 #1 Printer on fire', 'Tier: L2 Second level', 'Status: open', 'Assignee: unclaimed'] },
          { head: L2_THREAD, has: ['🔒 Internal note by Agent One', 'Escalated from L1: Fuser replacement needs the hardware team'] },
          { head: '✎ DM to requester (updated):', has: 'With: Second level' },
          { head: REQUESTER_THREAD, has: 'Your ticket has moved to Second level.' },
        ],
      },
      {
        // Once escalated, the ticket belongs to L2: its first-level agent may no longer resolve it.
        line: SCRIPT[7]!,
        expect: [{ head: '← to agent1 (only them):', has: 'Only Second level (L2) agents can resolve ticket #1, and you are not one of them.' }],
      },
      {
        line: SCRIPT[8]!,
        expect: [
          { head: '← to agent2 (only them):', has: 'You have claimed #1.' },
          { head: '✎ #l2-desk (updated):', has: ['Status: claimed', 'Assignee: Agent Two'] },
          { head: REQUESTER_THREAD, has: 'Agent Two is working on your ticket.' },
        ],
      },
      {
        line: SCRIPT[9]!,
        expect: [
          { head: '← to agent2 (only them):', has: '#1 resolved. It closes by itself in 1 week unless Requester reopens it.' },
          { head: '✎ #l2-desk (updated):', has: ['Status: resolved', 'Replaced the fuser', '[Reopen] /ticket reopen 1'] },
          { head: '✎ DM to requester (updated):', has: ['Resolved: Replaced the fuser', '/ticket confirm 1'] },
          { head: REQUESTER_THREAD, has: ['💬 Agent Two on #1', 'Resolved: Replaced the fuser', 'If that fixed it, /ticket confirm 1.'] },
        ],
      },
      { line: SCRIPT[10]!, expect: [{ head: '← to agent2 (only them):', has: 'History of #1 Printer on fire' }] },
      { line: SCRIPT[11]!, expect: [{ head: '← to requester (only them):', has: 'History of #1 Printer on fire' }] },
    ]);
  });

  it("never shows the internal note to the requester: only in the agents' thread and the agents' history", () => {
    const withNote = blocks.filter((b) => b.body.includes(NOTE) || b.head.includes(NOTE));
    expect(withNote.map((b) => b.head)).toEqual([L1_THREAD, '← to agent2 (only them):']);
    for (const b of [...blocksTo(blocks, '→ DM to requester'), ...blocksTo(blocks, '✎ DM to requester'), ...blocksTo(blocks, '← to requester')]) {
      expect(b.body).not.toContain(NOTE);
      expect(b.body).not.toContain('Internal note');
    }
  });

  it('tells the agents the whole history, in order, with who did what', () => {
    const history = historyLines(blocks, '← to agent2 (only them):');
    expect(history).toEqual([
      'Requester  opened it (P2, L1)',
      'Agent One  claimed it',
      'Agent One  replied: Have you tried a new toner cartridge?',
      `Agent One  internal note: ${NOTE}`,
      'Agent One  set it waiting on the requester: Which model is it?',
      'Requester  wrote: It is a LaserJet 4',
      'Requester  answered, so it is back in work',
      'Agent One  escalated it from L1 to L2: Fuser replacement needs the hardware team',
      'Agent Two  claimed it',
      'Agent Two  resolved it: Replaced the fuser',
    ]);
  });

  it('gives the requester the public history: no internal note, no escalation reason', () => {
    expect(historyLines(blocks, '← to requester (only them):')).toEqual([
      'Requester  opened it (P2)',
      'Agent One  claimed it',
      'Agent One  replied: Have you tried a new toner cartridge?',
      'Agent One  set it waiting for your answer: Which model is it?',
      'Requester  wrote: It is a LaserJet 4',
      'Requester  answered, so it is back in work',
      'Agent One  moved it to Second level',
      'Agent Two  claimed it',
      'Agent Two  resolved it: Replaced the fuser',
    ]);
  });
});

/** The lines of the last history reply sent to `head`, without their timestamps. */
function historyLines(blocks: Block[], head: string): string[] {
  const reply = blocks.filter((b) => b.head === head && b.body.startsWith('History of #1')).at(-1);
  if (!reply) throw new Error(`no history reply for ${head}`);
  return reply.body
    .split('\n')
    .slice(1)
    .map((line) => {
      expect(line).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC {2}/);
      return line.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC {2}/, '');
    });
}
