import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blocksOf, createScratch, demoDeskEnv, expectSteps, runCli, type Block, type CliResult } from './support.js';

// Bad input of every kind, each followed by valid lines: nothing crashes, nothing is half-done,
// and no mass mention or control character the users typed comes back out of the bot.
const ZWSP = '\u200B';
const TITLE_201 = 'a'.repeat(201);
const DESCRIPTION_4001 = 'b'.repeat(4001);
const MESSAGE_4001 = 'c'.repeat(4001);

const LINES = [
  'garbage line without a speaker',
  ': nobody said this',
  'requester:',
  'requester: /frobnicate now',
  'requester: /ticket new',
  `requester: /ticket new ${TITLE_201}`,
  `requester: /ticket new Fine title --description ${DESCRIPTION_4001}`,
  'requester: /ticket new Urgent --urgency extreme',
  'requester: /ticket new Flagged --impact --urgency high',
  'requester: /ticket show 42',
  'requester: #42 anyone there?',
  'requester: /ticket new Printer\u0000 jams\u0007 daily\u001b[0m',
  'requester: /ticket claim 1',
  'agent2: /ticket claim 1',
  'requester: /ticket new Ping @everyone and @here and <!channel> please',
  'requester: #2 Still broken @everyone <!here> @channel\u0007\u001b[31m!',
  'requester: just chatting without a ticket number',
  `requester: #2 ${MESSAGE_4001}`,
  'agent1: /ticket note 2 @everyone check the <!channel> logs',
  'agent1: /ticket claim 2\r', // a Windows line ending
  'agent1: /ticket list',
  'requester: /ticket new After the storm',
];

const toRequester = '← to requester (only them):';

describe('bad input on the console', () => {
  const scratch = createScratch();
  let run: CliResult;
  let blocks: Block[];

  beforeAll(async () => {
    run = await runCli(['start'], { input: `${LINES.join('\n')}\n`, env: demoDeskEnv(scratch) });
    // Everything after the banner's last line is the bot answering the input.
    blocks = blocksOf(run.stdout.slice(run.stdout.indexOf('\n', run.stdout.indexOf('/help lists every command.'))));
  });
  afterAll(() => scratch.remove());

  it('never crashes: exit code 0, nothing on stderr', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('answers every bad line with what to do, and still handles every valid line after it', () => {
    expectSteps(blocks, [
      { line: LINES[0]!, expect: [{ head: '! Write "<user>: <text>", for example: requester: /ticket new Printer on fire --urgency high' }] },
      { line: LINES[1]!, expect: [{ head: '! Write "<user>: <text>", for example: requester: /ticket new Printer on fire --urgency high' }] },
      { line: LINES[2]!, expect: [{ head: '! requester said nothing. Try: requester: /help' }] },
      {
        line: LINES[3]!,
        expect: [
          { head: toRequester, has: ['Unknown command "/frobnicate".', 'tierdesk commands', '/ticket new <title>', '/ticket claim <N> [--force]'] },
        ],
      },
      { line: LINES[4]!, expect: [{ head: toRequester, has: 'A ticket needs a title: /ticket new <title>' }] },
      { line: LINES[5]!, expect: [{ head: toRequester, has: 'The title is 201 characters; the limit is 200. Put the details in --description.' }] },
      { line: LINES[6]!, expect: [{ head: toRequester, has: 'The description is 4001 characters; the limit is 4000.' }] },
      { line: LINES[7]!, expect: [{ head: toRequester, has: '--urgency must be high, medium, low; "extreme" is not one of them.' }] },
      { line: LINES[8]!, expect: [{ head: toRequester, has: '--impact needs a value.' }] },
      { line: LINES[9]!, expect: [{ head: toRequester, has: 'There is no ticket #42.' }] },
      { line: LINES[10]!, expect: [{ head: toRequester, has: 'There is no ticket #42.' }] },
      {
        // Control characters are stripped from the title; what is left stays readable.
        line: LINES[11]!,
        expect: [
          { head: toRequester, has: 'Ticket #1 opened (P3, Help desk).' },
          { head: '→ #l1-desk:', has: '🎫 #1 Printer jams daily[0m' },
        ],
      },
      { line: LINES[12]!, expect: [{ head: toRequester, has: 'Only Help desk (L1) agents can claim ticket #1, and you are not one of them.' }] },
      // An agent of another tier is not an agent of this ticket.
      {
        line: LINES[13]!,
        expect: [{ head: '← to agent2 (only them):', has: 'Only Help desk (L1) agents can claim ticket #1, and you are not one of them.' }],
      },
      {
        line: LINES[14]!,
        expect: [
          { head: toRequester, has: 'Ticket #2 opened' },
          { head: '→ #l1-desk:', has: `🎫 #2 Ping @${ZWSP}everyone and @${ZWSP}here and <${ZWSP}!channel> please` },
          { head: '→ DM to requester:', has: `🎫 Ticket #2: Ping @${ZWSP}everyone and @${ZWSP}here and <${ZWSP}!channel> please` },
        ],
      },
      {
        line: LINES[15]!,
        expect: [
          {
            head: `→ #l1-desk › thread "🎫 #2 Ping @${ZWSP}everyone and @${ZWSP}here and <${ZWSP}!channel> please":`,
            has: `Still broken @${ZWSP}everyone <${ZWSP}!here> @${ZWSP}channel[31m!`,
          },
        ],
      },
      {
        line: LINES[16]!,
        expect: [
          {
            head: "! To write in a ticket's conversation, start with its number: requester: #1 <text>; in a peer question's thread: requester: Q1 <text>. /help lists the commands.",
          },
        ],
      },
      { line: LINES[17]!, expect: [{ head: toRequester, has: 'A message is 4001 characters; the limit is 4000. Split it into several messages.' }] },
      { line: LINES[18]!, expect: [{ head: '← to agent1 (only them):', has: 'Internal note added to #2' }] },
      { line: LINES[19]!, expect: [{ head: '← to agent1 (only them):', has: 'You have claimed #2.' }] },
      { line: LINES[20]!, expect: [{ head: '← to agent1 (only them):', has: '#2 P3 claimed L1' }] },
      { line: LINES[21]!, expect: [{ head: toRequester, has: 'Ticket #3 opened' }] },
    ]);
  });

  it('creates nothing for a refused line: the queue holds exactly the two accepted tickets', () => {
    const list = blocks.find((b) => b.head === '← to agent1 (only them):' && b.body.startsWith('#2'));
    expect(list?.body.split('\n').map((l) => l.replace(/ · .*/, ''))).toEqual(['#2 P3 claimed L1', '#1 P3 open L1']);
  });

  it('neutralises @everyone, @here, @channel and <!channel> in titles, messages and notes, keeping them readable', () => {
    expect(run.stdout).not.toMatch(/(^|[^\u200B])@(everyone|here|channel)\b/);
    expect(run.stdout).not.toMatch(/<!(channel|here|everyone)/);
    expect(run.stdout).toContain(`@${ZWSP}everyone check the <${ZWSP}!channel> logs`);
  });

  it('prints no control character the users typed (not even the carriage return)', () => {
    expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
  });
});
