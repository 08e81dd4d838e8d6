import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_CONFIG_YAML } from '../../src/config/config.js';
import type { ChatAdapter, Inbound, Person } from '../../src/ports.js';
import { createTestDesk, type TestDesk } from '../support/desk.js';

/**
 * Peer support through the core, the way Slack and Discord deliver it: a message in the peer
 * channel without a thread starts a question (its id is the thread's root), messages with
 * `place.thread` are answers, ✅ reactions and "Mark as solution" carry the answer's author.
 */
const PEER = 'peer';
let desk: TestDesk;
let seq = 0;

const person = (id: string): Person => ({ platform: 'console', space: 'local', id, name: id });
const base = (user: string) => ({ key: `peer-test:${++seq}`, at: desk.clock.now(), from: person(user) });

function post(user: string, id: string, text: string, thread?: string): Promise<string | undefined> {
  const event: Inbound = {
    ...base(user),
    kind: 'message',
    text,
    id,
    place: { platform: 'console', space: 'local', channel: PEER, ...(thread ? { thread } : {}) },
  };
  return desk.send(event);
}

function react(user: string, root: string, message: string, author: string, text: string, emoji = '✅'): Promise<string | undefined> {
  return desk.send({
    ...base(user),
    kind: 'reaction',
    emoji,
    message,
    author: person(author),
    text,
    place: { platform: 'console', space: 'local', channel: PEER, thread: root },
  });
}

function markAction(user: string, root: string, message: string, author: string, text: string): Promise<string | undefined> {
  return desk.send({
    ...base(user),
    kind: 'action',
    action: 'peer.solution',
    value: '',
    about: { id: message, author: person(author), text },
    place: { platform: 'console', space: 'local', channel: PEER, thread: root },
  });
}

async function question(n: number) {
  return desk.db.selectFrom('peer_questions').selectAll().where('number', '=', n).executeTakeFirstOrThrow();
}

async function pointsOf(id: string): Promise<number> {
  const rows = await desk.db.selectFrom('peer_points').select('points').where('person', '=', `console:${id}`).execute();
  return rows.reduce((s, r) => s + Number(r.points), 0);
}

/** Every message tierdesk posted in the thread under root `root`. */
function threadOf(root: string): string[] {
  return desk.adapter.messages.filter((m) => m.place.channel === PEER && m.place.thread === root).map((m) => m.card.fallback);
}

afterEach(async () => {
  await desk?.close();
});

describe('questions and solutions', () => {
  it("a post in the peer channel is a question; the asker's ✅ on an answer solves it and rewards the helper", async () => {
    desk = await createTestDesk();
    expect(await post('alice', 'r1', 'VPN drops every 10 minutes on hotel wifi\nIt reconnects, then drops again.')).toBeUndefined();
    const q = await question(1);
    expect(q).toMatchObject({ title: 'VPN drops every 10 minutes on hotel wifi', status: 'open', channel: PEER });
    await post('bob', 'a1', 'Switch the VPN protocol to TCP in the client settings; hotel wifi kills UDP sessions.', 'r1');
    expect((await question(1)).answered_at).not.toBeNull();

    await react('alice', 'r1', 'a1', 'bob', 'Switch the VPN protocol to TCP in the client settings; hotel wifi kills UDP sessions.');
    expect((await question(1)).status).toBe('solved');
    expect(desk.adapter.labels).toEqual([
      { thread: 'r1', label: 'open' },
      { thread: 'r1', label: 'solved' },
    ]);
    expect(threadOf('r1').join('\n')).toMatch(/✅ Solved: VPN drops.*\n.*Solution by bob:\n.*TCP/s);
    // "Save as article" on the solved thread: a draft for the KB authors (L2, L3), refused to others.
    expect(threadOf('r1').at(-1)).toMatch(/\[Save as article\] \/kb save question 1/);
    expect(await desk.say('bob', '/kb save question 1')).toMatch(/L2|author|not/i);
    expect(await desk.say('agent2', '/kb save question 1')).toMatch(/Draft article #1/);
    expect(await pointsOf('bob')).toBe(10);
    expect(await desk.say('carol', '/helpers week')).toMatch(/1\. bob: 10 points \(1 solution\)/);

    // The solved question is knowledge now: searchable, and offered to the next asker.
    expect(await desk.say('carol', '/kb search vpn hotel wifi')).toMatch(/VPN drops every 10 minutes/);
    await post('dave', 'r2', 'my VPN keeps dropping on hotel wifi');
    expect(threadOf('r2').join('\n')).toMatch(/Similar questions and articles[\s\S]*Q1: VPN drops every 10 minutes/);
    // And before a ticket: the same words in /ticket new are offered the solved question first.
    expect(await desk.say('erin', '/ticket new VPN drops on hotel wifi')).toMatch(/VPN drops every 10 minutes on hotel wifi \(solved question\)/);
    expect(await desk.db.selectFrom('tickets').selectAll().execute()).toEqual([]);
    const offer = await desk.db.selectFrom('deflection_docs').select('doc').execute();
    expect(offer).toEqual([{ doc: 'question:1' }]);
  });

  it('"me too": the asker joins a similar solved question instead of waiting on their own', async () => {
    desk = await createTestDesk();
    await post('alice', 'r1', 'Docker Desktop will not start after the update');
    await post('bob', 'a1', 'Enable virtualization in the BIOS again', 'r1');
    await react('alice', 'r1', 'a1', 'bob', 'Enable virtualization in the BIOS again');
    await post('dave', 'r2', 'Docker Desktop does not start since the update');
    expect(threadOf('r2')[0]).toMatch(/\[Same as Q1\] \/peer metoo 2 1/);
    expect(await desk.say('carol', '/peer metoo 2 1')).toMatch(/Only dave, who asked Q2/);
    expect(await desk.say('dave', '/peer metoo 2 1')).toMatch(/Linked Q2 to Q1 and closed Q2/);
    expect((await question(2)).status).toBe('closed');
    expect(threadOf('r1').at(-1)).toMatch(/Me too\ndave had the same question \(Q2\)/);
    expect(desk.adapter.labels.at(-1)).toEqual({ thread: 'r2', label: 'closed' });
    await desk.advance(60 * 60_000);
    expect(threadOf('r2').some((t) => /Still unanswered/.test(t))).toBe(false);
  });

  it("only the asker or a moderator marks a solution; others' ✅ are just reactions", async () => {
    desk = await createTestDesk();
    await post('alice', 'r1', 'Printer on floor 3 prints blank pages');
    await post('bob', 'a1', 'Replace the toner', 'r1');
    expect(await react('carol', 'r1', 'a1', 'bob', 'Replace the toner')).toBeUndefined();
    expect((await question(1)).status).toBe('open');
    expect(await markAction('carol', 'r1', 'a1', 'bob', 'Replace the toner')).toMatch(
      /Only alice, who asked Q1, or a moderator can mark its solution/,
    );
    expect((await question(1)).status).toBe('open');
    expect(await pointsOf('bob')).toBe(0);
    // agent1 is a moderator (config peer.moderators), and agents are too.
    expect(await markAction('agent1', 'r1', 'a1', 'bob', 'Replace the toner')).toMatch(
      /Marked bob's answer as the solution to Q1\. bob earns 10 points/,
    );
    expect((await question(1)).status).toBe('solved');
  });

  it('marking your own answer solves the question but earns nothing; the question itself cannot be its answer', async () => {
    desk = await createTestDesk();
    await post('alice', 'r1', 'Outlook keeps asking for my password');
    expect(await markAction('alice', 'r1', 'r1', 'alice', 'Outlook keeps asking')).toMatch(/That is the question itself/);
    await post('alice', 'a1', 'Found it: clear the credential manager entry', 'r1');
    expect(await markAction('alice', 'r1', 'a1', 'alice', 'Found it: clear the credential manager entry')).toMatch(
      /your answer.*No points: it is your own answer/,
    );
    expect((await question(1)).status).toBe('solved');
    expect(await pointsOf('alice')).toBe(0);
  });

  it('marking the same answer twice, or reacting twice, counts once', async () => {
    desk = await createTestDesk();
    await post('alice', 'r1', 'Teams camera is black');
    await post('bob', 'a1', 'Close the other app using the camera', 'r1');
    await react('alice', 'r1', 'a1', 'bob', 'Close the other app using the camera');
    expect(await markAction('alice', 'r1', 'a1', 'bob', 'x')).toMatch(/already marked as a solution to Q1/);
    await react('alice', 'r1', 'a1', 'bob', 'Close the other app using the camera');
    expect(await pointsOf('bob')).toBe(10);
    expect(desk.adapter.labels.map((l) => l.label)).toEqual(['open', 'solved']);
  });

  it('a question may have several solutions; thanks earn points within the per-thread and per-day caps', async () => {
    desk = await createTestDesk();
    await post('alice', 'r1', 'Laptop will not charge');
    await post('bob', 'a1', 'Try another outlet', 'r1');
    await post('carol', 'a2', 'Reset the battery controller (hold power 30 s)', 'r1');
    await markAction('alice', 'r1', 'a1', 'bob', 'Try another outlet');
    await markAction('alice', 'r1', 'a2', 'carol', 'Reset the battery controller');
    expect(await desk.db.selectFrom('peer_solutions').select('message').where('question', '=', 1).execute()).toHaveLength(2);
    // bob has 10 of the 15 points one question can give him: three thanks are capped at 5 more.
    await post('alice', 't1', 'thanks @bob!', 'r1');
    await post('alice', 't2', 'thank you @bob', 'r1');
    await post('alice', 't3', 'thx @bob', 'r1');
    await post('alice', 't4', 'ty @bob', 'r1');
    expect(await pointsOf('bob')).toBe(15);
    // Thanking yourself, or a thanks by someone who is not the asker, earns nothing.
    await post('alice', 't5', 'thanks @alice', 'r1');
    await post('dave', 't6', 'thanks @carol', 'r1');
    expect(await pointsOf('alice')).toBe(0);
    expect(await pointsOf('carol')).toBe(10);

    // 50 points a day at most: bob solves more questions today.
    for (let i = 2; i <= 7; i++) {
      await post('erin', `r${i}`, `Question number ${i} about email`);
      await post('bob', `a${i}`, 'An answer', `r${i}`);
      await markAction('erin', `r${i}`, `a${i}`, 'bob', 'An answer');
    }
    expect(await pointsOf('bob')).toBe(50);
    expect(await markAction('erin', 'r7', 'a7', 'bob', 'x')).toMatch(/already marked/);
    await desk.advance(24 * 3_600_000);
    await post('erin', 'r8', 'Another question today');
    await post('bob', 'a8', 'Another answer', 'r8');
    expect(await markAction('erin', 'r8', 'a8', 'bob', 'Another answer')).toMatch(/bob earns 10 points/);
  });

  it('points cannot be farmed: thanks pay only people who wrote in the thread, and nobody pays themselves', async () => {
    desk = await createTestDesk();
    for (let i = 1; i <= 5; i++) {
      await post('alice', `r${i}`, `Throw-away question ${i}`);
      await post('alice', `t${i}`, 'thanks @mallory', `r${i}`);
    }
    expect(await pointsOf('mallory')).toBe(0);
    // A moderator (every agent is one) marking their own answer solves it but earns nothing.
    await post('carol', 'r9', 'Printer offline after the update');
    await post('agent2', 'a9', 'Reinstall the driver', 'r9');
    expect(await markAction('agent2', 'r9', 'a9', 'agent2', 'Reinstall the driver')).toMatch(
      /Marked your answer as the solution to Q6\. No points: it is your own answer/,
    );
    expect(await pointsOf('agent2')).toBe(0);
    expect((await question(6)).status).toBe('solved');
  });

  it('a long post made by hand is kept as a question (clipped), so its thread still works', async () => {
    desk = await createTestDesk();
    await post('alice', 'r1', `Outlook crashes on start\n${'log line\n'.repeat(600)}`);
    const q = await question(1);
    expect(q.title).toBe('Outlook crashes on start');
    expect(q.body.length).toBeLessThanOrEqual(4000);
    expect(q.body).toMatch(/cut; the whole question is in the post\)$/);
    await post('bob', 'a1', 'Start it with /safe', 'r1');
    expect((await question(1)).answered_at).not.toBeNull();
  });

  it('a reaction or action outside any question thread does nothing, and messages in untracked threads are ignored', async () => {
    desk = await createTestDesk();
    expect(await react('alice', 'nowhere', 'a1', 'bob', 'hi')).toBeUndefined();
    expect(await post('alice', 'x1', 'a reply to something from before tierdesk', 'old-thread')).toBeUndefined();
    expect(await markAction('alice', 'nowhere', 'a1', 'bob', 'hi')).toMatch(/not in a question's thread/);
    expect(await desk.db.selectFrom('peer_questions').selectAll().execute()).toEqual([]);
  });
});

describe('/ask, /helpers and bad input', () => {
  it('/ask posts the question in the peer channel and the console can answer and mark it', async () => {
    desk = await createTestDesk();
    expect(await desk.say('alice', '/ask How do I map a network drive?')).toMatch(/Question Q1 posted in #peer/);
    expect(desk.channel(PEER)).toEqual([expect.stringMatching(/^Q1: How do I map a network drive\?\nAsked by alice/)]);
    await desk.say('agent2', 'Q1 File Explorer › This PC › Map network drive');
    // The console names the answer by the line's id; `/mark` is its "Mark as solution".
    const answer = await desk.db.selectFrom('peer_questions').select('answered_at').where('number', '=', 1).executeTakeFirstOrThrow();
    expect(answer.answered_at).not.toBeNull();
  });

  it('refuses empty and huge questions, unknown periods, and says where there is no peer channel', async () => {
    desk = await createTestDesk();
    expect(await desk.say('alice', '/ask')).toMatch(/A question needs some words/);
    expect(await desk.say('alice', `/ask ${'word '.repeat(1000)}`)).toMatch(/The question is \d+ characters; the limit is 4000/);
    expect(await desk.say('alice', '/helpers yesterday')).toMatch(/"yesterday" is not a period\. Usage: \/helpers \[week\|month\|all\]/);
    expect(await desk.say('alice', '/helpers')).toMatch(/No points yet/);
    expect(await desk.db.selectFrom('peer_questions').selectAll().execute()).toEqual([]);
    await desk.close();
    desk = await createTestDesk({ yaml: DEMO_CONFIG_YAML.replace('channels: { console: [peer] }', 'channels: {}') });
    expect(await desk.say('alice', '/ask Anyone?')).toMatch(/There is no peer-support channel on console here\. Open a ticket instead/);
  });

  it('mass mentions in a question never ping', async () => {
    desk = await createTestDesk();
    await desk.say('alice', '/ask @everyone <!channel> help');
    expect(desk.channel(PEER)[0]).not.toMatch(/(?<!\u200B)@everyone|<!channel>/);
  });
});

describe('unanswered questions', () => {
  it('pings the helpers, then becomes an L1 ticket whose conversation is the question thread', async () => {
    desk = await createTestDesk();
    await post('alice', 'r1', 'SAP says my license expired');
    await desk.advance(29 * 60_000);
    expect(threadOf('r1')).toEqual([]);
    await desk.advance(60_000);
    expect(threadOf('r1')).toEqual([expect.stringMatching(/^Still unanswered: Q1\nHelpers, can someone take a look at alice's question\?/)]);
    expect((await question(1)).pinged_at).not.toBeNull();
    await desk.advance(3.5 * 3_600_000);
    const q = await question(1);
    expect(q.ticket).toBe(1);
    const ticket = await desk.db.selectFrom('tickets').selectAll().where('number', '=', 1).executeTakeFirstOrThrow();
    expect(ticket).toMatchObject({ title: 'SAP says my license expired', tier: 'L1', requester_id: 'alice' });
    expect(desk.channel('l1-desk')[0]).toMatch(/#1/);
    expect(threadOf('r1').join('\n')).toMatch(/Q1 is now ticket #1/);

    // The agent's public reply reaches the asker in the question's thread.
    expect(await desk.say('agent1', '/ticket reply 1 Which SAP system, PRD or QAS?')).toMatch(/Reply sent/);
    const anchor = desk.adapter.messages.find((m) => m.place.thread === 'r1' && /#1/.test(m.card.title));
    expect(anchor).toBeDefined();
    expect(
      desk.adapter.messages
        .filter((m) => m.place.thread === 'r1')
        .map((m) => m.card.fallback)
        .join('\n'),
    ).toMatch(/Which SAP system, PRD or QAS\?/);
    // The asker answers in the thread: it reaches the agents.
    await post('alice', 'f1', 'PRD', 'r1');
    expect(desk.everything().join('\n')).toMatch(/l1-desk thread: .*alice[\s\S]*PRD/);
    const events = await desk.db.selectFrom('ticket_events').select('kind').where('ticket', '=', 1).execute();
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['opened', 'from_question', 'replied', 'requester_message']));
  });

  it("the ticket's resolution solves the question (searchable), a reopen takes it back, and after the ticket closes the thread is a peer thread again", async () => {
    desk = await createTestDesk();
    await post('alice', 'r1', 'Shared drive S: is missing after login');
    await desk.advance(5 * 3_600_000);
    expect((await question(1)).ticket).toBe(1);
    await desk.say('agent1', '/ticket claim 1');
    await desk.say('agent1', '/ticket resolve 1 Re-run the login script: net use S: \\\\files\\shared');
    expect((await question(1)).status).toBe('solved');
    expect(desk.adapter.labels.at(-1)).toEqual({ thread: 'r1', label: 'solved' });
    expect(await desk.say('carol', '/kb search shared drive missing')).toMatch(/Shared drive S: is missing after login/);
    expect(await pointsOf('agent1')).toBe(0);
    await desk.say('alice', '/ticket reopen 1 still missing');
    expect((await question(1)).status).toBe('open');
    expect(desk.adapter.labels.at(-1)).toEqual({ thread: 'r1', label: 'open' });
    expect(await desk.say('carol', '/kb search shared drive missing')).not.toMatch(/Shared drive S:/);
    await desk.say('agent1', '/ticket resolve 1 Mapped it by hand');
    await desk.say('alice', '/ticket confirm 1');
    // The ticket is closed: the asker's thanks in the thread is a peer message, not a bounce.
    expect(await post('alice', 'f1', 'thanks, works now', 'r1')).toBeUndefined();
    expect((await question(1)).status).toBe('solved');
  });

  it("a reopened ticket takes its resolution out of search even when a member's solution stands", async () => {
    desk = await createTestDesk();
    await post('alice', 'r1', 'Kerberos ticket expired on the build agent');
    await desk.advance(5 * 3_600_000);
    await post('bob', 'a1', 'Run kinit again on the agent', 'r1');
    await react('alice', 'r1', 'a1', 'bob', 'Run kinit again on the agent');
    await desk.say('agent1', '/ticket claim 1');
    await desk.say('agent1', '/ticket resolve 1 Zanzibar xylophone workaround');
    expect(await desk.say('carol', '/kb search zanzibar xylophone')).toMatch(/Kerberos ticket expired/);
    await desk.say('alice', '/ticket reopen 1');
    expect(await desk.say('carol', '/kb search zanzibar xylophone')).toMatch(/Nothing in the knowledge base matches/);
    expect(await desk.say('carol', '/kb search kinit agent')).toMatch(/Kerberos ticket expired/);
  });

  it('counts the wait on the configured calendar: a question asked on Friday evening is pinged on Monday', async () => {
    desk = await createTestDesk({
      yaml: DEMO_CONFIG_YAML.replace(
        'unanswered: { ping_after: 30m, ticket_after: 4h, calendar: office }',
        'unanswered: { ping_after: 30m, ticket_after: 4h, calendar: weekdays }',
      ).replace('calendars:\n', 'calendars:\n  weekdays: { zone: Europe/Berlin, hours: 12x5 }\n'),
      now: '2024-06-07T17:45:00Z',
    }); // Friday 19:45 in Berlin
    await post('alice', 'r1', 'Is the canteen open on Saturday?');
    await desk.advance(2 * 86_400_000 + 12 * 3_600_000 + 29 * 60_000); // Monday 08:14 Berlin: 29 business minutes so far
    expect(threadOf('r1')).toEqual([]);
    await desk.advance(60_000);
    expect(threadOf('r1')[0]).toMatch(/Still unanswered/);
  });

  it("the asker's ticket limits apply: a flood of questions does not become a flood of tickets", async () => {
    desk = await createTestDesk({ yaml: `${DEMO_CONFIG_YAML}tickets:\n  max_open_per_requester: 1\n` });
    for (let i = 1; i <= 3; i++) await post('mallory', `r${i}`, `Spam question number ${i}`);
    await desk.advance(5 * 3_600_000);
    expect(await desk.db.selectFrom('tickets').select('number').execute()).toHaveLength(1);
    expect(threadOf('r2').at(-1)).toMatch(
      /^Q2 stays a question\nIt is still unanswered, but it cannot become a ticket: mallory already has as many open tickets as one person may\. Helpers, can someone take a look\?/,
    );
    expect((await question(2)).ticket).toBeNull();
  });

  it('an answer stops the clock: no ping, no ticket', async () => {
    desk = await createTestDesk();
    await post('alice', 'r1', 'Where is the wifi password?');
    await post('bob', 'a1', 'On the poster by the kitchen', 'r1');
    await desk.advance(5 * 3_600_000);
    expect(threadOf('r1')).toEqual([]);
    expect((await question(1)).ticket).toBeNull();
  });

  it('the asker talking to themselves is not an answer', async () => {
    desk = await createTestDesk();
    await post('alice', 'r1', 'Where is the wifi password?');
    await post('alice', 'f1', 'anyone?', 'r1');
    await desk.advance(31 * 60_000);
    expect(threadOf('r1')[0]).toMatch(/Still unanswered/);
  });
});

describe('stale questions', () => {
  it('asks "still need help?", keeps it open on request, closes it later, and the asker reopens it', async () => {
    desk = await createTestDesk();
    await post('alice', 'r1', 'Excel macro is slow');
    await post('bob', 'a1', 'Turn off screen updating', 'r1');
    await desk.advance(3 * 86_400_000);
    expect(threadOf('r1').at(-1)).toMatch(/^Still need help\?[\s\S]*\[Keep it open\] \/peer keep 1/);
    expect(await desk.say('carol', '/peer keep 1')).toMatch(/Only alice, who asked Q1, can keep it open/);
    expect(await desk.say('alice', '/peer keep 1')).toMatch(/Q1 stays open/);
    await desk.advance(2 * 86_400_000);
    expect((await question(1)).status).toBe('open');
    await desk.advance(3 * 86_400_000 - 2 * 86_400_000); // 3 days after the keep
    expect(threadOf('r1').filter((t) => t.startsWith('Still need help?'))).toHaveLength(2);
    await desk.advance(2 * 86_400_000);
    expect((await question(1)).status).toBe('closed');
    expect(desk.adapter.labels.at(-1)).toEqual({ thread: 'r1', label: 'closed' });
    expect(threadOf('r1').at(-1)).toMatch(/Closed for inactivity/);
    expect(threadOf('r1').at(-1)).toMatch(/\[Reopen\] \/peer reopen 1/);
    // Someone else writing does not reopen it; the asker does.
    await post('bob', 'a2', 'still there?', 'r1');
    expect((await question(1)).status).toBe('closed');
    await post('alice', 'f1', 'it is slow again', 'r1');
    expect((await question(1)).status).toBe('open');
    expect(desk.adapter.labels.at(-1)).toEqual({ thread: 'r1', label: 'open' });
    expect(threadOf('r1').at(-1)).toMatch(/Q1 is open again/);
    // Where the closed thread is locked (Discord), the Reopen button is the asker's way back.
    await desk.advance(3 * 86_400_000);
    await desk.advance(2 * 86_400_000);
    expect((await question(1)).status).toBe('closed');
    expect(await desk.say('bob', '/peer reopen 1')).toMatch(/Only alice, who asked Q1, or a moderator can reopen it/);
    expect(await desk.say('alice', '/peer reopen 1')).toMatch(/Q1 is open again/);
    expect(await desk.say('alice', '/peer reopen 1')).toMatch(/Q1 is not closed/);
    expect((await question(1)).status).toBe('open');
  });

  it('a reopened question nobody answered starts its unanswered clock again', async () => {
    desk = await createTestDesk();
    await post('alice', 'r1', 'Docker will not start');
    await post('bob', 'a1', 'Enable virtualization', 'r1');
    await react('alice', 'r1', 'a1', 'bob', 'Enable virtualization');
    await post('dave', 'r2', 'Docker does not start since the update');
    await desk.say('dave', '/peer metoo 2 1');
    await desk.advance(60 * 60_000);
    expect(await desk.say('dave', '/peer reopen 2')).toMatch(/Q2 is open again/);
    await desk.advance(29 * 60_000);
    expect(threadOf('r2').some((t) => /Still unanswered/.test(t))).toBe(false);
    await desk.advance(60_000);
    expect(threadOf('r2').at(-1)).toMatch(/Still unanswered: Q2/);
  });

  it('a solved question closes quietly after both waits', async () => {
    desk = await createTestDesk();
    await post('alice', 'r1', 'How to share a calendar?');
    await post('bob', 'a1', 'Right-click it, Share', 'r1');
    await react('alice', 'r1', 'a1', 'bob', 'Right-click it, Share');
    await desk.advance(5 * 86_400_000 - 1);
    expect((await question(1)).status).toBe('solved');
    await desk.advance(1);
    expect((await question(1)).status).toBe('closed');
    expect(threadOf('r1').some((t) => t.startsWith('Still need help?'))).toBe(false);
    expect(desk.adapter.labels.map((l) => l.label)).toEqual(['open', 'solved', 'closed']);
  });
});

describe('the helper group', () => {
  it("is granted once when a helper reaches the threshold, on the helper's platform; the ping mentions it", async () => {
    const yaml = `${DEMO_CONFIG_YAML.replace('channels: { console: [peer] }', 'channels: { slack: [CPEER] }')}`.replace(
      'moderators: [agent1]',
      'moderators: [agent1]\n  helper_group: { slack: S0HELPERS }\n  helper_threshold: 20\n  points: { solution: 10, thanks: 2, per_thread: 15, per_day: 100 }',
    );
    const slack = (id: string): Person => ({ platform: 'slack', space: 'T1', id, name: id });
    const grants: Array<{ person: string; group: string }> = [];
    const posted: Array<{ thread?: string; ping?: string[] }> = [];
    // A second platform beside the recording console: what the core asks of Slack.
    const fakeSlack: ChatAdapter = {
      platform: 'slack',
      start: async () => undefined,
      stop: async () => undefined,
      post: async (place, card) => {
        posted.push({ ...(place.thread ? { thread: place.thread } : {}), ...(card.ping ? { ping: card.ping } : {}) });
        return { messageId: `p${posted.length}`, place };
      },
      edit: async () => undefined,
      openDirect: async (p) => ({ platform: 'slack', space: p.space, channel: `D${p.id}` }),
      labelThread: async () => undefined,
      grantGroup: async (p, group) => void grants.push({ person: p.id, group }),
    };
    desk = await createTestDesk({ yaml, adapters: [fakeSlack] });
    const at = (thread?: string) => ({ platform: 'slack' as const, space: 'T1', channel: 'CPEER', ...(thread ? { thread } : {}) });
    for (let i = 1; i <= 3; i++) {
      await desk.send({
        key: `g:q${i}`,
        at: desk.clock.now(),
        from: slack('UASK'),
        kind: 'message',
        text: `Question ${i} about printers`,
        id: `1.${i}`,
        place: at(),
      });
      await desk.send({
        key: `g:a${i}`,
        at: desk.clock.now(),
        from: slack('UHELP'),
        kind: 'message',
        text: 'Answer',
        id: `2.${i}`,
        place: at(`1.${i}`),
      });
      await desk.send({
        key: `g:r${i}`,
        at: desk.clock.now(),
        from: slack('UASK'),
        kind: 'reaction',
        emoji: 'white_check_mark',
        message: `2.${i}`,
        author: slack('UHELP'),
        text: 'Answer',
        place: at(`1.${i}`),
      });
    }
    expect(grants).toEqual([{ person: 'UHELP', group: 'S0HELPERS' }]);
    // An unanswered question pings exactly the helper group.
    await desk.send({ key: 'g:q9', at: desk.clock.now(), from: slack('UASK'), kind: 'message', text: 'Nobody knows this', id: '1.9', place: at() });
    await desk.advance(31 * 60_000);
    expect(posted.filter((p) => p.ping)).toEqual([{ thread: '1.9', ping: ['S0HELPERS'] }]);
  });
});

describe('edited and deleted messages', () => {
  const change = (kind: 'edited' | 'deleted', user: string, message: string, thread?: string, text?: string) =>
    desk.send({
      ...base(user),
      kind,
      message,
      ...(text !== undefined ? { text } : {}),
      place: { platform: 'console', space: 'local', channel: PEER, ...(thread ? { thread } : {}) },
    } as Inbound);

  it("the question follows its edits; a marked answer's edit reaches the search index", async () => {
    desk = await createTestDesk();
    await post('alice', 'r1', 'Wifi is slow');
    expect(await change('edited', 'bob', 'r1', undefined, 'Not my question to edit')).toBeUndefined();
    await change('edited', 'alice', 'r1', undefined, 'Guest wifi is slow in building B\nSince Monday.');
    expect(await question(1)).toMatchObject({ title: 'Guest wifi is slow in building B', body: 'Guest wifi is slow in building B\nSince Monday.' });
    await change('edited', 'alice', 'r1', undefined, '   '); // emptied: kept as it was
    expect((await question(1)).title).toBe('Guest wifi is slow in building B');
    await post('bob', 'a1', 'Use the staff network', 'r1');
    await react('alice', 'r1', 'a1', 'bob', 'Use the staff network');
    await change('edited', 'bob', 'a1', 'r1', 'Use the staff network; guest wifi is capped at 2 Mbit/s');
    expect(await desk.say('carol', '/kb search capped mbit')).toMatch(/Guest wifi is slow in building B/);
  });

  it('a deleted question stops: no ping, no ticket, out of search; later edits and marks change nothing', async () => {
    desk = await createTestDesk();
    await post('alice', 'r1', 'Scanner emails never arrive');
    await post('alice', 'r2', 'Projector in room 4 flickers');
    await post('bob', 'a2', 'Swap the HDMI cable', 'r2');
    await react('alice', 'r2', 'a2', 'bob', 'Swap the HDMI cable');
    await change('deleted', 'alice', 'r1');
    await change('deleted', 'alice', 'r2');
    expect((await question(1)).status).toBe('deleted');
    expect((await question(2)).status).toBe('deleted');
    await desk.advance(6 * 86_400_000);
    expect(threadOf('r1')).toEqual([]);
    expect((await question(1)).ticket).toBeNull();
    expect(await desk.say('carol', '/kb search projector flickers')).not.toMatch(/Projector in room 4/);
    expect(await change('edited', 'alice', 'r1', undefined, 'an edit of a deleted thread')).toBeUndefined();
    expect((await question(1)).title).toBe('Scanner emails never arrive');
    await post('bob', 'a1', 'Slack keeps the replies of a deleted message', 'r1');
    expect(await markAction('alice', 'r1', 'a1', 'bob', 'x')).toMatch(/Q1 was deleted, so it has no solution to mark/);
    expect(await desk.say('alice', '/peer reopen 1')).toMatch(/Q1 was deleted; ask again with \/ask/);
  });

  it('edits and deletions outside peer channels, or of ordinary replies, do nothing', async () => {
    desk = await createTestDesk();
    await post('alice', 'r1', 'Keyboard types double letters');
    await post('bob', 'a1', 'Clean it', 'r1');
    expect(await change('deleted', 'bob', 'a1', 'r1')).toBeUndefined();
    expect(
      await desk.send({ ...base('alice'), kind: 'deleted', message: 'x', place: { platform: 'console', space: 'local', channel: 'console' } }),
    ).toBeUndefined();
    expect((await question(1)).status).toBe('open');
  });
});

describe('communities', () => {
  it('a solved question is found only in the community it was asked in; articles everywhere', async () => {
    desk = await createTestDesk();
    await desk.db
      .insertInto('peer_questions')
      .values({
        number: 1,
        platform: 'slack',
        space: 'T1',
        channel: 'CPEER',
        link: 'https://acme.slack.com/archives/CPEER/p1',
        asker: JSON.stringify({ platform: 'slack', space: 'T1', id: 'U1', name: 'u1' }),
        asker_key: 'slack:U1',
        title: 'Payroll portal rejects my password',
        body: 'Payroll portal rejects my password',
        status: 'solved',
        ticket: null,
        answered_at: 1,
        pinged_at: null,
        solved_at: 1,
        closed_at: null,
        created_at: 1,
        activity_at: 1,
        revision: 0,
      })
      .execute();
    await desk.desk.core.search.put(desk.db, {
      kind: 'question',
      ref: 1,
      title: 'Payroll portal rejects my password',
      body: 'Reset it in the HR portal.',
    });
    const search = (platform: 'slack' | 'discord', space: string) =>
      desk.send({
        key: `c:${++seq}`,
        at: desk.clock.now(),
        from: { platform, space, id: 'X', name: 'x' },
        place: { platform, space, channel: 'C' },
        kind: 'command',
        name: 'kb',
        text: 'search payroll password',
      });
    expect(await search('slack', 'T1')).toMatch(/Payroll portal rejects my password \(solved question\)/);
    expect(await search('slack', 'T2')).toMatch(/Nothing in the knowledge base matches/);
    expect(await search('discord', 'T1')).toMatch(/Nothing in the knowledge base matches/);
    expect(await desk.say('alice', '/kb search payroll password')).toMatch(/Nothing in the knowledge base matches/);
    expect(await desk.say('alice', '/ticket new Payroll portal rejects password')).toMatch(/Ticket #1 opened/);
  });
});
