import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actionId, actionOf, renderCard } from '../../../adapters/slack/block-kit.js';
import { slackManifest } from '../../../adapters/slack/manifest.js';
import { PermanentDeliveryError, type Card, type Inbound } from '../../../src/ports.js';
import { createCatalogue } from '../../../src/capabilities/index.js';
import { loadConfig } from '../../../src/config/config.js';
import { ANN, EMPLOYEE, GENERAL, GUS, OLGA, SLACK_YAML, type SlackDesk } from './support.js';
import { HELPERS, PEER, botReactions, react, say, startPeerDesk } from './peer-support.js';

// The Slack adapter's half of peer support, checked at the seam: what Slack sends becomes which
// Inbound, and what the core asks (labels, group grants, pings) becomes which Web API calls.

let t: SlackDesk;
beforeEach(async () => {
  t = await startPeerDesk();
});
afterEach(async () => {
  await t.close();
});

const permalink = (ts: string, thread?: string) =>
  `https://tierdesk-fake.slack.com/archives/${PEER}/p${ts.replace('.', '')}${thread ? `?thread_ts=${thread}&cid=${PEER}` : ''}`;

function only<K extends Inbound['kind']>(kind: K): Array<Extract<Inbound, { kind: K }>> {
  return t.inbound.map((h) => h.event).filter((e): e is Extract<Inbound, { kind: K }> => e.kind === kind);
}

describe('messages in a peer channel', () => {
  it('a top-level message arrives with its ts as id, no thread, and its permalink', async () => {
    const q = await say(t, EMPLOYEE, 'How do I map the shared drive on a Mac?');

    expect(q.handled.event).toMatchObject({
      kind: 'message',
      id: q.ts,
      text: 'How do I map the shared drive on a Mac?',
      link: permalink(q.ts),
      place: { platform: 'slack', channel: PEER },
      from: { id: EMPLOYEE },
    });
    expect((q.handled.event.place as { thread?: string }).thread).toBeUndefined();
  });

  it('a reply arrives with the root as place.thread and a thread permalink', async () => {
    const q = await say(t, EMPLOYEE, 'VPN keeps asking for my password');
    const a = await say(t, OLGA, 'Clear the saved credential in Keychain', q.ts);

    expect(a.handled.event).toMatchObject({ kind: 'message', id: a.ts, place: { channel: PEER, thread: q.ts }, link: permalink(a.ts, q.ts) });
  });

  it('bot posts, edits, deletions and joins are not messages; top-level chatter elsewhere is ignored', async () => {
    const root = await say(t, EMPLOYEE, 'first question');
    const ignored: Array<Record<string, unknown>> = [
      { type: 'message', channel: PEER, bot_id: 'B0OTHER', text: 'I am a bot', ts: t.slack.web.workspace.nextTs() },
      { type: 'message', channel: PEER, subtype: 'message_changed', message: { ts: root.ts, text: 'edited' }, ts: t.slack.web.workspace.nextTs() },
      { type: 'message', channel: PEER, subtype: 'message_deleted', deleted_ts: root.ts, ts: t.slack.web.workspace.nextTs() },
      {
        type: 'message',
        channel: PEER,
        subtype: 'channel_join',
        user: OLGA,
        text: '<@U0OUT> has joined the channel',
        ts: t.slack.web.workspace.nextTs(),
      },
      { type: 'message', channel: GENERAL, user: EMPLOYEE, text: 'lunch anyone?' },
    ];
    for (const event of ignored) expect((await t.sender.event(event as { type: string })).status).toBe(200);
    // A message handled after them: by then, the ignored ones have long been looked at.
    const last = await say(t, EMPLOYEE, 'second question');

    expect(only('message').map((m) => m.id)).toEqual([root.ts, last.ts]);
  });
});

describe('reactions in a peer channel', () => {
  it('✅ on a reply arrives with the reacted message, its author, the root as thread, its text and link', async () => {
    const q = await say(t, EMPLOYEE, 'Printer says offline');
    const a = await say(t, OLGA, 'Turn it off and on again', q.ts);

    const sent = await react(t, EMPLOYEE, a.ts);
    const { event } = await t.handled(sent.eventId);

    expect(event).toMatchObject({
      kind: 'reaction',
      emoji: 'white_check_mark',
      message: a.ts,
      text: 'Turn it off and on again',
      link: permalink(a.ts, q.ts),
      author: { platform: 'slack', id: OLGA, name: 'olga' },
      from: { id: EMPLOYEE },
      place: { channel: PEER, thread: q.ts },
    });
    // The reacted message was read alone, bounded to itself.
    expect(t.slack.web.calls('conversations.replies').at(-1)!.args).toMatchObject({
      channel: PEER,
      ts: a.ts,
      latest: a.ts,
      inclusive: 'true',
      limit: '1',
    }); // form-encoded, as WebClient sends them
  });

  it('✅ on the question itself arrives without a thread', async () => {
    const q = await say(t, EMPLOYEE, 'Where is the wiki?');
    const sent = await react(t, OLGA, q.ts);
    const { event } = await t.handled(sent.eventId);

    expect(event).toMatchObject({ kind: 'reaction', message: q.ts, author: { id: EMPLOYEE } });
    expect((event.place as { thread?: string }).thread).toBeUndefined();
  });

  it('other emoji are not read nor delivered', async () => {
    const q = await say(t, EMPLOYEE, 'Teams will not start');
    await react(t, OLGA, q.ts, 'thumbsup');
    const check = await react(t, OLGA, q.ts);
    await t.handled(check.eventId);

    expect(only('reaction').map((r) => r.emoji)).toEqual(['white_check_mark']);
    expect(t.slack.web.calls('conversations.replies')).toHaveLength(1);
  });
});

describe('labels: reactions on the question', () => {
  it('solved adds ✅, closed adds 🔒, open takes both away; repeats and missing ones are fine', async () => {
    const q = t.slack.web.workspace.addMessage({ channel: PEER, user: EMPLOYEE, text: 'a question' });
    const place = { platform: 'slack' as const, space: t.slack.ids.teamId, channel: PEER, thread: q.ts };

    await t.adapter.labelThread!(place, 'solved');
    await t.adapter.labelThread!(place, 'solved'); // already_reacted: nothing to do
    expect(botReactions(t, q.ts)).toEqual(['white_check_mark']);
    await t.adapter.labelThread!(place, 'closed');
    expect(botReactions(t, q.ts)).toEqual(['white_check_mark', 'lock']);
    await t.adapter.labelThread!(place, 'open');
    expect(botReactions(t, q.ts)).toEqual([]);
    await t.adapter.labelThread!(place, 'open'); // no_reaction: nothing to do

    const adds = t.slack.web.calls('reactions.add').map((c) => [c.args.name, c.args.timestamp, (c.response as { error?: string }).error ?? 'ok']);
    expect(adds).toEqual([
      ['white_check_mark', q.ts, 'ok'],
      ['white_check_mark', q.ts, 'already_reacted'],
      ['lock', q.ts, 'ok'],
    ]);
    expect(t.slack.web.calls('reactions.remove').map((c) => (c.response as { error?: string }).error ?? 'ok')).toEqual([
      'ok',
      'ok',
      'no_reaction',
      'no_reaction',
    ]);
  });

  it('a question that is gone is a permanent failure, not retried forever', async () => {
    const place = { platform: 'slack' as const, space: t.slack.ids.teamId, channel: PEER, thread: '1700000000.000100' };
    await expect(t.adapter.labelThread!(place, 'solved')).rejects.toBeInstanceOf(PermanentDeliveryError);
  });
});

describe('granting the helper group', () => {
  const person = (id: string) => ({ platform: 'slack' as const, space: 'T0FAKE001', id, name: id });

  it('adds the person to the user group, keeping its members; a member already in is left alone', async () => {
    t.slack.web.workspace.usergroups.set(HELPERS, [ANN]);

    await t.adapter.grantGroup!(person(OLGA), HELPERS);
    await t.adapter.grantGroup!(person(OLGA), HELPERS);

    expect(t.slack.web.workspace.usergroups.get(HELPERS)).toEqual([ANN, OLGA]);
    expect(t.slack.web.calls('usergroups.users.update').map((c) => c.args)).toEqual([{ usergroup: HELPERS, users: `${ANN},${OLGA}` }]);
  });

  it('two grants at once both land (Slack replaces the whole member list)', async () => {
    await Promise.all([t.adapter.grantGroup!(person(OLGA), HELPERS), t.adapter.grantGroup!(person(GUS), HELPERS)]);
    expect(t.slack.web.workspace.usergroups.get(HELPERS)).toEqual([OLGA, GUS]);
  });

  it('an unknown group is a permanent failure', async () => {
    await expect(t.adapter.grantGroup!(person(OLGA), 'S0NOPE')).rejects.toBeInstanceOf(PermanentDeliveryError);
  });
});

describe('cards', () => {
  const base: Card = { title: 'Still unanswered: Q1', text: 'Helpers, <!channel> look', fallback: 'Still unanswered: Q1\nHelpers, <!channel> look' };

  it('ping: the notification text starts with the group mention, and a block carries it; nothing else mentions', () => {
    const { text, blocks } = renderCard({ ...base, ping: [HELPERS] });

    expect(text.startsWith(`<!subteam^${HELPERS}> `)).toBe(true);
    expect(JSON.stringify(blocks)).toContain(`<!subteam^${HELPERS}>`);
    expect(text).toContain('&lt;!channel&gt;');
    expect(`${text}${JSON.stringify(blocks)}`.match(/<!/g)).toHaveLength(2); // the one ping, in text and block
  });

  it('only well-formed user group ids are rendered as mentions', () => {
    const { text, blocks } = renderCard({ ...base, ping: ['S0OK', '!channel', 'S0>|x', 'here'] });
    expect(text.startsWith('<!subteam^S0OK> ')).toBe(true);
    expect(`${text}${JSON.stringify(blocks)}`).not.toMatch(/<!(channel|here|subteam\^[^S])/);
    expect(renderCard(base).text).not.toContain('<!');
  });

  it('buttons of one action get distinct action ids (Slack refuses repeats), mapped back to the action', async () => {
    const card: Card = {
      title: 'Article #1',
      fallback: 'Article #1',
      buttons: [
        { action: 'kb.vote', label: 'Helpful', value: '1 helpful' },
        { action: 'kb.vote', label: 'Not helpful', value: '1 not-helpful' },
        { action: 'kb.publish', label: 'Publish', value: '1' },
      ],
    };
    const ids = (renderCard(card).blocks.at(-1) as { elements: Array<{ action_id: string }> }).elements.map((e) => e.action_id);
    expect(ids).toEqual(['tierdesk:kb.vote', 'tierdesk:kb.vote#2', 'tierdesk:kb.publish']);
    expect(ids.map(actionOf)).toEqual(['kb.vote', 'kb.vote', 'kb.publish']);
    expect(actionId('claim')).toBe('tierdesk:claim');
    // And the fake refuses what Slack refuses.
    const dup = { ...card, buttons: [card.buttons![0]!, card.buttons![0]!] };
    const { blocks } = renderCard(dup);
    (blocks.at(-1) as { elements: Array<{ action_id: string }> }).elements[1]!.action_id = 'tierdesk:kb.vote';
    const posted = await fetch(`${t.slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-test-token', 'content-type': 'application/json' },
      body: JSON.stringify({ channel: PEER, text: 'x', blocks }),
    });
    expect(await posted.json()).toMatchObject({ ok: false, error: 'invalid_blocks' });
  });
});

describe('the app manifest', () => {
  const surface = createCatalogue().surface('slack', loadConfig({ text: SLACK_YAML, env: {} }));
  const manifest = JSON.parse(slackManifest({ name: 'tierdesk', socketMode: true, surface })) as {
    features: { slash_commands: Array<{ command: string }>; shortcuts: Array<{ callback_id: string; type: string; name: string }> };
    oauth_config: { scopes: { bot: string[] } };
    settings: { event_subscriptions: { bot_events: string[] } };
  };

  it('has /ask, /kb and /helpers next to /ticket (and /oncall), and both message shortcuts', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([
      '/ticket',
      '/oncall',
      '/ask',
      '/helpers',
      '/kb',
      '/products',
      '/consult',
    ]);
    expect(manifest.features.shortcuts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ callback_id: 'tierdesk_create_ticket', type: 'message' }),
        expect.objectContaining({ callback_id: 'tierdesk_mark_solution', type: 'message', name: 'Mark as solution' }),
      ]),
    );
  });

  it('asks for the scopes and events peer support uses', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining([
        'reactions:read',
        'reactions:write',
        'usergroups:read',
        'usergroups:write',
        'channels:history',
        'groups:history',
        'commands',
        'chat:write',
      ]),
    );
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(['message.channels', 'message.groups', 'reaction_added']),
    );
  });
});
