import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createConsoleAdapter } from '../../adapters/console/console-adapter.js';
import { parseConsoleLine } from '../../adapters/console/parse-line.js';
import type { Inbound } from '../../src/ports.js';

/** An output whose writes complete only when the test says so, like a pipe nobody is reading. */
class HeldOutput extends Writable {
  readonly chunks: string[] = [];
  private readonly pending: Array<() => void> = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.chunks.push(chunk.toString());
    this.pending.push(done);
  }
  release(): void {
    for (const done of this.pending.splice(0)) done();
  }
}

const card = { title: '🎫 #1 Printer on fire', fallback: '🎫 #1 Printer on fire\nStatus: open' };

describe('the console adapter', () => {
  it('reports a message as posted only once its text has been handed on', async () => {
    const output = new HeldOutput({ highWaterMark: 1 });
    const adapter = createConsoleAdapter({ input: new PassThrough(), output, now: () => 0 });
    let posted = false;
    const post = adapter.post({ platform: 'console', space: 'local', channel: 'l1-desk' }, card).then(() => (posted = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(output.chunks.join('')).toContain('→ #l1-desk:');
    expect(posted).toBe(false);
    output.release();
    await post;
    expect(posted).toBe(true);
  });

  it('prints where each message goes: channel, thread (named after its parent, even from an earlier run), DM', async () => {
    let text = '';
    const output = new Writable({ write: (c, _e, done) => ((text += c.toString()), done()) });
    const adapter = createConsoleAdapter({ input: new PassThrough(), output, now: () => 0 });
    const { messageId } = await adapter.post({ platform: 'console', space: 'local', channel: 'l1-desk' }, card);
    await adapter.post({ platform: 'console', space: 'local', channel: 'l1-desk', thread: messageId }, { title: 'note', fallback: 'a note' });
    const restarted = createConsoleAdapter({ input: new PassThrough(), output, now: () => 0 });
    await restarted.post({ platform: 'console', space: 'local', channel: 'l1-desk', thread: messageId }, { title: 'later', fallback: 'later' });
    const dm = await adapter.openDirect({ platform: 'console', space: 'local', id: 'requester', name: 'requester' });
    await adapter.post(dm, { title: 'hi', fallback: 'hello' });
    expect(text.split('\n').filter((l) => !l.startsWith('  '))).toEqual([
      '→ #l1-desk:',
      '→ #l1-desk › thread "🎫 #1 Printer on fire":',
      '→ #l1-desk › thread "🎫 #1 Printer on fire":',
      '→ DM to requester:',
      '',
    ]);
  });

  it('turns input lines into events with a unique idempotency key each, and answers the sender', async () => {
    const input = new PassThrough();
    let text = '';
    const output = new Writable({ write: (c, _e, done) => ((text += c.toString()), done()) });
    let ended!: () => void;
    const end = new Promise<void>((resolve) => (ended = resolve));
    const adapter = createConsoleAdapter({ input, output, now: () => 42, onEnd: () => ended() });
    const seen: Inbound[] = [];
    await adapter.start(async (e) => {
      seen.push(e);
      return { text: `ok ${seen.length}` };
    });
    input.end('requester: /ticket new A\nrequester: /ticket new A\nagent1: #1 hello\nnobody\n');
    await end;
    expect(seen.map((e) => e.kind)).toEqual(['command', 'command', 'message']);
    expect(new Set(seen.map((e) => e.key)).size).toBe(3);
    expect(seen[2]).toMatchObject({ kind: 'message', ticket: 1, text: 'hello', from: { id: 'agent1' }, at: 42 });
    expect(text).toContain('← to requester (only them):\n  ok 1');
    expect(text).toContain('! Write "<user>: <text>"');
  });
});

describe('console input lines', () => {
  it.each([
    ['requester: /ticket new Printer on fire', { kind: 'command', user: 'requester', name: 'ticket', text: 'new Printer on fire' }],
    ['agent1: #12 Have you tried turning it off?', { kind: 'message', user: 'agent1', ticket: 12, text: 'Have you tried turning it off?' }],
    ['agent1:#3 tight', { kind: 'message', user: 'agent1', ticket: 3, text: 'tight' }],
    ['bob: hello', { kind: 'message', user: 'bob', text: 'hello' }],
    ['   ', { kind: 'blank' }],
    ['// a comment', { kind: 'blank' }],
    ['no colon here', { kind: 'invalid' }],
    ['bob:', { kind: 'invalid' }],
  ])('%s', (line, expected) => {
    expect(parseConsoleLine(line)).toMatchObject(expected);
  });
});
