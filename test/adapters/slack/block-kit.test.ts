import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIMITS, renderCard } from '../../../adapters/slack/block-kit.js';
import type { RecordedCall } from '../../fakes/slack-api/index.js';
import { EMPLOYEE, L1_DESK, callsTo, openTicket, startSlackDesk, type SlackDesk } from './support.js';

// Cards as Block Kit: Slack's limits (3,000 characters a section, 50 blocks a message, 150 a
// header, 2,000 a field, 10 fields a section), long text cut with a pointer, SLA due times in
// each reader's own time zone.

type Block = { type: string; text?: { type: string; text: string }; fields?: Array<{ text: string }>; elements?: Array<{ text?: unknown }> };

let t: SlackDesk;
beforeEach(async () => {
  t = await startSlackDesk();
});
afterEach(async () => {
  await t.close();
});

const blocksOf = (call: RecordedCall) => call.args.blocks as Block[];
const sections = (blocks: Block[]) => blocks.filter((b) => b.type === 'section' && b.text).map((b) => b.text!.text);

/** Every Slack limit the card must respect. */
function expectWithinSlackLimits(blocks: Block[]) {
  expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
  for (const text of sections(blocks)) expect(text.length).toBeLessThanOrEqual(3000);
  for (const b of blocks.filter((x) => x.type === 'header')) expect(b.text!.text.length).toBeLessThanOrEqual(150);
  for (const b of blocks.filter((x) => x.fields)) {
    expect(b.fields!.length).toBeLessThanOrEqual(10);
    for (const f of b.fields!) expect(f.text.length).toBeLessThanOrEqual(2000);
  }
}

const POINTER = /cut|the rest is|\/ticket (show|history)/i;

describe("the ticket card in the agents' channel", () => {
  it("shows SLA due times with Slack's date token (each reader's local time), UTC as the fallback", async () => {
    await openTicket(t, 'Printer on fire --urgency high'); // P2: first response 1 h, resolution 8 h, 24x7

    const [card] = callsTo(t, 'chat.postMessage', L1_DESK);
    const fields = blocksOf(card!)
      .flatMap((b) => b.fields ?? [])
      .map((f) => f.text);
    const due = (iso: string) => Date.parse(iso) / 1000;
    expect(fields).toContain(`*First response*\ndue <!date^${due('2024-06-03T10:00:00Z')}^{date_short_pretty} {time}|2024-06-03 10:00 UTC>, 1h left`);
    expect(fields).toContain(`*Resolution*\ndue <!date^${due('2024-06-03T17:00:00Z')}^{date_short_pretty} {time}|2024-06-03 17:00 UTC>, 8h left`);
    expect(String(card!.args.text)).toContain('First response: due 2024-06-03 10:00 UTC'); // notifications: plain UTC
  });

  it('a 200-character title fits the 150-character header, cut with a pointer; the full title is in the text', async () => {
    const title = `Outlook ${'very '.repeat(38)}slow`.slice(0, 200);
    await openTicket(t, `${title} --urgency high`);

    const [card] = callsTo(t, 'chat.postMessage', L1_DESK);
    const header = blocksOf(card!).find((b) => b.type === 'header')!.text!.text;
    expect(header.length).toBeLessThanOrEqual(150);
    expect(header).toMatch(POINTER);
    expect(String(card!.args.text)).toContain(title);
    expectWithinSlackLimits(blocksOf(card!));
  });

  it('a 4,000-character description stays within every Block Kit limit', async () => {
    const description = 'The screen flickers. '.repeat(200).slice(0, 4000);
    await openTicket(t, `Flicker --urgency high --description ${description}`);

    const [card] = callsTo(t, 'chat.postMessage', L1_DESK);
    expectWithinSlackLimits(blocksOf(card!));
    expect(String(card!.args.text).length).toBeLessThanOrEqual(LIMITS.messageText);
  });

  // Regression (found by this suite, fixed): the cut says where the rest is (and that place has it).
  it('a 4,000-character description cut on the card says where the rest is', async () => {
    const description = `${'The screen flickers. '.repeat(190)}THE END`.slice(-4000);
    await openTicket(t, `Flicker --urgency high --description ${description}`);

    const [card] = callsTo(t, 'chat.postMessage', L1_DESK);
    const shown = sections(blocksOf(card!)).join('');
    expect(shown).not.toContain('THE END');
    expect(shown).toMatch(POINTER);
  });
});

describe('a long message in the conversation', () => {
  /** The requester writes `text` in their DM thread; returns the relayed message in the agents' thread. */
  async function relayed(text: string) {
    const ticket = await openTicket(t, 'Printer on fire');
    const sent = await t.sender.event({ type: 'message', channel: ticket.dm.channel, user: EMPLOYEE, text, thread_ts: ticket.dm.ts });
    await t.handled(sent.eventId);
    await t.desk.dispatcher.drain();
    return callsTo(t, 'chat.postMessage', L1_DESK).find((c) => c.args.thread_ts === ticket.card.ts)!;
  }

  it('4,000 plain characters are split into sections of at most 3,000, nothing lost', async () => {
    const text = `${'word '.repeat(799)}last!`;
    const call = await relayed(text);

    expectWithinSlackLimits(blocksOf(call));
    expect(sections(blocksOf(call)).join('')).toBe(text);
  });

  // Regression (found by this suite, fixed): the last section ends with the "… (cut: …)" pointer.
  it('text that escaping makes longer than three sections is cut with a pointer, not dropped silently', async () => {
    const call = await relayed(`${'<>'.repeat(1990)} THE END`);

    expectWithinSlackLimits(blocksOf(call));
    const shown = sections(blocksOf(call));
    expect(shown.join('')).not.toContain('THE END');
    expect(shown.at(-1)).toMatch(POINTER);
  });

  // Regression (found by this suite, fixed): sections split between characters of the original text.
  it('a section never ends in the middle of an escaped character', async () => {
    const call = await relayed(`x${'<'.repeat(1000)}`);

    for (const text of sections(blocksOf(call))) {
      expect(text).not.toMatch(/&(l|lt|g|gt|a|am|amp)?$/);
      expect(text).not.toMatch(/^(t|mp|p)?;/);
    }
  });
});

describe('renderCard at the limits', () => {
  it('cuts fields to 2,000 characters and puts at most 10 in a section', () => {
    const fields = Array.from({ length: 23 }, (_, i) => ({ label: `F${i}`, value: 'v'.repeat(i === 0 ? 5000 : 10) }));
    const { blocks } = renderCard({ title: 'x', fields, fallback: 'x' });

    expectWithinSlackLimits(blocks as Block[]);
    expect((blocks as Block[]).filter((b) => b.fields).map((b) => b.fields!.length)).toEqual([10, 10, 3]);
    expect((blocks as Block[])[1]!.fields![0]!.text).toMatch(POINTER);
  });

  it('never sends more than 50 blocks, and keeps button labels within 75 characters', () => {
    const fields = Array.from({ length: 600 }, (_, i) => ({ label: `F${i}`, value: 'v' }));
    const buttons = [{ action: 'claim', label: 'L'.repeat(200), value: '1' }];
    const { blocks } = renderCard({ title: 'x', text: 'y'.repeat(20_000), fields, buttons, fallback: 'z'.repeat(50_000) });

    expect(blocks.length).toBeLessThanOrEqual(50);
    expectWithinSlackLimits(blocks as Block[]);
  });

  it('shows an instant without a UTC text as a date token after the value', () => {
    const { blocks } = renderCard({
      title: 'x',
      fields: [{ label: 'Due', value: 'soon', instant: Date.parse('2024-06-03T10:00:00Z') }],
      fallback: 'x',
    });

    expect((blocks as Block[])[1]!.fields![0]!.text).toBe('*Due*\nsoon (<!date^1717408800^{date_short_pretty} {time}|soon>)');
  });
});
