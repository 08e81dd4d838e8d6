/**
 * Messages people write to tierdesk: in a ticket's private thread or a peer forum post (relayed to
 * the conversation), and in their DM with the bot outside any ticket's thread (`direct`: in a DM,
 * everything is tierdesk's business). The answer to a DM goes back in the DM, with its buttons.
 */
import { Events, type Channel, type Client, type Message } from 'discord.js';
import type { Inbound, Place, Reply } from '../../src/ports.js';
import type { PeerEditsContext } from './peer-edits.js';
import { cut, renderCard } from './render.js';

export interface ConversationsContext extends PeerEditsContext {
  placeOf: (channel: Channel | null | undefined, channelId: string, guildId: string) => Place;
  /** The served guild a person belongs to, for what they do outside any guild (a DM). */
  homeOf: (userId: string) => Promise<{ space: string; member: Parameters<PeerEditsContext['person']>[0] }>;
}

export function followConversations(client: Client, ctx: ConversationsContext): void {
  client.on(Events.MessageCreate, (message: Message) => {
    const deliver = ctx.deliver();
    if (!deliver || message.author.bot) return;
    if (!message.guildId) {
      if (message.channel.isDMBased()) relayDirect(message, deliver, ctx);
      return;
    }
    if (!ctx.guilds.has(message.guildId) || !message.channel.isThread()) return;
    const from = ctx.person(message.member, message.author, message.guildId);
    // In a peer forum the place names the forum and the post; the post's starter message has the post's id.
    const place = ctx.placeOf(message.channel, message.channelId, message.guildId);
    const peer = place.thread !== undefined;
    void deliver({
      kind: 'message',
      text: message.content,
      key: `discord:message:${message.id}`,
      at: message.createdTimestamp,
      from,
      place,
      ...(peer ? { id: message.id, link: message.url } : {}),
      ...(peer && message.id === message.channelId ? { title: message.channel.name } : {}),
    })
      .then(async (reply) => {
        if (!reply) return;
        // Others read this thread: an acknowledgement is a reaction; only a refusal is written out.
        if (reply.quiet) await message.react('✅');
        else await message.reply({ content: cut(reply.text, 2000, 'see /ticket show'), allowedMentions: { parse: [] } });
      })
      .catch((err) => ctx.logger.error('discord message failed', { error: (err as Error).message }));
  });
}

/** A message in the person's DM with the bot: the core decides where it goes; its answer (and buttons) come back in the DM. */
function relayDirect(message: Message, deliver: (event: Inbound) => Promise<Reply | void>, ctx: ConversationsContext): void {
  void (async () => {
    const home = await ctx.homeOf(message.author.id);
    const reply = await deliver({
      kind: 'message',
      text: message.content,
      direct: true,
      id: message.id,
      key: `discord:message:${message.id}`,
      at: message.createdTimestamp,
      from: ctx.person(home.member, message.author, home.space),
      place: { platform: 'discord', space: home.space, channel: message.channelId },
    });
    // Nobody else reads a DM: even an acknowledgement (where the words went) is written out.
    if (!reply) return;
    const body = reply.card ? renderCard(reply.card) : { content: cut(reply.text, 2000, 'see /ticket show') };
    await message.reply({ ...body, allowedMentions: { parse: [] } });
  })().catch((err) => ctx.logger.error('discord direct message failed', { error: (err as Error).message }));
}
