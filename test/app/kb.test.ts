import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Inbound, Person } from '../../src/ports.js';
import { createTestDesk, type TestDesk } from '../support/desk.js';

/**
 * The knowledge base through the conversation harness (demo config: agent1 is L1, agent2 L2,
 * specialist L3; kb.authors is [L2, L3]).
 */
let desk: TestDesk;
let seq = 0;
beforeEach(async () => {
  desk = await createTestDesk();
});
afterEach(async () => {
  await desk.close();
});

const person = (id: string): Person => ({ platform: 'console', space: 'local', id, name: id });
const here = { platform: 'console' as const, space: 'local', channel: 'console' };

function action(user: string, name: string, value: string): Promise<string | undefined> {
  return desk.send({ key: `kb-test:${++seq}`, at: desk.clock.now(), from: person(user), place: here, kind: 'action', action: name, value });
}

function form(user: string, args: Record<string, string>): Promise<string | undefined> {
  const event: Inbound = { key: `kb-test:${++seq}`, at: desk.clock.now(), from: person(user), place: here, kind: 'command', name: 'kb', args };
  return desk.desk.handle(event).then((r) => (r ? r.text : undefined));
}

async function article(id: number) {
  return desk.db.selectFrom('kb_articles').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

const PRINTER = '/kb add Printer shows offline --body Power-cycle the printer, then re-add it in Settings > Printers. --tags Printers, Windows';

describe('articles', () => {
  it('an author adds a draft, edits it, publishes it; every save is a version in the history', async () => {
    const added = await desk.say('agent2', PRINTER);
    expect(added).toMatch(/Draft article #1 saved/);
    expect(added).toMatch(/\[Publish\] \/kb publish 1/);
    expect(await article(1)).toMatchObject({ title: 'Printer shows offline', state: 'draft', version: 1, tags: '["printers","windows"]' });

    expect(await desk.say('agent2', '/kb edit 1 --body Power-cycle it, then remove and re-add the printer. --tags printers')).toMatch(
      /Article #1 updated \(body, tags; version 2\)/,
    );
    expect(await desk.say('agent2', '/kb edit 1 --tags printers')).toMatch(/Nothing changed/);
    expect(await desk.say('specialist', '/kb publish 1')).toMatch(/Article #1 is published/);
    expect(await desk.say('specialist', '/kb publish 1')).toMatch(/already published/);
    expect(await desk.say('agent2', '/kb edit 1 --title Printer shows as offline')).toMatch(/search finds the new text now/);

    const a = await article(1);
    expect(a).toMatchObject({ state: 'published', version: 4, title: 'Printer shows as offline' });
    const history = await desk.say('requester', '/kb history 1');
    expect(history).toMatch(/v1 .* Agent Two\s+created \(draft\)/);
    expect(history).toMatch(/v2 .* Agent Two\s+edited body, tags \(draft\)/);
    expect(history).toMatch(/v3 .* Sam Specialist\s+published\n/);
    expect(history).toMatch(/v4 .* Agent Two\s+edited title \(published\)/);
    const versions = await desk.db.selectFrom('kb_article_versions').selectAll().where('article', '=', 1).orderBy('version').execute();
    expect(versions.map((v) => v.title)).toEqual([
      'Printer shows offline',
      'Printer shows offline',
      'Printer shows offline',
      'Printer shows as offline',
    ]);

    const shown = await desk.say('requester', '/kb show 1');
    expect(shown).toMatch(/📘 Article #1: Printer shows as offline/);
    expect(shown).toContain('remove and re-add the printer');
    expect(shown).toMatch(/Tags: printers/);
    expect(shown).toMatch(/\[Helpful\] \/kb vote 1 helpful {2}\[Not helpful\] \/kb vote 1 not-helpful/);
    expect(shown).not.toContain('/kb publish');
  });

  it('takes an article from a form verbatim: line breaks and -- stay in the body', async () => {
    const body = 'Step 1: open a terminal\nStep 2: run `lpstat -p --all`\n\n-- the desk';
    expect(await form('agent2', { sub: 'add', title: 'List printers', body, tags: 'cups,Linux' })).toMatch(/Draft article #1/);
    expect(await article(1)).toMatchObject({ body, tags: '["cups","linux"]' });
    expect(await form('agent2', { sub: 'edit', id: '1', body: `${body}\nStep 3: done` })).toMatch(/updated \(body/);
    expect(await form('agent2', { sub: 'add', title: '', body: 'x' })).toMatch(/needs a title/);
    const refused = await desk.desk.handle({
      key: `kb-test:${++seq}`,
      at: desk.clock.now(),
      from: person('agent2'),
      place: here,
      kind: 'command',
      name: 'kb',
      args: { sub: 'add', title: 'T', body: ' ' },
    });
    expect(refused?.fieldErrors).toEqual({ body: expect.stringMatching(/needs a body/) });
  });

  it('refuses people outside kb.authors: an L1 agent cannot add, a requester cannot publish', async () => {
    expect(await desk.say('agent1', PRINTER)).toMatch(
      /only Second level \(L2\) or Specialists \(L3\) agents can add articles, and you are not one of them/,
    );
    await desk.say('agent2', PRINTER);
    expect(await desk.say('requester', '/kb publish 1')).toMatch(/can publish articles, and you are not one of them/);
    expect(await desk.say('requester', '/kb edit 1 --title Mine now')).toMatch(/can edit articles/);
    expect(await desk.say('requester', '/kb delete 1')).toMatch(/can delete articles/);
    expect(await desk.say('agent1', '/kb drafts')).toMatch(/can see drafts/);
    expect(await action('requester', 'kb.publish', '1')).toMatch(/can publish articles/);
    expect((await article(1)).state).toBe('draft');
    // Drafts are visible only to authors.
    expect(await desk.say('requester', '/kb show 1')).toBe('Article #1 is not published yet.');
    expect(await desk.say('specialist', '/kb show 1')).toMatch(/Printer shows offline[\s\S]*\[Publish\] \/kb publish 1/);
    expect(await desk.say('specialist', '/kb drafts')).toMatch(/#1 Printer shows offline · by Agent Two/);
  });

  it('search finds a published article, not a draft; unpublish and delete take it out again', async () => {
    await desk.say('agent2', PRINTER);
    await desk.say('agent2', '/kb add Printer paper jam --body Open tray 2 and pull the sheet out gently.');
    expect(await desk.say('requester', '/kb search printer offline')).toMatch(/Nothing in the knowledge base matches "printer offline"/);
    await desk.say('agent2', '/kb publish 1');
    const found = await desk.say('requester', '/kb search printer offline');
    expect(found).toMatch(/1 result for "printer offline"/);
    expect(found).toMatch(/1\. 📘 Printer shows offline: .*Power-cycle/);
    expect(found).toContain('/kb show 1');
    expect(found).not.toContain('paper jam');
    // Tags are searchable too.
    expect(await desk.say('requester', '/kb search windows')).toMatch(/Printer shows offline/);

    expect(await desk.say('agent2', '/kb unpublish 1')).toMatch(/draft again/);
    expect(await desk.say('requester', '/kb search printer offline')).toMatch(/Nothing .* matches/);
    await desk.say('agent2', '/kb publish 1');
    expect(await desk.say('agent2', '/kb delete 1')).toMatch(/Article #1 "Printer shows offline" is deleted/);
    expect(await desk.say('requester', '/kb search printer offline')).toMatch(/Nothing .* matches/);
    expect(await desk.say('requester', '/kb show 1')).toBe('Article #1 was deleted.');
    expect(await desk.say('agent2', '/kb edit 1 --title Back')).toBe('Article #1 was deleted, so it can no longer be edited.');
    expect(await desk.say('agent2', '/kb delete 1')).toMatch(/was deleted already/);
  });

  it('counts one vote per person: the same vote again does not count twice, a changed vote moves', async () => {
    await desk.say('agent2', PRINTER);
    expect(await desk.say('requester', '/kb vote 1 helpful')).toMatch(/is a draft|not published yet/);
    await desk.say('agent2', '/kb publish 1');
    expect(await desk.say('requester', '/kb vote 1 helpful')).toBe('Thanks: you said article #1 was helpful.');
    expect(await action('requester', 'kb.vote', '1 helpful')).toBe('You already said this article was helpful.');
    expect(await article(1)).toMatchObject({ helpful: 1, not_helpful: 0 });
    expect(await desk.say('someone', '/kb vote 1 helpful')).toMatch(/Thanks/);
    expect(await article(1)).toMatchObject({ helpful: 2, not_helpful: 0 });
    expect(await desk.say('requester', '/kb vote 1 not-helpful')).toBe('Changed: you now say article #1 is not helpful.');
    expect(await article(1)).toMatchObject({ helpful: 1, not_helpful: 1 });
    expect(await desk.say('requester', '/kb vote 1 not-helpful')).toBe('You already said this article was not helpful.');
    expect(await article(1)).toMatchObject({ helpful: 1, not_helpful: 1, version: 2 }); // votes are not versions
    expect(await desk.say('requester', '/kb show 1')).toMatch(/Votes: 1 helpful · 1 not helpful/);
    expect(await desk.say('requester', '/kb vote 1 maybe')).toMatch(/"maybe" is not a vote: say helpful or not-helpful/);
  });

  it('counts concurrent identical votes by one person once, without an error (PostgreSQL: no unique violation)', async () => {
    await desk.say('agent2', PRINTER);
    await desk.say('agent2', '/kb publish 1');
    // Four clicks at once, each its own inbound event: truly concurrent transactions on PostgreSQL.
    // Three people in turn, so a lost race shows up every time, not now and then.
    const vote = (who: string, value: string) =>
      desk.desk.handle({ key: `kb-test:${++seq}`, at: desk.clock.now(), from: person(who), place: here, kind: 'action', action: 'kb.vote', value });
    for (const [n, who] of ['requester', 'r2', 'r3'].entries()) {
      const replies = (await Promise.all([1, 2, 3, 4].map(() => vote(who, '1 helpful')))).map((r) => r?.text);
      expect(
        replies.filter((r) => r === 'Thanks: you said article #1 was helpful.'),
        who,
      ).toHaveLength(1);
      expect(
        replies.filter((r) => r === 'You already said this article was helpful.'),
        who,
      ).toHaveLength(3);
      expect(await article(1)).toMatchObject({ helpful: n + 1, not_helpful: 0 });
    }
    expect(await desk.db.selectFrom('kb_votes').selectAll().execute()).toHaveLength(3);
    // Changing the vote, also concurrently, moves the counts exactly once.
    const changed = (await Promise.all([1, 2, 3].map(() => vote('requester', '1 not-helpful')))).map((r) => r?.text);
    expect(changed.filter((r) => r === 'Changed: you now say article #1 is not helpful.')).toHaveLength(1);
    expect(changed.filter((r) => r === 'You already said this article was not helpful.')).toHaveLength(2);
    expect(await article(1)).toMatchObject({ helpful: 2, not_helpful: 1 });
    // Different people voting at once all count.
    const others = await Promise.all(['p1', 'p2', 'p3'].map((who) => vote(who, '1 helpful')));
    expect(others.map((r) => r?.text)).toEqual(Array(3).fill('Thanks: you said article #1 was helpful.'));
    expect(await article(1)).toMatchObject({ helpful: 5, not_helpful: 1 });
    expect(desk.logger.lines.filter((e) => e.level === 'error')).toEqual([]);
  });
});

describe('bad input', () => {
  it('gives clear refusals naming the field, never a crash', async () => {
    expect(await desk.say('agent2', '/kb add --body no title here')).toMatch(/An article needs a title/);
    expect(await desk.say('agent2', '/kb add A title')).toMatch(/An article needs a body/);
    expect(await desk.say('agent2', `/kb add ${'t'.repeat(201)} --body b`)).toMatch(/The title is 201 characters; the limit is 200/);
    expect(await form('agent2', { sub: 'add', title: 'Long', body: 'b'.repeat(20_001) })).toMatch(/The body is 20001 characters; the limit is 20000/);
    expect(await desk.say('agent2', '/kb add T --body b --tags a,b,c,d,e,f,g,h,i,j,k')).toMatch(/11 tags; an article has at most 10/);
    expect(await desk.say('agent2', `/kb add T --body b --tags ${'x'.repeat(31)}`)).toMatch(/is 31 characters; the limit is 30/);
    expect(await desk.say('agent2', '/kb add T --body b --tags a --tags b')).toMatch(/--tags is given twice/);
    expect(await desk.say('requester', '/kb show 99')).toMatch(/There is no article #99/);
    expect(await desk.say('requester', '/kb show')).toMatch(/Which article\? Usage: \/kb show <ID>/);
    expect(await desk.say('requester', '/kb show twelve')).toMatch(/"twelve" is not an article number/);
    expect(await desk.say('agent2', '/kb edit 99 --title x')).toMatch(/There is no article #99/);
    expect(await desk.say('agent2', '/kb edit 1')).toMatch(/Say what to change/);
    expect(await desk.say('requester', '/kb frobnicate')).toMatch(/Unknown command "\/kb frobnicate"[\s\S]*Knowledge base commands/);
    expect(await desk.say('requester', '/kb')).toMatch(/Knowledge base commands/);
    expect(desk.logger.lines.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('answers an empty search with how to search, and takes FTS syntax as plain words', async () => {
    expect(await desk.say('requester', '/kb search')).toMatch(/What are you looking for\?[\s\S]*\/kb search <words>/);
    expect(await desk.say('requester', '/kb search "*"  -- ()')).toMatch(/has no words to search for/);
    expect(await form('requester', { sub: 'search', query: 'x'.repeat(501) })).toMatch(/The search is 501 characters; the limit is 500/);
    await desk.say('agent2', '/kb add C++ build fails on NEAR linker --body Install the "build-essential" package AND retry.');
    await desk.say('agent2', '/kb publish 1');
    for (const q of [
      'C++',
      '"build',
      'NEAR(linker',
      'build AND OR NOT',
      '-fails',
      'build*',
      'title:build',
      '^linker',
      '"unbalanced',
      'c++ -- --body',
    ]) {
      const reply = await desk.say('requester', `/kb search ${q}`);
      expect(reply, q).toMatch(/C\+\+ build fails|Nothing in the knowledge base matches/);
    }
    expect(await desk.say('requester', '/kb search NEAR(linker')).toMatch(/C\+\+ build fails/);
    expect(desk.logger.lines.filter((e) => e.level === 'error')).toEqual([]);
  });
});

describe('save as article', () => {
  it('turns a resolved ticket into a draft for an L2 agent (the card has the button), not for L1', async () => {
    await desk.say('requester', '/ticket new Outlook will not start --description It hangs on the splash screen since this morning.');
    await desk.say('agent1', '/ticket escalate 1 profile problem');
    await desk.say('agent2', '/ticket claim 1');
    await desk.say('agent2', '#1 Please close Outlook and run outlook.exe /safe');
    expect(await desk.say('agent2', '/kb save ticket 1')).toMatch(/Ticket #1 is not resolved yet/);
    await desk.say('agent2', '/ticket resolve 1 Recreated the Outlook profile from Control Panel > Mail.');

    const l2card = desk.channel('l2-desk')[0]!;
    expect(l2card).toMatch(/\[Save as article\] \/kb save ticket 1/);

    expect(await action('agent1', 'kb.save', 'ticket 1')).toMatch(/can save tickets as articles, and you are not one of them/);
    const saved = await action('agent2', 'kb.save', 'ticket 1');
    expect(saved).toMatch(/Draft article #1 saved from ticket #1/);
    expect(saved).toMatch(/\[Publish\] \/kb publish 1/);
    const a = await article(1);
    expect(a).toMatchObject({ title: 'Outlook will not start', state: 'draft', source_kind: 'ticket', source_ref: '1' });
    expect(a.body).toMatch(/## Problem\n\nIt hangs on the splash screen since this morning\.\n\n## Solution\n\nRecreated the Outlook profile/);
    expect(a.body).toMatch(/## From the conversation\n\n- Please close Outlook and run outlook.exe \/safe/);
    expect(await desk.say('agent2', '/kb show 1')).toMatch(/Source: ticket #1/);
    expect(await action('agent2', 'kb.save', 'ticket 1')).toMatch(/Ticket #1 is already article #1 \(draft\)/);

    expect(await action('agent2', 'kb.publish', '1')).toMatch(/Article #1 is published/);
    expect(await desk.say('requester', '/kb search outlook splash screen')).toMatch(/Outlook will not start/);
    expect(await desk.say('agent2', '/kb save ticket 9')).toMatch(/There is no ticket #9/);
    expect(await desk.say('agent2', '/kb save the world')).toMatch(/Save what\?/);
  });

  it('two "Save as article" clicks at once make one draft; the other is told it exists', async () => {
    await desk.say('requester', '/ticket new VPN drops every hour --description Since the update.');
    await desk.say('agent1', '/ticket escalate 1 vpn');
    await desk.say('agent2', '/ticket claim 1');
    await desk.say('agent2', '/ticket resolve 1 Reinstalled the VPN client.');
    const replies = await Promise.all([action('agent2', 'kb.save', 'ticket 1'), action('specialist', 'kb.save', 'ticket 1')]);
    expect(replies.filter((r) => /Draft article #1 saved from ticket #1/.test(r ?? ''))).toHaveLength(1);
    expect(replies.filter((r) => /Ticket #1 is already article #1 \(draft\)/.test(r ?? ''))).toHaveLength(1);
    expect(await desk.db.selectFrom('kb_articles').select('id').execute()).toEqual([{ id: 1 }]);
    expect(desk.logger.lines.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('turns a solved peer question into a draft (any KB author)', async () => {
    const peer = { platform: 'console' as const, space: 'local', channel: 'peer' };
    const send = (user: string, e: Record<string, unknown>) =>
      desk.send({ key: `kb-test:${++seq}`, at: desk.clock.now(), from: person(user), ...e } as Inbound);
    await send('alice', { kind: 'message', id: 'r1', text: 'Wifi drops in meeting room B\nEvery few minutes.', place: peer });
    await send('bob', {
      kind: 'message',
      id: 'a1',
      text: 'Forget the network and join "corp-5g" instead of "corp".',
      place: { ...peer, thread: 'r1' },
    });
    expect(await desk.say('specialist', '/kb save question 1')).toMatch(/Question #1 has no marked solution yet/);
    await send('alice', {
      kind: 'reaction',
      emoji: '✅',
      message: 'a1',
      author: person('bob'),
      text: 'Forget the network and join "corp-5g" instead of "corp".',
      place: { ...peer, thread: 'r1' },
    });

    expect(await desk.say('specialist', '/kb save question 1')).toMatch(/Draft article #1 saved from question #1/);
    const a = await article(1);
    expect(a).toMatchObject({ title: 'Wifi drops in meeting room B', source_kind: 'question', source_ref: '1' });
    expect(a.body).toMatch(
      /## Question\n\n[\s\S]*Every few minutes\.[\s\S]*## Answer\n\nForget the network and join "corp-5g"[\s\S]*\(answered by bob\)/,
    );
    expect(await desk.say('agent1', '/kb save question 1')).toMatch(/you are not one of them/);
  });

  it('two saves of one solved question at once make one draft', async () => {
    const peer = { platform: 'console' as const, space: 'local', channel: 'peer' };
    const send = (user: string, e: Record<string, unknown>) =>
      desk.send({ key: `kb-test:${++seq}`, at: desk.clock.now(), from: person(user), ...e } as Inbound);
    await send('alice', { kind: 'message', id: 'r1', text: 'Teams camera is black', place: peer });
    await send('bob', { kind: 'message', id: 'a1', text: 'Close the Camera app first.', place: { ...peer, thread: 'r1' } });
    await send('alice', {
      kind: 'reaction',
      emoji: '✅',
      message: 'a1',
      author: person('bob'),
      text: 'Close the Camera app first.',
      place: { ...peer, thread: 'r1' },
    });
    const replies = await Promise.all([action('agent2', 'kb.save', 'question 1'), action('specialist', 'kb.save', 'question 1')]);
    expect(replies.filter((r) => /Draft article #1 saved from question #1/.test(r ?? ''))).toHaveLength(1);
    expect(replies.filter((r) => /Question #1 is already article #1 \(draft\)/.test(r ?? ''))).toHaveLength(1);
    expect(await desk.db.selectFrom('kb_articles').select('id').execute()).toEqual([{ id: 1 }]);
  });
});
