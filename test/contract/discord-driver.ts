import type { APIUser } from 'discord.js';
import type { APIMessage } from 'discord.js';
import { chatInputCommand } from '../fakes/discord/index.js';
import { actWithText, answered, command, modalShown, press, pressInDm, sendCommand, shown, submit, write } from '../adapters/discord/interactions.js';
import { ann, bob, l1Desk, l2Desk, posted, requester, startDiscordDesk, support, ticketRow } from '../adapters/discord/support.js';
import { CONTRACT_YAML } from './config.js';
import { pageStatus, ticketOutcome, type Agent, type DeskDriver, type OnCallDriver } from './driver.js';

const USERS: Record<Agent, APIUser> = { ann, bob };
const WRITES = ['POST /channels/:channel/messages', 'PATCH /channels/:channel/messages/:message'];

/**
 * Discord through the real discord.js Client against the fake Discord: the intake form, card
 * buttons and their forms, the requester's private thread in the tickets channel, and the thread
 * under each card in the agents' channel (where an agent's message is an internal note).
 */
export async function startDiscordDriver(): Promise<DeskDriver> {
  const t = await startDiscordDesk({ yaml: CONTRACT_YAML });

  const cardOf = async (n: number) => {
    const row = await posted(t, `ticket:${n}:card:${(await ticketRow(t, n)).tier}`);
    return { channel: row.channel, id: row.message_id };
  };
  const privateThread = async (n: number) => (await posted(t, `ticket:${n}:requester`)).channel;
  /** A channel and every thread under it (threads are channels of their own on Discord). */
  const withThreads = (parent: string) => [parent, ...[...t.discord.world.channels.values()].filter((c) => c.parent_id === parent).map((c) => c.id)];
  /** Every version of every message tierdesk wrote in these channels, and what people wrote there. */
  const seen = (channels: string[]) => [
    ...t.discord.rest
      .calls()
      .filter((c) => WRITES.includes(c.route) && channels.includes(c.params.channel ?? '') && c.status === 200)
      .map((c) => shown(c.body as object)),
    ...channels
      .flatMap((ch) => t.discord.world.messagesIn(ch))
      .filter((m) => m.author.id !== t.discord.ids.botUserId)
      .map(shown),
  ];

  const oncall: OnCallDriver = {
    async whoIsOnCall(agent) {
      const payload = chatInputCommand(t.discord.context({ channel: support.id, user: USERS[agent].id }), { name: 'oncall', subcommand: 'now' });
      return (await answered(t, payload, await t.discord.gateway.interactionCreate(payload))).handled.reply?.text;
    },
    page: async (agent, n) => (await command(t, USERS[agent], l1Desk.id, 'page', { number: n })).handled.reply?.text,
    /** The page came by DM: its Acknowledge button is pressed there (an interaction without a guild). */
    async acknowledge(agent, n) {
      const dm = t.discord.world.dms.get(USERS[agent].id);
      const page = dm
        ? t.discord.world.messagesIn(dm.id).findLast((m: APIMessage) => JSON.stringify(m.components ?? []).includes(`"tierdesk:ack:${n}`))
        : undefined;
      if (!page) throw new Error(`no page for #${n} reached ${agent} by DM`);
      return (await pressInDm(t, USERS[agent], page, 'ack')).handled.reply?.text;
    },
    pageStatus: (n) => pageStatus(t.db, n),
  };

  return {
    platform: 'discord',
    oncall,
    requesterName: 'rita',
    async open(title, urgency) {
      const form = await modalShown(t, (await sendCommand(t, requester, support.id, 'new')).payload);
      const answer = await submit(t, requester, support.id, form, { title, urgency });
      const number = Number(/#(\d+) opened/.exec(answer.text)?.[1]);
      if (!Number.isInteger(number)) throw new Error(`no ticket opened: ${answer.text}`);
      return number;
    },
    claim: async (agent, n) => (await press(t, USERS[agent], await cardOf(n), 'claim')).handled.reply?.text,
    replyPublic: async (agent, n, text) => (await actWithText(t, USERS[agent], await cardOf(n), 'reply', text)).handled.reply?.text,
    async note(agent, n, text) {
      const card = await cardOf(n);
      // tierdesk opens the card's thread on first use; before that, an agent uses the sub-command.
      if (!t.discord.world.channels.has(card.id))
        return (await command(t, USERS[agent], card.channel, 'note', { number: n, text })).handled.reply?.text;
      return (await write(t, USERS[agent], card.id, text)).handled.reply?.text;
    },
    requesterWrites: async (n, text) => (await write(t, requester, await privateThread(n), text)).handled.reply?.text,
    escalate: async (agent, n, reason) => (await actWithText(t, USERS[agent], await cardOf(n), 'escalate', reason)).handled.reply?.text,
    resolve: async (agent, n, text) => (await actWithText(t, USERS[agent], await cardOf(n), 'resolve', text)).handled.reply?.text,
    confirm: async (n) => (await command(t, requester, await privateThread(n), 'confirm', { number: n })).handled.reply?.text,
    requesterSaw: () => seen(withThreads(support.id).filter((id) => id !== support.id)),
    agentsSaw: (tier) => seen(withThreads(tier === 'L1' ? l1Desk.id : l2Desk.id)),
    ticket: (n) => ticketOutcome(t.db, n),
    close: () => t.close(),
  };
}
