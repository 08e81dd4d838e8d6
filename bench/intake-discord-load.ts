/**
 * The other side of the Discord intake bench, in its own process: the fake Discord (REST and
 * gateway) dispatching `/ticket new` interactions at a fixed rate, and timing each one from dispatch
 * to its interaction callback. Talks to the parent over IPC.
 */
import { chatInputCommand, guild, member, startFakeDiscord, textChannel, user } from '../test/fakes/discord/index.js';

type FromParent = { type: 'load'; rate: number; seconds: number; tag?: string } | { type: 'cards'; channel: string } | { type: 'stop' };

const APP = '900000000000000001';
const requester = user({ id: '100000000000000010', username: 'rita' });
const owner = user({ id: '100000000000000004', username: 'olga' });
const support = textChannel({ id: '200000000000000009', name: 'support' });
const desk = textChannel({ id: '200000000000000001', name: 'l1-desk' });
const community = guild({ id: '400000000000000001', name: 'Community', owner, channels: [support, desk], members: [member(requester)] });

const discord = await startFakeDiscord({ token: 'bench-token', applicationId: APP, guilds: [community] });
process.send!({ type: 'ready', apiUrl: discord.apiUrl, guild: community.id, desk: desk.id, support: support.id, app: APP });

process.on('message', async (msg: FromParent) => {
  if (msg.type === 'cards') {
    process.send!({
      type: 'cards',
      count: discord.rest.calls((c) => c.route === 'POST /channels/:channel/messages' && c.params.channel === msg.channel && c.status === 200).length,
    });
  } else if (msg.type === 'stop') {
    await discord.stop();
    process.exit(0);
  } else if (msg.type === 'load') {
    const total = msg.rate * msg.seconds;
    const sentAt = new Map<string, number>();
    const start = Date.now();
    for (let i = 0; i < total; i++) {
      const wait = start + (i * 1000) / msg.rate - Date.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const interaction = chatInputCommand(discord.context({ channel: support.id, user: requester.id }), {
        name: 'ticket',
        subcommand: 'new',
        options: { title: `Printer ${msg.tag ?? 'bench'} ${i} on fire`, urgency: 'high' },
      });
      sentAt.set(interaction.id, Date.now());
      void discord.gateway.interactionCreate(interaction);
    }
    const sendSeconds = (Date.now() - start) / 1000;
    // Every interaction's first callback (the deferral), timed by the fake when it arrived.
    const callbacks = () => discord.rest.calls((c) => c.route === 'POST /interactions/:interaction/:token/callback');
    for (let i = 0; i < 600 && callbacks().length < total; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    const acks: number[] = [];
    const seen = new Set<string>();
    for (const c of callbacks()) {
      const id = String(c.params.interaction);
      const at = sentAt.get(id);
      if (at !== undefined && !seen.has(id) && c.status === 204) {
        seen.add(id);
        acks.push(c.at - at);
      }
    }
    process.send!({ type: 'done', acks, failures: total - acks.length, sendSeconds });
  }
});
