import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ANN, EMPLOYEE, OLGA, type SlackDesk } from './support.js';
import { PEER, botReactions, botRepliesIn, markAsSolution, react, say, shown, startPeerDesk } from './peer-support.js';

// A bot's message is no one's answer: "Mark as solution" on one is refused by the adapter, and a
// ✅ on one is not forwarded. Neither reaches the core, so no question is solved by a bot and no
// points go to one.

let t: SlackDesk;
beforeEach(async () => {
  t = await startPeerDesk();
});
afterEach(async () => {
  await t.close();
});

const question = (n: number) => t.db.selectFrom('peer_questions').selectAll().where('number', '=', n).executeTakeFirstOrThrow();
const reachedCore = (id: string) => t.inbound.some((h) => JSON.stringify(h.event.raw ?? null).includes(id));

/** Q1 solved by Olga, then Ann's Q2 like it: tierdesk posts its "Similar questions" card in Q2's thread. */
async function similarCard() {
  const q1 = await say(t, EMPLOYEE, 'Projector in room 12 shows no signal');
  const a = await say(t, OLGA, 'Press the Input button twice to pick HDMI 2', q1.ts);
  await t.handled((await react(t, EMPLOYEE, a.ts)).eventId);
  await t.desk.dispatcher.drain();
  const q2 = await say(t, ANN, 'projector no signal in room 12 again');
  const card = botRepliesIn(t, q2.ts).find((m) => shown(m).includes('Similar questions and articles'));
  if (!card) throw new Error('no Similar questions card');
  return { q2, card };
}

describe('"Mark as solution" on a bot\'s message', () => {
  it("tierdesk's own Similar questions card: refused, to the presser alone; the core never hears of it", async () => {
    const { q2, card } = await similarCard();

    const used = await markAsSolution(t, ANN, card.ts);
    const answer = await t.slack.web.waitForResponse(used.responseUrl);

    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: "Mark a person's answer, not a bot's message." });
    expect(reachedCore(used.triggerId)).toBe(false);
    expect((await question(2)).status).toBe('open');
    expect(botReactions(t, q2.ts)).toEqual([]); // not labelled solved
  });

  it("another app's bot message (bot_id) in the thread: refused the same way", async () => {
    const q = await say(t, EMPLOYEE, 'Where do I download the VPN client?');
    const bot = t.slack.web.workspace.addMessage({
      channel: PEER,
      user: 'U0OTHERBOT',
      bot_id: 'B0OTHER',
      text: 'Here is a link: vpn.example.com',
      thread_ts: q.ts,
    });

    const used = await markAsSolution(t, EMPLOYEE, bot.ts);
    const answer = await t.slack.web.waitForResponse(used.responseUrl);

    expect(answer.body).toMatchObject({ text: "Mark a person's answer, not a bot's message." });
    expect(reachedCore(used.triggerId)).toBe(false);
    expect((await question(1)).status).toBe('open');
  });

  it("a person's answer still goes to the core", async () => {
    const q = await say(t, EMPLOYEE, 'Wi-Fi drops in room 4');
    const a = await say(t, OLGA, 'Join "office-5g" instead', q.ts);

    const used = await markAsSolution(t, EMPLOYEE, a.ts);
    await t.handled(used.triggerId);
    await t.desk.dispatcher.drain();

    expect((await question(1)).status).toBe('solved');
  });
});

describe("✅ on a bot's message", () => {
  it("the asker's ✅ on the Similar questions card is not forwarded: the question stays open", async () => {
    const { q2, card } = await similarCard();

    const sent = await react(t, ANN, card.ts);
    await vi.waitFor(() => expect(t.logger.lines.some((l) => l.msg.includes('reaction on a bot message') && l.fields?.ts === card.ts)).toBe(true));
    await t.desk.dispatcher.drain();

    expect(reachedCore(sent.eventId)).toBe(false);
    expect((await question(2)).status).toBe('open');
    expect(botReactions(t, q2.ts)).toEqual([]);
  });
});
