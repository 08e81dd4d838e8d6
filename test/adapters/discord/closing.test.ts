import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ATTACHMENT_LIMIT_BYTES } from '../../../adapters/discord/outbound.js';
import { command, openTicket, POST_MESSAGE, textsIn, write, type OpenedTicket } from './interactions.js';
import { ann, bob, community, l1Desk, l2Desk, olga, requester, startDiscordDesk, support, transcriptsChannel, type DiscordDesk } from './support.js';

// Closing the loop on Discord: the transcript as an attachment, the private thread archived and
// locked on close, and an answer (never silence) to whoever still writes there.

const YAML = `
people:
  ann: { name: Ann Agent, discord: "${ann.id}" }
  bob: { name: Bob Backline, discord: "${bob.id}" }
  olga: { name: Olga Owner, discord: "${olga.id}" }
tiers:
  - { id: L1, name: Help desk, agents: [ann, olga], channels: { discord: "${l1Desk.id}" } }
  - { id: L2, name: Second level, agents: [bob], channels: { discord: "${l2Desk.id}" } }
discord:
  guilds: ["${community.id}"]
  tickets_channel: "${support.id}"
csat: { enabled: false }
transcripts: { discord: "${transcriptsChannel.id}", to_requester: true }
`;

const PATCH_CHANNEL = 'PATCH /channels/:channel';

let t: DiscordDesk;
let ticket: OpenedTicket;
beforeEach(async () => {
  await startWithResolvedTicket(YAML);
});

/** tierdesk on `yaml` with ticket #1 claimed, answered, noted and resolved by Ann. */
async function startWithResolvedTicket(yaml: string): Promise<void> {
  t = await startDiscordDesk({ yaml });
  ticket = await openTicket(t, 'Printer on fire', { urgency: 'high', description: 'smoke <script>alert(1)</script> @everyone' });
  await command(t, ann, l1Desk.id, 'claim', { number: 1 });
  await command(t, ann, l1Desk.id, 'reply', { number: 1, text: 'Is it still smoking?' });
  await command(t, ann, l1Desk.id, 'note', { number: 1, text: 'vendor says known fuser fault' });
  await command(t, ann, l1Desk.id, 'resolve', { number: 1, resolution: 'replaced the fuser' });
}
afterEach(async () => {
  await t.close();
});

const threadMeta = () => t.discord.world.channel(ticket.thread.channel).thread_metadata as { archived: boolean; locked: boolean };

/** The attachments posted in a channel, with the bytes the fake kept. */
function attachmentsIn(channel: string) {
  return t.discord.world
    .messagesIn(channel)
    .flatMap((m) =>
      m.attachments.map((a) => ({ message: m, name: a.filename, size: a.size, bytes: t.discord.world.attachments.get(a.id)!.toString('utf8') })),
    );
}

async function confirm(): Promise<void> {
  await command(t, requester, ticket.thread.channel, 'confirm', { number: 1 });
  await t.desk.dispatcher.drain();
}

describe('transcripts as Discord attachments', () => {
  it("posts the agents' copy (with notes) as an HTML attachment in the transcripts channel, multipart as discord.js sends it", async () => {
    await confirm();
    const [agents] = attachmentsIn(transcriptsChannel.id);
    expect(agents?.name).toBe('ticket-1-transcript.html');
    expect(agents?.bytes).toMatch(/^<!doctype html>/i);
    expect(agents?.bytes).toContain('Is it still smoking?');
    expect(agents?.bytes).toContain('vendor says known fuser fault');
    expect(agents?.bytes).not.toContain('<script>alert(1)');
    expect(agents?.size).toBe(Buffer.byteLength(agents!.bytes));
    expect(agents?.message.embeds[0]?.title).toBe('📄 Transcript of #1: Printer on fire');
    const call = t.discord.rest.calls(POST_MESSAGE).find((c) => c.params.channel === transcriptsChannel.id)!;
    expect(call.files.map((f) => f.field)).toEqual(['files[0]']);
    expect(call.body).toMatchObject({ attachments: [{ id: '0' }] });
  });

  it("sends the requester's copy, without notes, to their DM", async () => {
    await confirm();
    const dm = t.discord.world.dms.get(requester.id)!;
    const [mine] = attachmentsIn(dm.id);
    expect(mine?.bytes).toContain('Is it still smoking?');
    expect(mine?.bytes).not.toContain('vendor says known fuser fault');
  });

  it('refuses, without a request, a file over the attachment limit; one at the transcript cap goes out', async () => {
    const place = { platform: 'discord' as const, space: community.id, channel: transcriptsChannel.id };
    const message = { title: 'Big', fallback: 'Big' };
    await expect(
      t.adapter.upload!(place, { name: 'big.txt', mime: 'text/plain', content: 'x'.repeat(ATTACHMENT_LIMIT_BYTES + 1) }, message),
    ).rejects.toThrow(/at most 10485760/);
    await t.adapter.upload!(place, { name: 'cap.txt', mime: 'text/plain', content: 'x'.repeat(8 * 1024 * 1024) }, message);
    expect(attachmentsIn(transcriptsChannel.id).map((a) => [a.name, a.size])).toEqual([['cap.txt', 8 * 1024 * 1024]]);
  });
});

describe('the private thread of a closed ticket', () => {
  it('is archived and locked after the last notices, so the requester can no longer write there', async () => {
    expect(threadMeta()).toMatchObject({ archived: false, locked: false }); // resolved is not closed
    await confirm();
    expect(threadMeta()).toMatchObject({ archived: true, locked: true });
    const patch = t.discord.rest.calls(PATCH_CHANNEL).filter((c) => c.params.channel === ticket.thread.channel);
    expect(patch.at(-1)?.body).toMatchObject({ archived: true, locked: true });
    // Nothing was posted into the thread after it closed.
    const lastPost = t.discord.rest
      .calls(POST_MESSAGE)
      .filter((c) => c.params.channel === ticket.thread.channel)
      .at(-1)!;
    expect(t.discord.rest.calls().indexOf(lastPost)).toBeLessThan(t.discord.rest.calls().indexOf(patch.at(-1)!));
    await expect(t.discord.gateway.messageCreate({ channelId: ticket.thread.channel, authorId: requester.id, content: 'hello?' })).rejects.toThrow(
      /Thread is archived/,
    );
  });

  it('with csat.ask: on_close, the survey is posted into the thread before it is locked (the seal goes last)', async () => {
    await t.close();
    await startWithResolvedTicket(YAML.replace('csat: { enabled: false }', 'csat: { enabled: true, ask: on_close }'));
    await confirm();
    const calls = t.discord.rest.calls().filter((c) => c.params.channel === ticket.thread.channel);
    const survey = calls.findIndex((c) => c.route === POST_MESSAGE && /Rate #1/.test(JSON.stringify(c.body)));
    const lock = calls.findIndex((c) => c.route === PATCH_CHANNEL && (c.body as { locked?: boolean }).locked === true);
    expect(survey).toBeGreaterThanOrEqual(0);
    expect(calls[survey]?.status).toBe(200);
    expect(lock).toBeGreaterThan(survey);
    expect(threadMeta()).toMatchObject({ archived: true, locked: true });
  });

  it('answers someone who still may write there (a moderator agent): it is closed, and what to do instead', async () => {
    await confirm();
    const sent = await write(t, olga, ticket.thread.channel, 'one more thing');
    expect(sent.handled.reply && sent.handled.reply.text).toMatch(/#1 is closed, so this was not sent to its requester.*\/ticket new/);
    expect((sent.answer?.body as { content?: string }).content).toMatch(/#1 is closed/);
    expect(threadMeta().locked).toBe(true);
  });

  it('opens again on reopen (within the window), unlocked before the notice is posted there, and the requester writes again', async () => {
    await confirm();
    const sent = await write(t, olga, ticket.thread.channel, 'one more thing');
    expect(sent.handled.reply && sent.handled.reply.text).toMatch(/To reopen it, \/ticket reopen 1 \(possible for 1 week more\)/);
    const before = t.discord.rest.calls().length;
    await command(t, ann, l1Desk.id, 'reopen', { number: 1 });
    await t.desk.dispatcher.drain();
    expect(threadMeta()).toMatchObject({ archived: false, locked: false });
    const after = t.discord.rest.calls().slice(before);
    const unlock = after.findIndex((c) => c.route === PATCH_CHANNEL && c.params.channel === ticket.thread.channel);
    const notice = after.findIndex((c) => c.route === POST_MESSAGE && c.params.channel === ticket.thread.channel);
    expect(unlock).toBeGreaterThanOrEqual(0);
    expect(after[unlock]?.body).toMatchObject({ archived: false, locked: false });
    expect(notice).toBeGreaterThan(unlock);
    const again = await write(t, requester, ticket.thread.channel, 'it smokes again');
    expect(again.handled.reply).toBeUndefined(); // relayed, as in any open ticket
    expect(textsIn(t, ticket.card.id).join('\n')).toContain('it smokes again');
  });

  it('the adapter opens a sealed thread again: unarchived and unlocked in one request', async () => {
    await confirm();
    await t.adapter.sealThread!({ platform: 'discord', space: community.id, channel: ticket.thread.channel }, false);
    expect(threadMeta()).toMatchObject({ archived: false, locked: false });
    const sent = await t.discord.gateway.messageCreate({ channelId: ticket.thread.channel, authorId: requester.id, content: 'back again' });
    expect(sent.content).toBe('back again');
  });
});
