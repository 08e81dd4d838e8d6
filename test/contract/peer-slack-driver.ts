import { findMessageByPlatformId } from '../../src/store/messages.js';
import { botReactions, markAsSolution, PEER, react, say } from '../adapters/slack/peer-support.js';
import { EMPLOYEE, OLGA, posted, startSlackDesk, type SlackDesk } from '../adapters/slack/support.js';
import { NO_BUTTON, PEER_CONTRACT_YAML, type PeerDriver } from './peer-driver.js';

type Json = Record<string, unknown>;
interface Button {
  type: 'button';
  action_id: string;
  value?: string;
  text: { text: string };
}

/** Slack's three escapes undone, so texts compare with the other platforms'. */
const unescape = (text: string) => text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
const text = (answer: { text: string } | undefined) => (answer ? unescape(answer.text) : undefined);

/**
 * Slack through the real Bolt App against the fake Slack: a top-level message in the peer channel
 * is the question, the helper answers in its thread, the asker's ✅ reaction (or the "Mark as
 * solution" message shortcut) marks the answer; `/helpers`, `/kb` and `/ticket` are slash commands
 * answered only to whoever typed them, and the offer's buttons are pressed on that ephemeral answer.
 */
export async function startSlackPeerDriver(gesture: 'reaction' | 'menu'): Promise<PeerDriver> {
  const t = await startSlackDesk({ yaml: PEER_CONTRACT_YAML });
  /** Each question's root message (its ts) and the helper's answer in its thread. */
  const roots = new Map<number, string>();
  const answers = new Map<number, string>();
  const root = async (n: number) => (await posted(t, `question:${n}`)).message_id;

  /** A slash command by the asker; the answer Slack showed them (in the ack, or through response_url if the core was slow). */
  async function slash(command: string, text: string): Promise<{ text: string; blocks?: Json[]; response_type?: string } | undefined> {
    const sent = await t.sender.slashCommand({ command, text, user_id: EMPLOYEE, channel_id: 'C0RANDOM' });
    const { reply } = await t.handled(sent.triggerId);
    await t.desk.dispatcher.drain();
    if (!reply) return undefined;
    const acked = sent.json as { text?: string; blocks?: Json[]; response_type?: string } | undefined;
    if (typeof acked?.text === 'string') return acked as { text: string };
    return (await t.slack.web.waitForResponse(sent.responseUrl)).body as { text: string; blocks?: Json[]; response_type?: string };
  }

  /** The asker presses a button on an ephemeral answer: Slack sends its container and a response_url, no message. */
  async function pressEphemeral(button: Button): Promise<string | undefined> {
    const ws = t.slack.web.workspace;
    const responseUrl = t.slack.web.issueResponseUrl('actions');
    const sent = await t.sender.interaction({
      type: 'block_actions',
      user: EMPLOYEE,
      channel: 'C0RANDOM',
      response_url: responseUrl,
      state: { values: {} },
      container: { type: 'message', message_ts: ws.nextTs(), channel_id: 'C0RANDOM', is_ephemeral: true },
      actions: [{ ...button, block_id: 'b1', action_ts: ws.nextTs() }],
    });
    const { reply } = await t.handled(sent.triggerId!);
    await t.desk.dispatcher.drain();
    if (!reply) return undefined;
    return unescape(((await t.slack.web.waitForResponse(responseUrl)).body as { text: string }).text);
  }

  return {
    platform: 'slack',
    gesture,
    askerName: 'erin',
    helperName: 'olga',
    async ask(question) {
      const asked = await say(t, EMPLOYEE, question);
      const row = await findMessageByPlatformId(t.db, 'slack', PEER, asked.ts);
      const number = Number(/^question:(\d+)$/.exec(row?.key ?? '')?.[1]);
      if (!Number.isInteger(number)) throw new Error(`the message ${asked.ts} did not become a question`);
      roots.set(number, asked.ts);
      return { number, answer: asked.handled.reply ? asked.handled.reply.text : undefined };
    },
    async answer(n, text) {
      const written = await say(t, OLGA, text, await root(n));
      answers.set(n, written.ts);
      return written.handled.reply ? written.handled.reply.text : undefined;
    },
    async markSolution(n) {
      const ts = answers.get(n);
      if (!ts) throw new Error(`Q${n} has no answer to mark`);
      const thread = await root(n);
      if (gesture === 'reaction') {
        // The ✅'s answer reaches the asker alone, in the thread (an ephemeral message).
        const sent = await react(t, EMPLOYEE, ts);
        const { reply } = await t.handled(sent.eventId);
        await t.desk.dispatcher.drain();
        if (!reply) return undefined;
        const shown = await t.slack.web.waitForCall('chat.postEphemeral', (c) => c.args.user === EMPLOYEE && c.args.thread_ts === thread);
        return unescape(String(shown.args.text));
      }
      const used = await markAsSolution(t, EMPLOYEE, ts);
      const { reply } = await t.handled(used.triggerId);
      await t.desk.dispatcher.drain();
      if (!reply) return undefined;
      return unescape(((await t.slack.web.waitForResponse(used.responseUrl)).body as { text: string }).text);
    },
    helpers: async (period) => text(await slash('/helpers', period)),
    kbSearch: async (words) => text(await slash('/kb', `search ${words}`)),
    async newTicket(title) {
      const answer = await slash('/ticket', `new ${title}`);
      const buttons = (answer?.blocks ?? []).filter((b) => b.type === 'actions').flatMap((b) => b.elements as Button[]);
      return {
        text: unescape(answer?.text ?? ''),
        onlyToAsker: answer?.response_type === 'ephemeral',
        buttons: buttons.map((b) => b.text.text),
        async openAnyway() {
          const open = buttons.find((b) => b.action_id === 'tierdesk:deflect.open');
          if (!open) return NO_BUTTON;
          return pressEphemeral(open);
        },
      };
    },
    threadSaw(n) {
      const rootTs = roots.get(n);
      return rootTs ? seenIn(rootTs) : [];
    },
    whereIs(n) {
      const [root, answer] = [roots.get(n), answers.get(n)];
      if (!root) throw new Error(`no question ${n}`);
      const base = `https://${t.slack.web.workspace.team.teamDomain}.slack.com/archives/${PEER}/p`;
      return {
        question: base + root.replace('.', ''),
        answer: answer ? `${base}${answer.replace('.', '')}?thread_ts=${root}&cid=${PEER}` : undefined,
      };
    },
    labels(n) {
      const root = roots.get(n);
      return root ? botReactions(t, root) : [];
    },
    db: t.db,
    close: () => (t as SlackDesk).close(),
  };

  function seenIn(rootTs: string): string[] {
    // Every version: what tierdesk posted or edited in the thread, and what people wrote there.
    const bot = t.slack.web
      .calls()
      .filter(
        (c) =>
          (c.method === 'chat.postMessage' || c.method === 'chat.update') &&
          c.args.channel === PEER &&
          (c.args.thread_ts === rootTs || c.args.ts === rootTs),
      );
    const people = t.slack.web.messagesIn(PEER).filter((m) => m.bot_id === undefined && (m.thread_ts === rootTs || m.ts === rootTs));
    return [...bot.map((c) => unescape(String(c.args.text))), ...people.map((m) => unescape(String(m.text)))];
  }
}
