import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsolePeerDriver } from './peer-console-driver.js';
import { startDiscordPeerDriver } from './peer-discord-driver.js';
import { peerFacts, withDeadlines, type PeerDriver } from './peer-driver.js';
import { startSlackPeerDriver } from './peer-slack-driver.js';

// The peer-support contract every adapter passes: a member asks in the peer channel, another
// answers in its thread, the asker marks the answer, the helper has the points, the solved question
// is found by search, and a new ticket with the same words is offered it before anything opens; the
// offer's "Open the ticket anyway" opens exactly one ticket. Told through each platform's own means
// (console lines, a Slack channel and its threads, a Discord forum post), it ends the same way.

const DRIVERS: Array<[string, () => Promise<PeerDriver>]> = [
  ['console (/mark)', startConsolePeerDriver],
  ["slack (the asker's ✅)", () => startSlackPeerDriver('reaction')],
  ['slack ("Mark as solution")', () => startSlackPeerDriver('menu')],
  ["discord (the asker's ✅)", () => startDiscordPeerDriver('reaction')],
  ['discord ("Mark as solution")', () => startDiscordPeerDriver('menu')],
];

const QUESTION = 'VPN drops every hour on hotel wifi';
const ANSWER = 'Switch the VPN client to TCP in its settings; hotel wifi kills UDP sessions.';
const SEARCH = 'vpn hotel wifi';

/** What each platform marks a question's thread with, before and after it is solved. */
const LABELS: Record<PeerDriver['platform'], { open: string[]; solved: string[] }> = {
  console: { open: [], solved: [] },
  slack: { open: [], solved: ['white_check_mark'] },
  discord: { open: ['Open'], solved: ['Solved'] },
};

describe.each(DRIVERS)('the peer journey on %s', (_name, start) => {
  let d: PeerDriver;
  let q = 0;
  let asked: string | undefined;
  /** What tierdesk answered at each step, normalised: people and links as placeholders. */
  const transcript: Array<[string, string | undefined]> = [];
  /** The excerpts shown for the solved question (search results, the offer). */
  const excerpts: string[] = [];
  let offer: { text: string; buttons: string[]; onlyToAsker: boolean };
  let labels: { open: string[]; solved: string[] };
  let beforeSolved: Awaited<ReturnType<typeof peerFacts>>;
  let offered: Awaited<ReturnType<typeof peerFacts>>;
  let opened: Awaited<ReturnType<typeof peerFacts>>;
  let openedTwice: Awaited<ReturnType<typeof peerFacts>>;

  /** The same text on every platform: people and links as placeholders; the button line of the plain-text rendering dropped (buttons are compared on their own). */
  const normalise = (text: string | undefined): string | undefined => {
    if (text === undefined) return undefined;
    const where = d.whereIs(q);
    let out = text;
    if (where.answer) out = out.replaceAll(where.answer, '<answer link>');
    out = out.replaceAll(where.question, '<where Q1 is>');
    for (const [name, as] of [
      [d.askerName, '<asker>'],
      [d.helperName, '<helper>'],
    ] as const)
      out = out.replace(new RegExp(`\\b${name}\\b`, 'g'), as);
    return out
      .split('\n')
      .filter((l) => !l.startsWith('Actions: '))
      .join('\n');
  };
  /** The excerpt is the search engine's (FTS5 on SQLite, ts_headline on PostgreSQL): kept aside, checked on its own. */
  const excerptAside = (text: string | undefined) =>
    text?.replace(/\(solved question\): (.*)$/gm, (_, excerpt: string) => (excerpts.push(excerpt), '(solved question): <excerpt>'));
  const step = (what: string, answer: string | undefined) => transcript.push([what, excerptAside(normalise(answer))]);

  beforeAll(async () => {
    d = withDeadlines(await start());
    ({ number: q, answer: asked } = await d.ask(QUESTION));
    step('answer', await d.answer(q, ANSWER));
    step('/kb search, unsolved', await d.kbSearch(SEARCH));
    step('/helpers all, unsolved', await d.helpers('all'));
    const openLabels = d.labels(q);
    beforeSolved = await peerFacts(d.db);
    step('mark as solution', await d.markSolution(q));
    labels = { open: openLabels, solved: d.labels(q) };
    step('/helpers all', await d.helpers('all'));
    step('/kb search', await d.kbSearch(SEARCH));
    const shown = await d.newTicket(QUESTION);
    offer = { text: excerptAside(normalise(shown.text))!, buttons: shown.buttons, onlyToAsker: shown.onlyToAsker };
    offered = await peerFacts(d.db);
    step('open the ticket anyway', await shown.openAnyway());
    opened = await peerFacts(d.db);
    step('open the ticket anyway, again', await shown.openAnyway());
    openedTwice = await peerFacts(d.db);
  });
  afterAll(async () => {
    await d?.close();
  });

  it("the question is asked in the peer channel as Q1: the console's /ask says where; a post made by hand gets no answer (nothing similar yet)", async () => {
    expect(q).toBe(1);
    if (d.platform === 'console') expect(asked).toMatch(/^Question Q1 posted in #peer\. Helpers answer in its thread/);
    else expect(asked).toBeUndefined();
    expect(beforeSolved.questions).toEqual([{ number: 1, title: QUESTION, body: QUESTION, status: 'open', platform: d.platform }]);
    expect(beforeSolved.points).toEqual([]);
  });

  it('answers each step the same', () => {
    expect(transcript).toEqual([
      ['answer', undefined], // an answer in the thread needs no confirmation
      [
        '/kb search, unsolved',
        `Nothing in the knowledge base matches "${SEARCH}". Try other words, /ask the community, or open a ticket with /ticket new <title>.`,
      ],
      [
        '/helpers all, unsolved',
        'Top helpers of all time\nNo points yet. Answer a question in the peer channel: an accepted solution or a thanks earns points.',
      ],
      ['mark as solution', "Marked <helper>'s answer as the solution to Q1. <helper> earns 10 points."],
      ['/helpers all', 'Top helpers of all time\n1. <helper>: 10 points (1 solution)'],
      ['/kb search', [`🔎 1 result for "${SEARCH}"`, `1. 💬 ${QUESTION} (solved question): <excerpt>`, '   <where Q1 is>'].join('\n')],
      ['open the ticket anyway', "Ticket #1 opened (P3, Help desk). Our answers will reach you in the ticket's private conversation."],
      ['open the ticket anyway, again', 'That ticket is already opened as #1.'],
    ]);
  });

  it('the solution is recorded and the helper has the points: one solution row, one 10-point award to the helper', async () => {
    const facts = await peerFacts(d.db);
    expect(facts.questions).toEqual([{ number: 1, title: QUESTION, body: QUESTION, status: 'solved', platform: d.platform }]);
    expect(facts.solutions).toEqual([{ question: 1, text: ANSWER }]);
    expect(facts.points).toEqual([
      { person: expect.stringMatching(new RegExp(`^${d.platform}:`)), name: d.helperName, question: 1, kind: 'solution', points: 10 },
    ]);
    expect(facts.points[0]!.person).not.toBe(facts.offers[0]!.requester_key); // the helper, not the asker
  });

  it('the thread shows the answer and the Solved card linking it; the platform labels the thread solved', () => {
    const saw = d.threadSaw(q).map(normalise);
    expect(saw).toContain(ANSWER);
    const linked = d.whereIs(q).answer ? ' (<answer link>)' : '';
    expect(saw).toContain(`✅ Solved: ${QUESTION}\nSolution by <helper>${linked}:\n${ANSWER}\nMarked by <asker> · <helper> earns 10 points`);
    expect(labels).toEqual(LABELS[d.platform]);
  });

  it('a new ticket with the same words is deflected: the offer lists the solved question, only to the asker, and nothing is opened', () => {
    expect(offer.onlyToAsker).toBe(true);
    expect(offer.text).toBe(
      [
        `Before we open "${QUESTION}": these may answer it:`,
        `1. 💬 ${QUESTION} (solved question): <excerpt>`,
        '   <where Q1 is>',
        'Nothing has been opened yet. If none of these helps, open the ticket anyway: it keeps what you wrote.',
      ].join('\n'),
    );
    expect(offer.buttons).toEqual(['This solved it', 'Open the ticket anyway']);
    // Search and the offer show the question with an excerpt of its words and its accepted answer.
    expect(excerpts).toHaveLength(2);
    for (const e of excerpts) expect(e).toMatch(new RegExp(`^${QUESTION} Switch the VPN client to\\b`));
    expect(offered.tickets).toEqual([]);
    expect(offered.delivered).toEqual([]);
    expect(offered.offers).toEqual([
      {
        id: expect.any(String),
        outcome: 'offered',
        ticket: null,
        requester_key: expect.stringMatching(new RegExp(`^${d.platform}:`)),
        input: { title: QUESTION },
        docs: ['question:1'],
      },
    ]);
  });

  it('"Open the ticket anyway" opens exactly one ticket, as written, for the asker; pressing it again opens nothing more', () => {
    expect(opened.tickets).toEqual([{ number: 1, title: QUESTION, status: 'open', tier: 'L1', requester_id: expect.any(String) }]);
    expect(opened.offers).toEqual([{ ...offered.offers[0], outcome: 'opened', ticket: 1 }]);
    expect(opened.offers[0]!.requester_key).toBe(`${d.platform}:${opened.tickets[0]!.requester_id}`);
    // It entered the queue like any ticket: its card reached the L1 agents, its anchor the asker.
    expect(opened.delivered).toEqual(['ticket:1:card:L1', 'ticket:1:requester']);
    expect(openedTwice.tickets).toEqual(opened.tickets);
    expect(openedTwice.offers).toEqual(opened.offers);
  });
});
