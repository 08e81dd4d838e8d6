import { once } from 'node:events';
import { ActionRowBuilder, ApplicationCommandOptionType, ApplicationCommandType, ButtonBuilder, ButtonStyle, ChannelType, Client } from 'discord.js';
import { DiscordAPIError, Events, GatewayIntentBits, HTTPError, MessageFlags, ModalBuilder, PermissionFlagsBits, RateLimitError } from 'discord.js';
import { RESTEvents, TextInputStyle, type APIInteraction, type ClientEvents, type ClientOptions, type ForumChannel } from 'discord.js';
import type { Interaction, RateLimitData, TextChannel } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buttonPress, chatInputCommand, forumChannel, guild, member, messageCommand, modalLayout, modalSubmit } from './discord/index.js';
import { role, startFakeDiscord, textChannel, user, type FakeDiscord } from './discord/index.js';

// The real discord.js Client against the fake over loopback. No sleeps: every wait is on an event
// the client emits or a request the fake records. The clock is fake (interaction deadlines).

const TOKEN = 'fake-bot-token.for-tierdesk';
const APP = '1300000000000000001';
const alice = user({ username: 'alice', globalName: 'Alice' });
const bob = user({ username: 'bob' });
const owner = user({ username: 'owner' });
const l1 = role({ name: 'L1 agents', permissions: PermissionFlagsBits.ManageThreads, mentionable: true });
const desk = textChannel({ name: 'helpdesk' });
const agents = textChannel({ name: 'l1-agents' });
const peer = forumChannel({ name: 'peer-help', tags: ['printer', 'vpn'] });
const help = guild({ name: 'Help Desk', owner, roles: [l1], channels: [desk, agents, peer], members: [member(alice), member(bob, { roles: [l1] })] });
const INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent, GatewayIntentBits.DirectMessages];
const CALLBACK = 'POST /interactions/:interaction/:token/callback';
const POST_MESSAGE = 'POST /channels/:channel/messages';

let clock: number;
let discord: FakeDiscord;
const clients: Client[] = [];

beforeEach(async () => {
  clock = Date.UTC(2026, 0, 5, 9, 0);
  discord = await startFakeDiscord({ token: TOKEN, applicationId: APP, guilds: [help], now: () => clock });
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.destroy();
  await discord.stop();
});

/** A logged-in Client whose cache is filled (clientReady comes after the GUILD_CREATEs). */
async function login(options: Partial<ClientOptions> = {}): Promise<Client> {
  const client = new Client({ intents: INTENTS, ...options, rest: { api: discord.apiUrl, ...options.rest } });
  clients.push(client);
  const ready = once(client, Events.ClientReady);
  await client.login(TOKEN);
  await ready;
  return client;
}

function next<K extends keyof ClientEvents>(client: Client, event: K): Promise<ClientEvents[K]> {
  return once(client, event) as Promise<ClientEvents[K]>;
}

/** Delivers an interaction through the gateway; resolves with it as the client parsed it. */
async function interact(client: Client, payload: APIInteraction): Promise<Interaction> {
  const arrived = next(client, Events.InteractionCreate);
  await discord.gateway.interactionCreate(payload);
  return (await arrived)[0];
}

const asAlice = () => discord.context({ channel: desk.id, user: alice.id });
const textChannelOf = (client: Client, id: string) => client.channels.cache.get(id) as TextChannel;

describe('gateway', () => {
  it('logs in over loopback and fills the cache from READY and GUILD_CREATE', async () => {
    const started = performance.now();
    const client = await login();
    const loginMs = performance.now() - started;
    const cached = client.guilds.cache.get(help.id);
    expect([cached?.name, cached?.roles.everyone.id, cached?.channels.cache.get(desk.id)?.type]).toEqual([
      'Help Desk',
      help.id,
      ChannelType.GuildText,
    ]);
    expect((cached?.channels.cache.get(peer.id) as ForumChannel).availableTags.map((t) => t.name)).toEqual(['printer', 'vpn']);
    // Without GuildPresences, GUILD_CREATE lists only the bot; others are fetched over REST.
    expect([...(cached?.members.cache.keys() ?? [])]).toEqual([APP]);
    expect((await cached?.members.fetch(bob.id))?.roles.cache.has(l1.id)).toBe(true);
    expect([client.user?.id, client.application?.id]).toEqual([APP, APP]);

    const [session] = discord.gateway.sessions;
    expect(session).toMatchObject({
      shard: [0, 1],
      open: true,
      intents: INTENTS.reduce((all, bit) => all | bit, 0),
      identify: { compress: false, token: '[redacted]' },
    });
    expect(discord.gateway.connections[0]?.query).toEqual({ v: '10', encoding: 'json' });
    expect(discord.rest.calls('GET /gateway/bot')).toEqual([expect.objectContaining({ auth: 'bot', status: 200 })]);
    expect(loginMs).toBeLessThan(2_000);
  });

  it('resumes after op 7 and replays what was dispatched meanwhile, once', async () => {
    const client = await login();
    const said: string[] = [];
    client.on(Events.MessageCreate, (m) => void said.push(m.content));
    const resumed = discord.gateway.waitForResume();
    await discord.gateway.requestReconnect();
    await discord.gateway.messageCreate({ channelId: desk.id, authorId: alice.id, content: 'while away' });
    await resumed;
    if (!said.includes('while away')) await next(client, Events.MessageCreate);
    expect(said).toEqual(['while away']);
    expect(discord.gateway.connections.map((c) => c.path)).toEqual(['/', '/resume']);
    expect(discord.gateway.sessions).toHaveLength(1);
  });

  it('spreads guilds over shards when the client asks for the recommended count', async () => {
    await discord.stop();
    const onShard = (shard: number) => String(BigInt(3_000_000_000 + shard) << 22n);
    const second = guild({ id: onShard(1), name: 'Second', owner, channels: [textChannel({ name: 'general' })] });
    const first = guild({ id: onShard(0), name: 'First', owner, channels: [textChannel({ name: 'general' })] });
    discord = await startFakeDiscord({ token: TOKEN, applicationId: APP, guilds: [first, second], shards: 2, now: () => clock });
    const client = await login({ shards: 'auto' });
    expect(discord.gateway.sessions.map((s) => s.shard)).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect([client.guilds.cache.get(first.id)?.shardId, client.guilds.cache.get(second.id)?.shardId]).toEqual([0, 1]);
  });
});

describe('interactions', () => {
  it('parses /ticket new and answers an ephemeral reply with a 204 callback', async () => {
    const client = await login();
    const payload = chatInputCommand(asAlice(), { name: 'ticket', subcommand: 'new', options: { title: 'Printer on fire', urgency: 2 } });
    const interaction = await interact(client, payload);
    if (!interaction.isChatInputCommand()) throw new Error(`expected a chat input command, got ${interaction.type}`);
    const { options } = interaction;
    expect([interaction.commandName, options.getSubcommand(), options.getString('title'), options.getInteger('urgency')]).toEqual([
      'ticket',
      'new',
      'Printer on fire',
      2,
    ]);
    expect([interaction.id, interaction.channelId, interaction.guildId, interaction.user.id]).toEqual([payload.id, desk.id, help.id, alice.id]);
    await interaction.reply({ content: 'Ticket #1 opened', ephemeral: true });
    const [callback] = discord.rest.calls(CALLBACK);
    expect(callback).toMatchObject({
      status: 204,
      response: undefined,
      auth: 'none',
      params: { interaction: payload.id },
      query: { with_response: 'false' },
    });
    expect(callback?.body).toEqual({ type: 4, data: expect.objectContaining({ content: 'Ticket #1 opened', flags: MessageFlags.Ephemeral }) });
    expect(discord.world.messagesIn(desk.id)).toEqual([]);
  });

  it('defers, edits the reply, follows up; refuses an answer after 3 s on the fake clock', async () => {
    const client = await login();
    const slow = await interact(client, chatInputCommand(asAlice(), { name: 'ticket', subcommand: 'list' }));
    if (!slow.isRepliable()) throw new Error('not repliable');
    await slow.deferReply({ flags: MessageFlags.Ephemeral });
    const edited = await slow.editReply({ content: 'You have no open tickets' });
    await slow.followUp({ content: 'Tip: /ticket new', flags: MessageFlags.Ephemeral });
    expect(discord.rest.calls(CALLBACK)[0]?.body).toEqual({ type: 5, data: { flags: MessageFlags.Ephemeral } });
    const patch = discord.rest.calls('PATCH /webhooks/:app/:token/messages/:message')[0];
    expect(patch).toMatchObject({ params: { app: APP, message: '@original' }, body: { content: 'You have no open tickets' }, status: 200 });
    expect(edited.content).toBe('You have no open tickets');
    expect(discord.rest.calls('POST /webhooks/:app/:token')[0]).toMatchObject({ query: { wait: 'true' }, status: 200 });

    const late = await interact(client, chatInputCommand(asAlice(), { name: 'ticket', subcommand: 'list' }));
    clock += 3_001;
    if (!late.isRepliable()) throw new Error('not repliable');
    await expect(late.reply('too late')).rejects.toThrow(expect.objectContaining({ status: 404, code: 10062, message: 'Unknown interaction' }));
  });

  it('shows a modal (type 9) and parses its submission in both modal layouts', async () => {
    const client = await login();
    const command = await interact(client, chatInputCommand(asAlice(), { name: 'ticket' }));
    if (!command.isChatInputCommand()) throw new Error('expected a command');
    const input = (id: string, label: string) => (l: import('discord.js').LabelBuilder) =>
      l.setLabel(label).setTextInputComponent((t) => t.setCustomId(id).setStyle(TextInputStyle.Short));
    await command.showModal(
      new ModalBuilder().setCustomId('ticket:new').setTitle('New ticket').addLabelComponents(input('title', 'Title'), input('details', 'Details')),
    );
    const shown = discord.rest.calls(CALLBACK)[0]?.body as { type: number; data: { custom_id: string; title: string } };
    expect(shown).toMatchObject({ type: 9, data: { custom_id: 'ticket:new', title: 'New ticket' } });
    expect(modalLayout(shown.data)).toBe('labels');
    for (const layout of ['labels', 'rows'] as const) {
      const submitted = await interact(
        client,
        modalSubmit(asAlice(), { customId: 'ticket:new', layout, fields: { title: 'VPN down', details: 'since 9:00' } }),
      );
      if (!submitted.isModalSubmit()) throw new Error('expected a modal submission');
      expect([submitted.customId, submitted.fields.getTextInputValue('title'), submitted.fields.getTextInputValue('details')]).toEqual([
        'ticket:new',
        'VPN down',
        'since 9:00',
      ]);
    }
  });

  it('shows a string select in a modal only inside a label, with 1 to 25 options, and hands back the chosen value', async () => {
    const client = await login();
    const options = (n: number) => Array.from({ length: n }, (_, i) => ({ label: `Option ${i}`, value: `o${i}` }));
    const modal = (n: number) =>
      new ModalBuilder()
        .setCustomId('pick')
        .setTitle('Pick one')
        .addLabelComponents((l) => l.setLabel('Urgency').setStringSelectMenuComponent((m) => m.setCustomId('urgency').addOptions(options(n))));
    const tooMany = await interact(client, chatInputCommand(asAlice(), { name: 'ticket' }));
    if (!tooMany.isChatInputCommand()) throw new Error('expected a command');
    // discord.js checks 25 itself: the raw body is what Discord would refuse.
    await expect(
      client.rest.post(`/interactions/${tooMany.id}/${tooMany.token}/callback`, {
        body: { type: 9, data: { ...modal(2).toJSON(), components: [{ type: 1, components: [{ type: 3, custom_id: 'u', options: options(26) }] }] } },
      }),
    ).rejects.toThrow(expect.objectContaining({ status: 400, code: 50035 }));

    const command = await interact(client, chatInputCommand(asAlice(), { name: 'ticket' }));
    if (!command.isChatInputCommand()) throw new Error('expected a command');
    await command.showModal(modal(3));
    const submitted = await interact(client, modalSubmit(asAlice(), { customId: 'pick', layout: 'labels', fields: { urgency: ['o2'] } }));
    if (!submitted.isModalSubmit()) throw new Error('expected a modal submission');
    expect(submitted.fields.getStringSelectValues('urgency')).toEqual(['o2']);
  });

  it('delivers button presses (update in place, type 7) and message context-menu commands', async () => {
    const client = await login();
    const claim = new ButtonBuilder().setCustomId('claim:7').setLabel('Claim').setStyle(ButtonStyle.Primary);
    const card = await textChannelOf(client, agents.id).send({
      content: 'Ticket #7: printer on fire',
      components: [new ActionRowBuilder<ButtonBuilder>().addComponents(claim)],
    });
    const press = await interact(
      client,
      buttonPress(discord.context({ channel: agents.id, user: bob.id }), { customId: 'claim:7', message: discord.world.message(agents.id, card.id) }),
    );
    if (!press.isButton()) throw new Error('expected a button');
    expect([press.customId, press.message.id, press.memberPermissions?.has(PermissionFlagsBits.ManageThreads)]).toEqual(['claim:7', card.id, true]);
    await press.update({ content: 'Ticket #7: claimed by bob', components: [] });
    expect(discord.rest.calls(CALLBACK)[0]?.body).toMatchObject({ type: 7 });
    expect(discord.world.message(agents.id, card.id).content).toBe('Ticket #7: claimed by bob');

    const question = await discord.gateway.messageCreate({ channelId: desk.id, authorId: alice.id, content: 'my laptop will not boot' });
    const menu = await interact(
      client,
      messageCommand(discord.context({ channel: desk.id, user: bob.id }), { name: 'Open ticket', target: question }),
    );
    if (!menu.isMessageContextMenuCommand()) throw new Error('expected a message command');
    expect([menu.commandName, menu.targetId, menu.targetMessage.content]).toEqual(['Open ticket', question.id, 'my laptop will not boot']);
  });
});

describe('REST', () => {
  it('sends, edits, opens a private thread, adds members, DMs, posts in a forum, grants a role', async () => {
    const client = await login();
    const channel = textChannelOf(client, desk.id);
    const sent = await channel.send({ content: 'Ticket #1', embeds: [{ title: 'Printer on fire', description: 'P2' }] });
    const edited = await sent.edit({ content: 'Ticket #1 (claimed)' });
    const thread = await channel.threads.create({ name: 'Ticket #1', type: ChannelType.PrivateThread, invitable: false });
    await expect(discord.gateway.messageCreate({ channelId: thread.id, authorId: alice.id, content: 'hello?' })).rejects.toThrow(
      /cannot see private thread/,
    );
    await thread.members.add(alice.id);
    const heard = next(client, Events.MessageCreate);
    await discord.gateway.messageCreate({ channelId: thread.id, authorId: alice.id, content: 'it is smoking now' });
    const [reply] = await heard;
    await thread.edit({ archived: true, locked: true });
    const notes = await sent.startThread({ name: 'Ticket #1 notes' });
    const dm = await client.users.createDM(alice.id);
    await dm.send('Your ticket #1 was resolved');
    const post = await (client.channels.cache.get(peer.id) as ForumChannel).threads.create({
      name: 'VPN drops hourly',
      message: { content: 'Anyone else?' },
    });
    await client.guilds.cache.get(help.id)?.members.addRole({ user: alice.id, role: l1.id });

    expect(discord.rest.calls(POST_MESSAGE)[0]).toMatchObject({
      auth: 'bot',
      status: 200,
      body: { content: 'Ticket #1', embeds: [{ title: 'Printer on fire', description: 'P2' }] },
    });
    expect([sent.author.id, edited.content, edited.editedTimestamp]).toEqual([APP, 'Ticket #1 (claimed)', clock]);
    expect(discord.rest.calls('POST /channels/:channel/threads')[0]?.body).toEqual({
      name: 'Ticket #1',
      type: 12,
      invitable: false,
      auto_archive_duration: 4320,
    });
    expect([thread.type, thread.parentId, client.channels.cache.has(thread.id)]).toEqual([ChannelType.PrivateThread, desk.id, true]);
    expect(discord.rest.calls('PUT /channels/:channel/thread-members/:user')[0]).toMatchObject({
      status: 204,
      params: { channel: thread.id, user: alice.id },
    });
    expect([reply.channelId, reply.content, reply.author.id, reply.member?.id]).toEqual([thread.id, 'it is smoking now', alice.id, alice.id]);
    expect(discord.world.channel(thread.id).thread_metadata).toMatchObject({ archived: true, locked: true });
    expect([notes.id, notes.type]).toEqual([sent.id, ChannelType.PublicThread]);
    expect(discord.world.messagesIn(dm.id).map((m) => m.content)).toEqual(['Your ticket #1 was resolved']);
    expect([post.type, discord.world.message(post.id, post.id).content]).toEqual([ChannelType.PublicThread, 'Anyone else?']);
    expect(discord.world.member(help.id, alice.id).roles).toEqual([l1.id]);
    expect(discord.rest.unhandled).toEqual([]);
  });

  it('registers application commands by bulk overwrite, keeping ids by name', async () => {
    const client = await login();
    const title = { type: ApplicationCommandOptionType.String as const, name: 'title', description: 'What is wrong', required: true };
    const ticket = {
      name: 'ticket',
      description: 'Open or manage a ticket',
      options: [{ type: ApplicationCommandOptionType.Subcommand as const, name: 'new', description: 'Open a ticket', options: [title] }],
    };
    const first = await client.application?.commands.set([ticket], help.id);
    const second = await client.application?.commands.set([ticket, { name: 'Open ticket', type: ApplicationCommandType.Message }], help.id);
    expect(second?.find((c) => c.name === 'ticket')?.id).toBe(first?.first()?.id);
    expect(discord.rest.calls('PUT /applications/:app/guilds/:guild/commands').map((c) => c.params)).toEqual([
      { app: APP, guild: help.id },
      { app: APP, guild: help.id },
    ]);
    expect((await client.application?.commands.fetch({ guildId: help.id }))?.map((c) => c.name).sort()).toEqual(['Open ticket', 'ticket']);
    await expect(client.application?.commands.set([{ name: 'Ticket', description: 'upper case is refused' }])).rejects.toMatchObject({
      status: 400,
      code: 50035,
    });
  });

  it('refuses what Discord refuses: a too-long embed description, an empty message', async () => {
    const channel = textChannelOf(await login(), desk.id);
    const tooLong = await channel.send({ embeds: [{ description: 'x'.repeat(4097) }] }).catch((e: unknown) => e);
    expect(tooLong).toMatchObject({ status: 400, code: 50035 });
    expect(String((tooLong as Error).message)).toContain('embeds[0].description[BASE_TYPE_MAX_LENGTH]');
    await expect(channel.send({ content: '' })).rejects.toMatchObject({ status: 400, code: 50006 });
  });
});

describe('rate limits and failures', () => {
  it('by default sleeps Retry-After (plus a 50 ms offset) and retries a 429 by itself; 5xx at once', async () => {
    const client = await login();
    const limited: RateLimitData[] = [];
    client.rest.on(RESTEvents.RateLimited, (info) => void limited.push(info));
    discord.rest.failNext(POST_MESSAGE, { status: 429, retryAfter: 0.05 });
    discord.rest.failNext(POST_MESSAGE, { status: 500 });
    const started = performance.now();
    const sent = await textChannelOf(client, desk.id).send('hello');
    expect(performance.now() - started).toBeGreaterThanOrEqual(50);
    expect(discord.rest.calls(POST_MESSAGE).map((c) => c.status)).toEqual([429, 500, 200]);
    expect(discord.world.messagesIn(desk.id).map((m) => m.id)).toEqual([sent.id]);
    expect(limited[0]).toMatchObject({ route: '/channels/:id/messages', method: 'POST', global: false, majorParameter: desk.id });
  });

  it('with restOptions() the 429, 5xx and 4xx reach the caller at once, for the outbox to retry', async () => {
    const client = await login({ rest: discord.restOptions() });
    const [deskChannel, agentChannel] = [textChannelOf(client, desk.id), textChannelOf(client, agents.id)];
    await deskChannel.send('zero');
    discord.rest.failNext(POST_MESSAGE, { status: 429, retryAfter: 5 });
    const limited = {
      constructor: RateLimitError,
      retryAfter: 5_000,
      global: false,
      scope: 'user',
      method: 'POST',
      route: '/channels/:id/messages',
      majorParameter: desk.id,
    };
    await expect(deskChannel.send('one')).rejects.toThrow(expect.objectContaining(limited));
    // The bucket (known from the first answer's X-RateLimit-Bucket) stays empty until its reset:
    // refused locally, no request made. Other channels are other buckets.
    await expect(deskChannel.send('two')).rejects.toBeInstanceOf(RateLimitError);
    await agentChannel.send('three');
    expect(discord.rest.calls(POST_MESSAGE).map((c) => [c.params.channel, c.status])).toEqual([
      [desk.id, 200],
      [desk.id, 429],
      [agents.id, 200],
    ]);
    discord.rest.failNext(POST_MESSAGE, { status: 502 });
    await expect(agentChannel.send('four')).rejects.toThrow(expect.objectContaining({ constructor: HTTPError, status: 502, method: 'POST' }));
    discord.rest.failNext(POST_MESSAGE, { status: 403, code: 50013, message: 'Missing Permissions' });
    await expect(agentChannel.send('five')).rejects.toThrow(
      expect.objectContaining({ constructor: DiscordAPIError, status: 403, code: 50013, message: 'Missing Permissions' }),
    );
    discord.rest.failNext(POST_MESSAGE, { status: 429, retryAfter: 5, global: true });
    await expect(agentChannel.send('six')).rejects.toMatchObject({ global: true, retryAfter: 5_000 });
    await expect(client.users.fetch(alice.id, { force: true })).rejects.toMatchObject({ global: true });
  });
});

describe('mentions and shutdown', () => {
  it('sends allowedMentions as allowed_mentions; the fake resolves who was really pinged', async () => {
    const text = `<@${alice.id}> <@&${l1.id}> @everyone the printer is on fire`;
    const careful = await login({ allowedMentions: { parse: [] } });
    const quiet = await textChannelOf(careful, desk.id).send(text);
    const aimed = await textChannelOf(careful, desk.id).send({ content: text, allowedMentions: { users: [alice.id] } });
    const loud = await textChannelOf(await login(), desk.id).send(text);
    expect(discord.rest.calls(POST_MESSAGE).map((c) => (c.body as { allowed_mentions?: unknown }).allowed_mentions)).toEqual([
      { parse: [] },
      { users: [alice.id] },
      undefined,
    ]);
    const pinged = (id: string) => {
      const { mention_everyone, mentions, mention_roles } = discord.world.message(desk.id, id);
      return { everyone: mention_everyone, users: mentions.map((u) => u.id), roles: mention_roles };
    };
    expect(pinged(quiet.id)).toEqual({ everyone: false, users: [], roles: [] });
    expect(pinged(aimed.id)).toEqual({ everyone: false, users: [alice.id], roles: [] });
    expect(pinged(loud.id)).toEqual({ everyone: true, users: [alice.id], roles: [l1.id] });
  });

  it('shuts down cleanly: destroy closes the socket with 1000, stop rejects waiters that never matched', async () => {
    const client = await login();
    await client.destroy();
    const closed = await discord.gateway.waitForDisconnect();
    const never = discord.rest.waitForCall('DELETE /channels/:channel/messages/:message');
    await discord.stop();
    expect(closed.closeCode).toBe(1000);
    expect(discord.gateway.sessions[0]).toMatchObject({ open: false, resumable: false });
    expect(client.isReady()).toBe(false);
    await expect(never).rejects.toThrow(/never happened/);
  });
});
