import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CAPABILITIES } from '../../src/capabilities/index.js';
import type { Capability } from '../../src/core/capability.js';
import type { Inbound, Reply } from '../../src/ports.js';
import { TEST_DIALECT } from '../support/database.js';
import { createTestDesk, type TestDesk } from '../support/desk.js';

/** A desk whose people are on Slack too: Slack shows forms, the console does not. */
const YAML = `
people:
  ann: { name: Ann Agent, slack: UANN, console: ann }
  bob: { name: Bob Backline, slack: UBOB, console: bob }
  rita: { name: Rita Requester, slack: URITA, console: rita }
tiers:
  - { id: L1, name: Help desk, agents: [ann], channels: { console: l1-desk, slack: CL1 } }
  - { id: L2, name: Second level, agents: [bob], channels: { console: l2-desk, slack: CL2 } }
kb:
  authors: [L2]
`;

let desk: TestDesk;
let seq = 0;
beforeEach(async () => {
  desk = await createTestDesk({ yaml: YAML });
});
afterEach(async () => {
  await desk.close();
});

function slack(user: string, body: Record<string, unknown>, channel = 'CL1'): Promise<Reply | void> {
  const event = {
    key: `slack-test:${++seq}`,
    at: desk.clock.now(),
    from: { platform: 'slack', space: 'T1', id: user, name: user },
    place: { platform: 'slack', space: 'T1', channel },
    ...body,
  } as Inbound;
  return desk.desk.handle(event);
}

describe('permission before form', () => {
  beforeEach(async () => {
    await slack('URITA', { kind: 'command', name: 'ticket', text: 'new Printer on fire' }, 'DRITA');
  });

  it('refuses Resolve at once, with the reason, to a non-agent and to an agent of another tier: no form opens', async () => {
    const requester = await slack('URITA', { kind: 'action', action: 'resolve', value: '1' });
    expect(requester?.form).toBeUndefined();
    expect(requester?.text).toMatch(/Only Help desk \(L1\) agents can resolve ticket #1/);
    const otherTier = await slack('UBOB', { kind: 'action', action: 'resolve', value: '1' });
    expect(otherTier?.form).toBeUndefined();
    expect(otherTier?.text).toMatch(/Only Help desk \(L1\) agents can resolve/);
  });

  it('shows the form to an agent of the tier, and its submission resolves the ticket with the words as written', async () => {
    const shown = await slack('UANN', { kind: 'action', action: 'resolve', value: '1' });
    expect(shown?.form?.fields.map((f) => f.name)).toEqual(['resolution']);
    expect(shown?.form?.submit).toEqual({ command: 'ticket', args: { sub: 'resolve', number: '1' } });
    const done = await slack('UANN', { kind: 'command', name: 'ticket', args: { ...shown!.form!.submit.args, resolution: 'cleared --the jam' } });
    expect(done?.text).toMatch(/resolved/i);
    expect(await desk.say('ann', '/ticket show 1')).toContain('cleared --the jam');
  });

  it('opens the new-ticket form for an empty /ticket on Slack; the console, without forms, shows help', async () => {
    const form = (await slack('URITA', { kind: 'command', name: 'ticket', text: '' }))?.form;
    expect(form?.kind).toBe('ticket.new');
    expect(form?.fields.map((f) => f.name)).toEqual(['title', 'description', 'urgency', 'impact', 'product']);
    expect(form?.fields.find((f) => f.name === 'urgency')?.choices?.map((c) => c.value)).toEqual(['high', 'medium', 'low']);
    expect(await desk.say('rita', '/ticket')).toMatch(/^tierdesk commands/);
  });

  it('refuses the article form to someone who may not write articles, and fills it in for an author', async () => {
    expect((await slack('UANN', { kind: 'command', name: 'kb', text: 'add' }))?.text).toMatch(/only Second level \(L2\) agents/);
    await desk.say('bob', '/kb add VPN drops --body Reconnect with --force --tags vpn');
    const edit = (await slack('UBOB', { kind: 'command', name: 'kb', text: 'edit 1' }))?.form;
    expect(Object.fromEntries(edit!.fields.map((f) => [f.name, f.value]))).toEqual({
      title: 'VPN drops',
      body: 'Reconnect with --force',
      tags: 'vpn',
    });
  });
});

describe('a DM is never silent', () => {
  const dm = (text: string) => slack('URITA', { kind: 'message', text, direct: true, id: `m${seq}` }, 'DRITA');

  it('offers a ticket made from the message when the person has none, and opens it when asked', async () => {
    const offer = await dm('my laptop will not boot');
    expect(offer?.card?.buttons?.map((b) => b.action)).toEqual(['dm.open']);
    const opened = await slack('URITA', { kind: 'action', action: 'dm.open', value: offer!.card!.buttons![0]!.value }, 'DRITA');
    expect(opened?.text).toMatch(/Ticket #1 opened/);
    expect(await desk.say('ann', '/ticket show 1')).toContain('my laptop will not boot');
    const again = await slack('URITA', { kind: 'action', action: 'dm.open', value: offer!.card!.buttons![0]!.value }, 'DRITA');
    expect(again?.text).toMatch(/already used/);
  });

  it('adds the message to the one active ticket, and says where it went', async () => {
    await slack('URITA', { kind: 'command', name: 'ticket', text: 'new Printer on fire' }, 'DRITA');
    expect((await dm('it smells of toast now'))?.text).toMatch(/Added to your ticket #1/);
    expect(await desk.say('ann', '/ticket history 1')).toContain('it smells of toast now');
  });

  it('asks which ticket when there are several, keeping the words until the person chooses', async () => {
    await slack('URITA', { kind: 'command', name: 'ticket', text: 'new Printer on fire' }, 'DRITA');
    await slack('URITA', { kind: 'command', name: 'ticket', text: 'new VPN drops' }, 'DRITA');
    const ask = await dm('still broken after lunch');
    expect(ask?.card?.buttons?.map((b) => b.label)).toEqual(['#2 VPN drops', '#1 Printer on fire', 'A new ticket']);
    const attach = ask!.card!.buttons![1]!;
    expect((await slack('URITA', { kind: 'action', action: attach.action, value: attach.value }, 'DRITA'))?.text).toMatch(/Added to your ticket #1/);
    expect(await desk.say('ann', '/ticket history 1')).toContain('still broken after lunch');
    expect(await desk.say('ann', '/ticket history 2')).not.toContain('still broken after lunch');
    expect((await slack('URITA', { kind: 'action', action: attach.action, value: attach.value }, 'DRITA'))?.text).toMatch(/already sent/);
    // Someone else cannot use another person's kept message.
    const other = await dm('one more thing');
    const stolen = other!.card!.buttons![0]!;
    expect((await slack('UANN', { kind: 'action', action: stolen.action, value: stolen.value }, 'DANN'))?.text).toMatch(/not yours/);
  });
});

describe('opening a ticket from a kept DM is one unit of work', () => {
  /** A fault in opening the ticket (a hook that fails, as a full disk or a lost connection would). */
  let failOpening = true;
  const faulty: Capability = {
    name: 'faulty-storage',
    summary: '',
    hooks: {
      'ticket.opened': async () => {
        if (failOpening) throw new Error('the disk is full');
      },
    },
  };

  beforeEach(async () => {
    await desk.close();
    failOpening = true;
    desk = await createTestDesk({ yaml: YAML, capabilities: [...CAPABILITIES, faulty] });
  });

  /** Nothing more can be written to the kept drafts (as after a crash): only what is there counts. */
  async function freezeDrafts(freeze: boolean): Promise<void> {
    const pg = TEST_DIALECT === 'postgres';
    if (freeze && pg) {
      await sql`CREATE FUNCTION refuse_draft() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'drafts are frozen'; END $$`.execute(
        desk.db,
      );
      await sql`CREATE TRIGGER frozen BEFORE INSERT ON direct_drafts FOR EACH ROW EXECUTE FUNCTION refuse_draft()`.execute(desk.db);
    } else if (freeze) {
      await sql`CREATE TRIGGER frozen BEFORE INSERT ON direct_drafts BEGIN SELECT RAISE(ABORT, 'drafts are frozen'); END`.execute(desk.db);
    } else {
      await sql`DROP TRIGGER frozen${sql.raw(pg ? ' ON direct_drafts' : '')}`.execute(desk.db);
    }
  }

  it('a failure while opening leaves the words kept, and the same button opens the ticket afterwards', async () => {
    const offer = await slack('URITA', { kind: 'message', text: 'my laptop will not boot', direct: true, id: 'm1' }, 'DRITA');
    const button = offer!.card!.buttons![0]!;
    await freezeDrafts(true);
    const failed = await slack('URITA', { kind: 'action', action: button.action, value: button.value }, 'DRITA');
    expect(failed?.text).not.toMatch(/opened/);
    const kept = await desk.db.selectFrom('direct_drafts').select(['text']).execute();
    expect(kept.map((d) => d.text)).toEqual(['my laptop will not boot']);
    expect(await desk.db.selectFrom('tickets').select('number').execute()).toEqual([]);

    await freezeDrafts(false);
    failOpening = false;
    const opened = await slack('URITA', { kind: 'action', action: button.action, value: button.value }, 'DRITA');
    // PostgreSQL's sequence leaves a gap for the rolled-back ticket.
    const number = /Ticket #(\d+) opened/.exec(opened?.text ?? '')?.[1];
    expect(number).toBeDefined();
    expect(await desk.say('ann', `/ticket show ${number}`)).toContain('my laptop will not boot');
    expect(await desk.db.selectFrom('direct_drafts').select('id').execute()).toEqual([]);
  });
});
