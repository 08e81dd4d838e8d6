import { actWithText, pressButton, submitView, viewOpenedWith } from '../adapters/slack/interactions.js';
import { ANN, BOB, EMPLOYEE, messageText, posted, startSlackDesk, ticketMessages, ticketRow, type SlackDesk } from '../adapters/slack/support.js';
import { CONTRACT_YAML } from './config.js';
import { pageStatus, ticketOutcome, type Agent, type DeskDriver, type OnCallDriver } from './driver.js';

const USERS: Record<Agent, string> = { ann: ANN, bob: BOB };

/**
 * Slack through the real Bolt App against the fake Slack: the intake modal, card buttons (and
 * their modals), messages in the DM thread (the requester) and in the card's thread (agents' notes).
 */
export async function startSlackDriver(): Promise<DeskDriver> {
  const t = await startSlackDesk({ yaml: CONTRACT_YAML });

  /** The card of ticket `n` in its current tier's channel. */
  const cardOf = async (n: number) => (await ticketMessages(t, n, (await ticketRow(t, n)).tier)).card;
  const settled = async (id: string) => {
    const { reply } = await t.handled(id);
    await t.desk.dispatcher.drain();
    return reply ? reply.text : undefined;
  };
  const writeInThread = async (user: string, parent: { channel: string; ts: string }, text: string) =>
    settled((await t.sender.event({ type: 'message', channel: parent.channel, user, text, thread_ts: parent.ts })).eventId);
  /** Press the button and write `text` into its form's field (the argument it fills: `text`, `reason`, `resolution`). */
  const withText = async (agent: Agent, n: number, action: string, field: string, text: string) =>
    (await actWithText(t, USERS[agent], await cardOf(n), action, { [field]: text })).handled.reply?.text;
  const seen = (channel: string) =>
    t.slack.web
      .calls()
      .filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && c.args.channel === channel)
      .map((c) => messageText(c.args));

  return {
    platform: 'slack',
    requesterName: 'erin',
    async open(title, urgency) {
      const sent = await t.sender.slashCommand({ command: '/ticket', text: '', user_id: EMPLOYEE, channel_id: 'C0RANDOM' });
      const view = await viewOpenedWith(t, sent.triggerId);
      await submitView(t, EMPLOYEE, view, { title, urgency });
      const answer = await settled(view.id);
      const number = Number(/#(\d+) opened/.exec(answer ?? '')?.[1]);
      if (!Number.isInteger(number)) throw new Error(`no ticket opened: ${answer}`);
      return number;
    },
    async claim(agent, n) {
      return settled((await pressButton(t, USERS[agent], await cardOf(n), 'claim')).triggerId);
    },
    replyPublic: (agent, n, text) => withText(agent, n, 'reply', 'text', text),
    note: async (agent, n, text) => writeInThread(USERS[agent], await cardOf(n), text),
    requesterWrites: async (n, text) => writeInThread(EMPLOYEE, (await ticketMessages(t, n)).dm, text),
    escalate: (agent, n, reason) => withText(agent, n, 'escalate', 'reason', reason),
    resolve: (agent, n, text) => withText(agent, n, 'resolve', 'resolution', text),
    async confirm(n) {
      const dm = await posted(t, `ticket:${n}:requester`);
      return settled(
        (await t.sender.slashCommand({ command: '/ticket', text: `confirm ${n}`, user_id: EMPLOYEE, channel_id: dm.channel })).triggerId,
      );
    },
    requesterSaw: () => {
      const dm = t.slack.web.calls('chat.postMessage').find((c) => String(c.args.channel).startsWith('D'));
      return dm ? seen(String(dm.args.channel)) : [];
    },
    agentsSaw: (tier) => seen(tier === 'L1' ? 'C0L1DESK' : 'C0L2DESK'),
    ticket: (n) => ticketOutcome(t.db, n),
    oncall: slackOnCall(t),
    close: () => (t as SlackDesk).close(),
  };
}

/** On call in Slack: `/oncall` and `/ticket page N` typed, the page acknowledged with the Acknowledge button on the page DM. */
function slackOnCall(t: SlackDesk): OnCallDriver {
  const typed = async (agent: Agent, command: string, text: string) => {
    const sent = await t.sender.slashCommand({ command, text, user_id: USERS[agent], channel_id: 'C0RANDOM' });
    const { reply } = await t.handled(sent.triggerId);
    await t.desk.dispatcher.drain();
    return reply?.text;
  };
  return {
    whoIsOnCall: (agent) => typed(agent, '/oncall', ''),
    page: (agent, n) => typed(agent, '/ticket', `page ${n}`),
    async acknowledge(agent, n) {
      const dm = t.slack.web.workspace.dmWith(USERS[agent]);
      const page = await t.slack.web.waitForCall('chat.postMessage', (c) => c.args.channel === dm && messageText(c.args).includes(`Page: #${n}`));
      const pressed = await pressButton(t, USERS[agent], { channel: dm, ts: String((page.response as { ts: string }).ts) }, 'ack');
      const { reply } = await t.handled(pressed.triggerId);
      await t.desk.dispatcher.drain();
      return reply?.text;
    },
    pageStatus: (n) => pageStatus(t.db, n),
  };
}
