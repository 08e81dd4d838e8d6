import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseTypedArgs } from '../../src/core/typed-line.js';
import type { ArgSpec } from '../../src/core/capability.js';
import { createTestDesk, type TestDesk } from '../support/desk.js';

let desk: TestDesk;
beforeEach(async () => {
  desk = await createTestDesk();
});
afterEach(async () => {
  await desk.close();
});

const REPLY: ArgSpec[] = [
  { name: 'number', summary: '', kind: 'number', positional: true, required: true },
  { name: 'text', summary: '', kind: 'text', positional: true, required: true },
];
const ESCALATE: ArgSpec[] = [
  ...REPLY.slice(0, 1),
  { name: 'reason', summary: '', kind: 'text', positional: true },
  { name: 'to', summary: '', kind: 'tier' },
];

describe('free text is kept as written', () => {
  it('takes only declared options as options; any other --word is a word', () => {
    expect(parseTypedArgs('1 try git push --force-with-lease instead', REPLY, 'u')).toEqual({
      number: '1',
      text: 'try git push --force-with-lease instead',
    });
    expect(parseTypedArgs('1 run  `ls --all -la`\n  then --help', REPLY, 'u')).toEqual({ number: '1', text: 'run  `ls --all -la`\n  then --help' });
    expect(parseTypedArgs('3 needs a DBA --to L3', ESCALATE, 'u')).toEqual({ number: '3', reason: 'needs a DBA', to: 'L3' });
    // Words after a one-word option's value go back to the free text.
    expect(parseTypedArgs('3 --to L3 needs a DBA', ESCALATE, 'u')).toEqual({ number: '3', reason: 'needs a DBA', to: 'L3' });
    expect(parseTypedArgs('3 --to=L3 a --to-do list', ESCALATE, 'u')).toEqual({ number: '3', reason: 'a --to-do list', to: 'L3' });
  });

  it('refuses a declared option given twice or without its value', () => {
    expect(() => parseTypedArgs('3 x --to L2 --to L3', ESCALATE, 'u')).toThrow(/--to is given twice/);
    expect(() => parseTypedArgs('3 x --to', ESCALATE, 'u')).toThrow(/--to needs a value/);
  });

  it('keeps flags in replies, notes, resolutions, escalation reasons and descriptions, on every path', async () => {
    await desk.say('requester', '/ticket new VPN --description use `ssh -o --x` then --force it --urgency high');
    expect(desk.channel('l1-desk').join('\n')).toContain('use `ssh -o --x` then --force it');
    await desk.say('agent1', '/ticket claim 1');
    expect(await desk.say('agent1', '/ticket reply 1 try git push --force-with-lease instead')).toMatch(/Reply sent/);
    expect(desk.dm('requester').join('\n')).toContain('try git push --force-with-lease instead');
    expect(await desk.say('agent1', '/ticket note 1 maybe --dry-run first')).toMatch(/note added/i);
    expect(desk.thread('l1-desk', 1).join('\n')).toContain('maybe --dry-run first');
    expect(await desk.say('agent1', '/ticket escalate 1 rm -rf --no-preserve-root risk --to L2')).toMatch(/#1/);
    expect(desk.everything().join('\n')).toContain('rm -rf --no-preserve-root risk');
    expect(await desk.say('agent2', '/ticket resolve 1 ran `apt --fix-broken install`')).toMatch(/resolved/i);
    expect(desk.dm('requester').join('\n')).toContain('ran `apt --fix-broken install`');
  });

  it('never parses a form or a button: their words are arguments as sent', async () => {
    await desk.say('requester', '/ticket new Printer');
    await desk.say('agent1', '/ticket claim 1');
    const reply = await desk.send({
      key: 'form-1',
      at: desk.clock.now(),
      kind: 'command',
      name: 'ticket',
      from: { platform: 'console', space: 'local', id: 'agent1', name: 'agent1' },
      place: { platform: 'console', space: 'local', channel: 'console' },
      args: { sub: 'reply', number: '1', text: '--to L3 --force "quoted"\nsecond line' },
    });
    expect(reply).toMatch(/Reply sent/);
    expect(desk.dm('requester').join('\n')).toContain('--to L3 --force "quoted"\nsecond line');
  });
});
