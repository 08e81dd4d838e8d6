import type { APIMessage } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatInputCommand } from '../../fakes/discord/index.js';
import { answered, command, EDIT_MESSAGE, POST_MESSAGE, textsIn, write } from './interactions.js';
import { ann, community, l1Desk, l1Role, olga, requester, support, ticketRow, type DiscordDesk } from './support.js';
import {
  answer,
  helperRole,
  helpForum,
  later,
  markAsSolution,
  pointsOf,
  postQuestion,
  question,
  react,
  startPeerDesk,
  threadState,
} from './peer-support.js';

// The helpers: pinged (their role, and nothing else) when a question goes unanswered, granted the
// helper role at the points threshold, ranked by /helpers; an unanswered question becomes a ticket
// whose conversation is the forum post itself.

let t: DiscordDesk;
beforeEach(async () => {
  t = await startPeerDesk();
});
afterEach(async () => {
  await t.close();
});

const MINUTE = 60_000;
const botMessagesIn = (channel: string): APIMessage[] => t.discord.world.messagesIn(channel).filter((m) => m.author.id === t.discord.ids.botUserId);

describe('an unanswered question', () => {
  it("after 30 minutes pings the helper role, and only it: the asker's @everyone and role mentions stay silent", async () => {
    t.discord.world.member(community.id, requester.id).nick = '@everyone';
    const { thread } = await postQuestion(t, requester, `Printer @everyone <@&${l1Role.id}>`, `Help @here <@${olga.id}>`);

    await later(t, 30 * MINUTE);

    const ping = botMessagesIn(thread.id).at(-1)!;
    expect(ping.embeds[0]?.title).toBe('Still unanswered: Q1');
    expect(ping.embeds[0]?.description).toContain('@\u200Beveryone'); // the asker's display name, neutralised
    expect(ping.content).toBe(`<@&${helperRole.id}>`);
    expect([ping.mention_everyone, ping.mentions, ping.mention_roles]).toEqual([false, [], [helperRole.id]]);
    const sent = t.discord.rest
      .calls(POST_MESSAGE)
      .filter((c) => c.params.channel === thread.id)
      .at(-1);
    expect((sent?.body as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [], roles: [helperRole.id] });
    // Nothing else tierdesk wrote pinged anyone, and mass mentions it repeats are neutralised.
    for (const m of [...t.discord.world.messages.values()].filter((x) => x.author.id === t.discord.ids.botUserId && x.id !== ping.id)) {
      expect([m.id, m.mention_everyone, m.mentions, m.mention_roles]).toEqual([m.id, false, [], []]);
    }
    expect(
      botMessagesIn(thread.id)
        .map((m) => JSON.stringify(m.embeds))
        .join(),
    ).not.toMatch(/(^|[^\u200B])@(everyone|here)\b/);
  });

  it("after 4 hours becomes an L1 ticket: its requester card is posted in the forum post, agents' replies arrive there, the asker's words reach them", async () => {
    const { thread } = await postQuestion(t, requester, 'SAP login fails', 'Error 403 since this morning.');

    await later(t, 30 * MINUTE);
    await later(t, 4 * 60 * MINUTE);

    expect(await ticketRow(t, 1)).toMatchObject({ title: 'SAP login fails', requester_id: requester.id, tier: 'L1' });
    expect((await question(t, 1)).ticket).toBe(1);
    expect(textsIn(t, thread.id).join('\n')).toMatch(/Q1 is now ticket #1/);
    expect(t.discord.world.messagesIn(l1Desk.id)).toHaveLength(1); // the agents' card

    await command(t, ann, l1Desk.id, 'claim', { number: 1 });
    const reply = await command(t, ann, l1Desk.id, 'reply', { number: 1, text: 'Your password expired; reset it at id.example.com' });
    expect(reply.text).toMatch(/Reply sent/);
    expect(textsIn(t, thread.id).at(-1)).toContain('Your password expired');

    const said = await write(t, requester, thread.id, 'That worked, thank you!');
    expect(said.handled.event.place).toEqual({ platform: 'discord', space: community.id, channel: helpForum.id, thread: thread.id });
    await t.desk.dispatcher.drain();
    const card = t.discord.world.messagesIn(l1Desk.id)[0]!;
    expect(textsIn(t, card.id).join('\n')).toContain('That worked, thank you!');
    // A ticket state change edits the requester card, the message inside the post.
    const edits = t.discord.rest.calls(EDIT_MESSAGE).filter((c) => c.params.channel === thread.id);
    expect(edits.length).toBeGreaterThan(0);
    expect(edits.map((c) => c.status).filter((s) => s !== 200)).toEqual([]);
  });

  it("closing the question's ticket leaves the public forum post open: no archive or lock request for it", async () => {
    const { thread } = await postQuestion(t, requester, 'SAP login fails', 'Error 403 since this morning.');
    await later(t, 30 * MINUTE);
    await later(t, 4 * 60 * MINUTE);
    await command(t, ann, l1Desk.id, 'claim', { number: 1 });
    await command(t, ann, l1Desk.id, 'resolve', { number: 1, resolution: 'password reset' });
    await command(t, requester, thread.id, 'confirm', { number: 1 });
    await t.desk.dispatcher.drain();

    expect(await ticketRow(t, 1)).toMatchObject({ status: 'closed' });
    expect(threadState(t, thread.id)).toEqual({ archived: false, locked: false });
    const sealing = t.discord.rest
      .calls('PATCH /channels/:channel')
      .filter((c) => c.params.channel === thread.id && ('locked' in (c.body as object) || 'archived' in (c.body as object)));
    expect(sealing).toEqual([]);
    const after = await write(t, olga, thread.id, 'For the record: the reset page is id.example.com');
    expect(after.handled.event.place.thread).toBe(thread.id);
  });
});

describe('points and the helper role', () => {
  it('a solution worth the threshold grants the answerer the helper role (PUT member role), once', async () => {
    const { thread } = await postQuestion(t, requester, 'Outlook will not start', 'Safe mode works.');
    const a = await answer(t, olga, thread.id, 'Disable the add-ins one by one.');

    await react(t, requester, thread.id, a.message.id);

    expect(await pointsOf(t, olga.id)).toBe(10);
    const grants = t.discord.rest.calls('PUT /guilds/:guild/members/:user/roles/:role');
    expect(grants.map((c) => [c.params.guild, c.params.user, c.params.role, c.status])).toEqual([[community.id, olga.id, helperRole.id, 204]]);
    expect(grants[0]?.reason).toBe('tierdesk: helper points threshold reached');
    expect(t.discord.world.member(community.id, olga.id).roles).toContain(helperRole.id);

    const { thread: second } = await postQuestion(t, requester, 'Teams is slow', 'Very.');
    const b = await answer(t, olga, second.id, 'Clear the Teams cache.');
    await markAsSolution(t, requester, second.id, b.message.id);
    expect(t.discord.rest.calls('PUT /guilds/:guild/members/:user/roles/:role')).toHaveLength(1);
  });

  it('/helpers period:week ranks the helpers, answered only to whoever asked', async () => {
    const { thread } = await postQuestion(t, requester, 'Outlook will not start', 'Safe mode works.');
    const a = await answer(t, olga, thread.id, 'Disable the add-ins.');
    await react(t, requester, thread.id, a.message.id);

    const payload = chatInputCommand(t.discord.context({ channel: support.id, user: requester.id }), {
      name: 'helpers',
      options: { period: 'week' },
    });
    const reply = await answered(t, payload, await t.discord.gateway.interactionCreate(payload));

    expect(reply.ephemeral).toBe(true);
    expect(reply.handled.event).toMatchObject({ kind: 'command', name: 'helpers', args: { period: 'week' } });
    expect(reply.text).toMatch(/^Top helpers, last 7 days\n1\. olga: 10 points \(1 solution\)/);
  });
});
