import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findMessage } from '../../../src/store/messages.js';
import { pressButton, submitView, viewOpenedWith } from './interactions.js';
import { ANN, EMPLOYEE, GUS, L1_DESK, OLGA, callsTo, messageText, type SlackDesk } from './support.js';
import { HELPERS, PEER, botReactions, botRepliesIn, markAsSolution, markupOf, react, say, shown, startPeerDesk } from './peer-support.js';

// Peer support in Slack, end to end: the real Bolt App against the fake Slack, the real core behind it.

let t: SlackDesk;
beforeEach(async () => {
  t = await startPeerDesk();
});
afterEach(async () => {
  await t.close();
});

const question = (n: number) => t.db.selectFrom('peer_questions').selectAll().where('number', '=', n).executeTakeFirstOrThrow();
const questionCount = async () => (await t.db.selectFrom('peer_questions').select('number').execute()).length;
const pointsOf = async (user: string) =>
  (await t.db.selectFrom('peer_points').select('points').where('person', 'like', `%${user}%`).execute()).reduce((n, r) => n + Number(r.points), 0);

/** Lets the scheduler run what is due after `ms`, and delivers what it queued. */
async function later(ms: number) {
  t.clock.advance(ms);
  await t.desk.scheduler.tick();
  await t.desk.dispatcher.drain();
}

describe('a question asked by hand', () => {
  it('a top-level message in the peer channel becomes question Q1, rooted at that message', async () => {
    const q = await say(t, EMPLOYEE, 'How do I connect to the office printer from Linux?');

    expect(await question(1)).toMatchObject({
      title: 'How do I connect to the office printer from Linux?',
      status: 'open',
      channel: PEER,
      platform: 'slack',
    });
    expect((await question(1)).link).toBe(`https://tierdesk-fake.slack.com/archives/${PEER}/p${q.ts.replace('.', '')}`);
    expect(await findMessage(t.db, 'question:1')).toMatchObject({ channel: PEER, message_id: q.ts, thread: null });
    expect(botRepliesIn(t, q.ts)).toEqual([]); // nothing similar yet: tierdesk keeps quiet
  });

  it('the answers in its thread are not questions', async () => {
    const q = await say(t, EMPLOYEE, 'Outlook will not sync');
    await say(t, OLGA, 'Did you try removing the account and adding it again?', q.ts);

    expect(await questionCount()).toBe(1);
    expect((await question(1)).answered_at).not.toBeNull();
  });
});

describe('marking the solution with ✅', () => {
  it("the asker's ✅ on an answer: ✅ on the question, a Solved note in the thread, points and the helper group", async () => {
    const q = await say(t, EMPLOYEE, 'The VPN client says certificate expired');
    const a = await say(t, OLGA, 'Run the Company Portal sync, it renews the certificate', q.ts);

    const sent = await react(t, EMPLOYEE, a.ts);
    const { reply } = await t.handled(sent.eventId);
    await t.desk.dispatcher.drain();

    expect(reply?.text).toMatch(/Marked olga's answer as the solution to Q1/);
    const labelled = await t.slack.web.waitForCall('reactions.add', (c) => c.args.name === 'white_check_mark');
    expect(labelled.args).toMatchObject({ channel: PEER, timestamp: q.ts });
    expect(botReactions(t, q.ts)).toEqual(['white_check_mark']);
    const solved = botRepliesIn(t, q.ts).find((m) => shown(m).includes('Solved'));
    expect(shown(solved!)).toContain(`p${a.ts.replace('.', '')}?thread_ts=${q.ts}`); // links the answer
    expect((await question(1)).status).toBe('solved');
    expect(await pointsOf(OLGA)).toBe(10);
    // 10 points reach the threshold: Olga joins the helpers' user group.
    const granted = await t.slack.web.waitForCall('usergroups.users.update');
    expect(granted.args).toEqual({ usergroup: HELPERS, users: OLGA });
    expect(t.slack.web.workspace.usergroups.get(HELPERS)).toEqual([OLGA]);
    expect((await t.slack.web.waitForCall('chat.postEphemeral', (c) => c.args.user === EMPLOYEE)).args).toMatchObject({
      channel: PEER,
      thread_ts: q.ts,
    });
  });

  it("someone else's ✅ is just a reaction: nothing labelled, nobody told", async () => {
    const q = await say(t, EMPLOYEE, 'Excel freezes on open');
    const a = await say(t, GUS, 'Start it in safe mode: excel /safe', q.ts);

    const sent = await react(t, OLGA, a.ts);
    const { reply } = await t.handled(sent.eventId);
    await t.desk.dispatcher.drain();

    expect(reply).toBeUndefined();
    expect(t.slack.web.calls('reactions.add')).toEqual([]);
    expect(t.slack.web.calls('chat.postEphemeral')).toEqual([]);
    expect((await question(1)).status).toBe('open');
  });
});

describe('the "Mark as solution" message shortcut', () => {
  it('by someone who did not ask: refused, to them alone', async () => {
    const q = await say(t, EMPLOYEE, 'Zoom has no sound');
    const a = await say(t, GUS, 'Pick the right speaker in the audio settings', q.ts);

    const used = await markAsSolution(t, OLGA, a.ts);
    const { event } = await t.handled(used.triggerId);
    const answer = await t.slack.web.waitForResponse(used.responseUrl);
    await t.desk.dispatcher.drain();

    expect(event).toMatchObject({
      kind: 'action',
      action: 'peer.solution',
      about: { id: a.ts, author: { id: GUS }, text: 'Pick the right speaker in the audio settings' },
      place: { channel: PEER, thread: q.ts },
    });
    expect(answer.body).toMatchObject({
      response_type: 'ephemeral',
      replace_original: false,
      text: expect.stringMatching(/Only erin, who asked Q1, or a moderator can mark its solution/),
    });
    expect(t.slack.web.calls('reactions.add')).toEqual([]);
    expect((await question(1)).status).toBe('open');
  });

  it('by the asker: solved, labelled, and they are told', async () => {
    const q = await say(t, EMPLOYEE, 'Wi-Fi drops in room 4');
    const a = await say(t, OLGA, 'Forget the network and join "office-5g" instead', q.ts);

    const used = await markAsSolution(t, EMPLOYEE, a.ts);
    await t.handled(used.triggerId);
    const answer = await t.slack.web.waitForResponse(used.responseUrl);
    await t.desk.dispatcher.drain();

    expect(answer.body).toMatchObject({ text: expect.stringMatching(/Marked olga's answer as the solution to Q1/) });
    expect(botReactions(t, q.ts)).toEqual(['white_check_mark']);
    expect((await question(1)).status).toBe('solved');
  });

  it('on the question itself: told to pick the answer', async () => {
    const q = await say(t, EMPLOYEE, 'Teams status stuck on away');
    const used = await markAsSolution(t, EMPLOYEE, q.ts);
    await t.handled(used.triggerId);

    expect((await t.slack.web.waitForResponse(used.responseUrl)).body).toMatchObject({ text: expect.stringMatching(/That is the question itself/) });
  });
});

describe('/ask', () => {
  it('with text: the question is posted in the peer channel as a top-level message, and the asker gets a link to the channel', async () => {
    const sent = await t.sender.slashCommand({
      command: '/ask',
      text: 'Is there a guest Wi-Fi? <!channel>',
      user_id: EMPLOYEE,
      channel_id: 'C0RANDOM',
    });
    await t.handled(sent.triggerId);
    await t.desk.dispatcher.drain();

    expect(sent.json).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(new RegExp(`^Question Q1 posted in <#${PEER}>`)) });
    const [posted] = callsTo(t, 'chat.postMessage', PEER);
    expect(posted!.args.thread_ts).toBeUndefined();
    expect(messageText(posted!.args)).toContain('Q1: Is there a guest Wi-Fi?');
    expect(messageText(posted!.args)).not.toContain('<!channel>');
    expect(await findMessage(t.db, 'question:1')).toMatchObject({ channel: PEER, message_id: (posted!.response as { ts: string }).ts });
  });

  it("an answer to a posted question, marked by the asker: ✅ on the bot's question message", async () => {
    const sent = await t.sender.slashCommand({ command: '/ask', text: 'How do I share my calendar?', user_id: EMPLOYEE, channel_id: 'C0RANDOM' });
    await t.handled(sent.triggerId);
    await t.desk.dispatcher.drain();
    const root = (await findMessage(t.db, 'question:1'))!.message_id;

    const a = await say(t, OLGA, 'Right-click the calendar → Sharing and permissions', root);
    const used = await markAsSolution(t, EMPLOYEE, a.ts);
    await t.handled(used.triggerId);
    await t.desk.dispatcher.drain();

    expect(botReactions(t, root)).toEqual(['white_check_mark']);
  });

  it('without text: a form; an empty question comes back into it, a real one is posted', async () => {
    const sent = await t.sender.slashCommand({ command: '/ask', text: '', user_id: EMPLOYEE, channel_id: 'C0RANDOM' });
    const view = await viewOpenedWith(t, sent.triggerId);
    expect(view.callback_id).toBe('tierdesk_form:ask');
    expect(view.blocks.map((b) => b.block_id)).toEqual(['title', 'question']);

    const refused = await submitView(t, EMPLOYEE, view, { title: '   ' });
    expect(refused.json).toEqual({ response_action: 'errors', errors: { title: expect.stringMatching(/needs some words/) } });
    expect(await questionCount()).toBe(0);

    const accepted = await submitView(t, EMPLOYEE, view, { title: 'Where do I find the VPN installer?', question: 'For macOS 14, Apple silicon' });
    await t.handled(view.id, 2);
    await t.desk.dispatcher.drain();

    expect(accepted.body).toBe('');
    expect(await question(1)).toMatchObject({ title: 'Where do I find the VPN installer?', body: 'For macOS 14, Apple silicon' });
    expect(callsTo(t, 'chat.postMessage', PEER)).toHaveLength(1);
    expect((await t.slack.web.waitForCall('chat.postEphemeral')).args).toMatchObject({
      channel: 'C0RANDOM',
      user: EMPLOYEE,
      text: expect.stringMatching(/Question Q1 posted/),
    });
  });
});

describe('an unanswered question', () => {
  it('after 30 minutes pings the helper group (and only it), then after 4 hours becomes an L1 ticket in the same thread', async () => {
    const q = await say(t, EMPLOYEE, 'Who can reset my badge? <!channel> <!here> <@U0ANN>');

    await later(31 * 60_000);
    const ping = botRepliesIn(t, q.ts).find((m) => shown(m).includes('Still unanswered'));
    expect(ping, 'the helper ping').toBeDefined();
    expect(ping!.text.startsWith(`<!subteam^${HELPERS}>`)).toBe(true);
    expect(
      shown(ping!)
        .match(/<!|<@/g)
        ?.every((m) => m === '<!'),
    ).toBe(true);
    expect(shown(ping!).match(/<![a-z^]+/g)).toEqual([`<!subteam^`, `<!subteam^`]); // text + block, nothing else
    // The question's words never ping anyone, wherever tierdesk repeats them.
    const markup = () =>
      t.slack.web
        .calls()
        .filter((c) => ['chat.postMessage', 'chat.update', 'chat.postEphemeral'].includes(c.method))
        .flatMap((c) => markupOf(c.args))
        .join('\n');
    expect(markup()).not.toMatch(/<!channel>|<!here>|<@U0ANN>/);

    await later(4 * 3_600_000);
    expect(botRepliesIn(t, q.ts).some((m) => shown(m).includes('Q1 is now ticket #1'))).toBe(true);
    expect(callsTo(t, 'chat.postMessage', L1_DESK)).toHaveLength(1);
    expect(messageText(callsTo(t, 'chat.postMessage', L1_DESK)[0]!.args)).toContain('Who can reset my badge?');
    expect(markup()).not.toMatch(/<!channel>|<!here>|<@U0ANN>/);
    expect(markup()).toContain('&lt;@U0ANN&gt;');
  });
});

describe('a quiet question', () => {
  it('is asked "still need help?" (the button keeps it open), then closed with 🔒; the asker writing again reopens it', async () => {
    const q = await say(t, EMPLOYEE, 'Can I install Docker on my laptop?');
    await say(t, OLGA, 'Ask IT for an exception', q.ts); // answered: no ping, no ticket

    await later(3 * 86_400_000 + 1000);
    const asked = botRepliesIn(t, q.ts).find((m) => shown(m).includes('Still need help?'));
    expect(asked).toBeDefined();
    const kept = await pressButton(t, EMPLOYEE, { channel: PEER, ts: asked!.ts }, 'peer.keep');
    const { event } = await t.handled(kept.triggerId);
    expect(event).toMatchObject({ kind: 'action', action: 'peer.keep', value: '1' });
    expect((await t.slack.web.waitForResponse(kept.responseUrl)).body).toMatchObject({
      text: 'Q1 stays open. Helpers can still answer in its thread.',
    });

    await later(3 * 86_400_000 + 1000);
    await later(2 * 86_400_000 + 1000);
    expect((await question(1)).status).toBe('closed');
    expect(botReactions(t, q.ts)).toEqual(['lock']);

    await say(t, EMPLOYEE, 'Still stuck, any other idea?', q.ts);
    expect((await question(1)).status).toBe('open');
    expect(botReactions(t, q.ts)).toEqual([]);
  });
});

describe('knowledge from solved questions', () => {
  it('a new question like a solved one gets it offered in its thread', async () => {
    const q1 = await say(t, EMPLOYEE, 'Projector in room 12 shows no signal');
    const a = await say(t, OLGA, 'Press the Input button twice to pick HDMI 2', q1.ts);
    await t.handled((await react(t, EMPLOYEE, a.ts)).eventId);
    await t.desk.dispatcher.drain();

    const q2 = await say(t, ANN, 'projector no signal in room 12 again');

    const similar = botRepliesIn(t, q2.ts).find((m) => shown(m).includes('Similar questions and articles'));
    expect(similar).toBeDefined();
    expect(shown(similar!)).toContain('Q1: Projector in room 12 shows no signal');
  });

  it('/helpers shows the leaderboard as a card', async () => {
    const q = await say(t, EMPLOYEE, 'How do I print double-sided?');
    const a = await say(t, OLGA, 'Printer properties → Finishing → Print on both sides', q.ts);
    await t.handled((await react(t, EMPLOYEE, a.ts)).eventId);

    const sent = await t.sender.slashCommand({ command: '/helpers', text: 'week', user_id: EMPLOYEE, channel_id: 'C0RANDOM' });

    expect(sent.json).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('olga: 10 points') });
    expect(JSON.stringify((sent.json as { blocks: unknown }).blocks)).toContain('olga: 10 points');
  });
});
