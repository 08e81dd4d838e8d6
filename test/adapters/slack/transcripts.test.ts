import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ANN, EMPLOYEE, SLACK_YAML, callsTo, openTicket, startSlackDesk, type OpenedTicket, type SlackDesk } from './support.js';

// A closed ticket's transcript, uploaded the way Slack wants files now: files.getUploadURLExternal,
// the bytes POSTed to the upload URL, files.completeUploadExternal sharing it where it belongs.

const TRANSCRIPTS = 'C0TRANSCR';
const YAML = `${SLACK_YAML}csat: { enabled: false }\ntranscripts: { slack: ${TRANSCRIPTS}, to_requester: true }\n`;

let t: SlackDesk;
let ticket: OpenedTicket;
beforeEach(async () => {
  t = await startSlackDesk({ yaml: YAML });
  ticket = await openTicket(t, 'Printer on fire --description smoke from tray 2 <script>alert(1)</script>');
});
afterEach(async () => {
  await t.close();
});

/** `user` types `/ticket <text>`; waits for the core's answer and what it sent. */
async function ticket_(user: string, text: string): Promise<string | undefined> {
  const sent = await t.sender.slashCommand({ command: '/ticket', text, user_id: user, channel_id: 'C0RANDOM' });
  const { reply } = await t.handled(sent.triggerId);
  await t.desk.dispatcher.drain();
  return reply?.text;
}

/** The files shared in a channel: the message that shares each, and the bytes Slack stored. */
function sharedIn(channel: string) {
  return t.slack.web
    .messagesIn(channel)
    .filter((m) => m.files)
    .map((m) => ({ message: m, bytes: t.slack.web.workspace.files.get(m.files![0]!.id)!.content!.toString('utf8') }));
}

async function workedAndClosed(): Promise<void> {
  await ticket_(ANN, 'claim 1');
  await ticket_(ANN, 'reply 1 Is it still smoking?');
  await ticket_(ANN, 'note 1 vendor says known fuser fault');
  await ticket_(ANN, 'resolve 1 replaced the fuser');
  await ticket_(EMPLOYEE, 'confirm 1');
}

describe('transcripts on Slack', () => {
  it("uploads the agents' copy to the transcripts channel in three steps, and the file holds the HTML transcript", async () => {
    await workedAndClosed();
    // Each file: announced, its bytes sent to the upload URL, then completed (the two copies may interleave).
    const calls = t.slack.web.calls();
    for (const announced of calls.filter((c) => c.method === 'files.getUploadURLExternal')) {
      const id = (announced.response as { file_id: string }).file_id;
      const steps = [
        calls.indexOf(announced),
        calls.findIndex((c) => c.method === 'upload' && c.args.file_id === id),
        calls.findIndex((c) => c.method === 'files.completeUploadExternal' && JSON.stringify(c.args.files).includes(id)),
      ];
      expect(steps[1]).toBeGreaterThan(steps[0]!);
      expect(steps[2]).toBeGreaterThan(steps[1]!);
    }
    expect(t.slack.web.calls('upload').every((c) => c.status === 200)).toBe(true);

    const [agents] = sharedIn(TRANSCRIPTS);
    const announced = calls.find((c) => (c.response as { file_id?: string }).file_id === agents?.message.files?.[0]?.id)!;
    expect(announced.args).toMatchObject({ filename: 'ticket-1-transcript.html' });
    expect(agents?.message.text).toContain('Transcript of #1: Printer on fire');
    expect(agents?.message.files?.[0]).toMatchObject({ name: 'ticket-1-transcript.html', size: Number(announced.args.length) });
    expect(agents!.bytes).toMatch(/^<!DOCTYPE html>/i);
    expect(agents!.bytes).toContain('Is it still smoking?');
    expect(agents!.bytes).toContain('vendor says known fuser fault');
    expect(agents!.bytes).not.toContain('<script>alert(1)</script>');
    expect(agents!.bytes).toContain('smoke from tray 2 &#60;script&#62;alert(1)');
  });

  it("sends the requester's copy (no notes) to their DM", async () => {
    await workedAndClosed();
    const mine = sharedIn(ticket.dm.channel);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.bytes).toContain('Is it still smoking?');
    expect(mine[0]!.bytes).not.toContain('vendor says known fuser fault');
    const complete = t.slack.web.calls('files.completeUploadExternal').find((c) => c.args.channel_id === ticket.dm.channel);
    expect(complete?.args.files).toEqual([{ id: mine[0]!.message.files![0]!.id, title: 'ticket-1-transcript.html' }]);
  });

  it('a transcript asked for in a thread goes into that thread (thread_ts)', async () => {
    await t.adapter.upload!(
      { platform: 'slack', space: 'T0FAKE001', channel: ticket.card.channel, thread: ticket.card.ts },
      { name: 'notes.txt', mime: 'text/plain; charset=utf-8', content: 'héllo' },
      { title: 'A file', fallback: 'A file' },
    );
    const complete = t.slack.web.calls('files.completeUploadExternal').at(-1)!;
    expect(complete.args).toMatchObject({ channel_id: ticket.card.channel, thread_ts: ticket.card.ts });
    const shared = t.slack.web.messagesIn(ticket.card.channel).find((m) => m.files);
    expect(shared?.thread_ts).toBe(ticket.card.ts);
    expect(t.slack.web.workspace.files.get(shared!.files![0]!.id)!.content!.toString('utf8')).toBe('héllo');
    expect(callsTo(t, 'chat.postMessage', ticket.card.channel).every((c) => !String(c.args.text).includes('A file'))).toBe(true);
  });
});

describe("a closed ticket's place on Slack", () => {
  it('answers a message in the DM thread of a closed ticket: not passed on, and how to get help', async () => {
    await workedAndClosed();
    const sent = await t.sender.event({
      type: 'message',
      channel: ticket.dm.channel,
      user: EMPLOYEE,
      text: 'one more thing',
      thread_ts: ticket.dm.ts,
    });
    const { reply } = await t.handled(sent.eventId);
    await t.desk.dispatcher.drain();
    expect(reply && reply.text).toMatch(/#1 is closed, so this message was not passed on.*\/ticket new <title>/);
    const answer = await t.slack.web.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === ticket.dm.channel && String(c.args.text).includes('#1 is closed'),
    );
    expect(answer.args.thread_ts).toBe(ticket.dm.ts);
    expect(callsTo(t, 'chat.postMessage', ticket.card.channel).some((c) => String(c.args.text).includes('one more thing'))).toBe(false);
  });
});
