import { PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { BUTTON_ID } from '../../../adapters/discord/interactions.js';
import { pingedRoles, renderCard } from '../../../adapters/discord/render.js';
import { card } from '../../../src/core/render.js';
import { chatInputCommand, role } from '../../fakes/discord/index.js';
import { checkCommands, FormCheck, type Json } from '../../fakes/discord/validate.js';
import { answered } from './interactions.js';
import { loadConfig } from '../../../src/config/config.js';
import { community, DISCORD_YAML, olga, registration, requester, support, type DiscordDesk } from './support.js';
import { answer, forumNow, PEER_YAML, postQuestion, questionPost, react, startPeerDesk, tagNames } from './peer-support.js';

// The Discord surface of peer support and the knowledge base within Discord's rules: command
// definitions inside its limits, button ids with family actions, pings of exactly the helper role,
// and what happens when the bot lacks a permission (a warning or a logged failure, never a crash).

describe('the registered commands', () => {
  const commands = registration(loadConfig({ text: DISCORD_YAML, env: {} })) as unknown as Json[];
  const subsOf = (name: string) => ((commands.find((c) => c.name === name)?.options ?? []) as Json[]).map((o) => o.name);

  it("pass Discord's checks at every level: lower-case names ≤ 32, descriptions ≤ 100, ≤ 25 options and choices, required first", () => {
    const check = new FormCheck();
    checkCommands(commands, check);
    expect(() => check.done()).not.toThrow();
    expect(commands.map((c) => [c.name, c.type ?? 1])).toEqual([
      ['ticket', 1],
      ['oncall', 1],
      ['ask', 1],
      ['helpers', 1],
      ['kb', 1],
      ['products', 1],
      ['consult', 1],
      ['help', 1],
      ['Mark as solution', 3],
    ]);
    // Guild-only through `contexts` (0: guild), not the deprecated dm_permission.
    expect(commands.find((c) => c.name === 'Mark as solution')).toMatchObject({ name: 'Mark as solution', type: 3, contexts: [0] });
    expect(commands.every((c) => !('dm_permission' in c) || c.dm_permission === undefined)).toBe(true);
    expect(subsOf('kb')).toEqual(['search', 'show', 'vote', 'add', 'edit', 'publish', 'unpublish', 'delete', 'drafts', 'history', 'save']);
  });

  it('the fake refuses what Discord refuses (so the check above means something)', () => {
    const bad = [
      { name: 'kb', description: 'x', options: [{ type: 1, name: 'Search', description: 'x' }] },
      {
        name: 'ask',
        description: 'x',
        options: [
          { type: 3, name: 'a', description: 'x' },
          { type: 3, name: 'b', description: 'x', required: true },
        ],
      },
      {
        name: 'helpers',
        description: 'x',
        options: [{ type: 3, name: 'p', description: 'x', choices: Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: `c${i}` })) }],
      },
      { name: 'Mark as solution', type: 3, description: 'not allowed' },
      { name: 'ticket', description: 'd'.repeat(101) },
    ];
    const check = new FormCheck();
    checkCommands(bad, check);
    expect(() => check.done()).toThrow('Invalid Form Body');
    try {
      check.done();
    } catch (err) {
      expect(Object.keys((err as { errors: Json }).errors).sort()).toEqual(['0', '1', '2', '3', '4']);
    }
  });
});

describe('cards and buttons', () => {
  it('a ping renders the role mentions as content, allowing exactly those roles; anything not a role id is dropped', () => {
    const id = '300000000000000050';
    const rendered = renderCard(card({ title: 'Still unanswered', ping: [id, '@everyone', '<@&1>', id] }));

    expect(rendered.content).toBe(`<@&${id}>`);
    expect(rendered.allowedMentions).toEqual({ parse: [], roles: [id] });
    expect(pingedRoles({ ping: ['12'] })).toEqual([]);
    expect(renderCard(card({ title: 'No ping' }))).toMatchObject({ allowedMentions: { parse: [] } });
    expect(renderCard(card({ title: 'No ping' }))).not.toHaveProperty('content');
  });

  it('button ids carry family actions with a dot, and values with spaces', () => {
    const parse = (id: string) => BUTTON_ID.exec(id)?.slice(1, 3);
    expect(parse('tierdesk:kb.vote:12 helpful')).toEqual(['kb.vote', '12 helpful']);
    expect(parse('tierdesk:deflect.open:abc123')).toEqual(['deflect.open', 'abc123']);
    expect(parse('tierdesk:peer.keep:3')).toEqual(['peer.keep', '3']);
    expect(parse('tierdesk:claim:3 --force')).toEqual(['claim', '3 --force']);
    expect(parse('tierdesk:panel')).toEqual(['panel', undefined]);
    expect(parse('tierdesk:kb.vote.x:1')).toBeUndefined();
    expect(parse('other:claim:1')).toBeUndefined();
  });
});

describe('missing permissions', () => {
  let t: DiscordDesk;
  afterEach(async () => {
    await t.close();
  });

  it("without Manage Channels the forum's tags cannot be created: /ask still posts (untagged) and says why in the log", async () => {
    t = await startPeerDesk();
    const botRole = t.discord.world.guild(community.id).roles.find((r) => r.tags?.bot_id === t.discord.ids.botUserId)!;
    botRole.permissions = String(BigInt(botRole.permissions) & ~PermissionFlagsBits.ManageChannels);

    const payload = chatInputCommand(t.discord.context({ channel: support.id, user: requester.id }), {
      name: 'ask',
      options: { question: 'Where is the VPN guide?' },
    });
    const reply = await answered(t, payload, await t.discord.gateway.interactionCreate(payload));

    expect(reply.text).toMatch(/^Question Q1 posted/);
    const post = await questionPost(t, 1);
    expect(tagNames(t, post)).toEqual([]);
    expect((forumNow(t).available_tags as Array<{ name: string }>).map((x) => x.name)).toEqual(['Printers', 'VPN']);
    expect(t.logger.lines.some((l) => l.level === 'warn' && /needs Manage Channels/.test(l.msg))).toBe(true);
  });

  it("a helper role above the bot's cannot be granted: the grant is given up and logged, the solution stands", async () => {
    const high = role({ id: '300000000000000060', name: 'Helpers', position: 10 });
    t = await startPeerDesk({ yaml: PEER_YAML.replace('300000000000000050', high.id) });
    await t.discord.gateway.roleCreate(community.id, high);
    const { thread } = await postQuestion(t, requester, 'Printer jam', 'Tray 2.');
    const a = await answer(t, olga, thread.id, 'Open the back door and pull gently.');

    await react(t, requester, thread.id, a.message.id);

    const grant = t.discord.rest.calls('PUT /guilds/:guild/members/:user/roles/:role');
    expect(grant.map((c) => [c.status, (c.response as { code: number }).code])).toEqual([[403, 50013]]);
    expect(t.discord.world.member(community.id, olga.id).roles).not.toContain(high.id);
    expect(t.logger.lines.some((l) => l.level === 'error' && /gave up/.test(l.msg))).toBe(true);
    expect(tagNames(t, thread.id)).toEqual(['Solved']);
  });
});
