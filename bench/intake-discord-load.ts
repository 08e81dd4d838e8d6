/**
 * Discord's side of the Discord intake bench, in its own process: the fake Discord (REST and gateway)
 * dispatching `/ticket new` interactions at a fixed offered rate (open loop: each leaves at its planned
 * instant, whatever tierdesk does), and accounting for every one by its first interaction callback:
 * answered (204, within Discord's 3 s on the fake's clock; timed from dispatch to the callback's
 * arrival), late (refused by the fake with 10062, as Discord refuses an answer after 3 s), failed (any
 * other refusal) or unanswered (no callback at all). How late the generator itself dispatched and how
 * long this process's event loop stalled are reported apart, so that the fake's own delays are seen
 * and never taken for tierdesk's. Talks to the parent over IPC.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { BUSY_REPLY, QUEUED_REPLY } from '../src/intake-port.js';
import { chatInputCommand, guild, member, startFakeDiscord, textChannel, user, type RecordedCall } from '../test/fakes/discord/index.js';

type FromParent =
  | { type: 'load'; rate: number; seconds: number; tag: string }
  /** How many of the tag's deferred or queued interactions got their answer (`@original` edited). */
  | { type: 'followups'; tag: string }
  | { type: 'cards'; channel: string }
  | { type: 'stop' };

/** One phase of load, as the platform saw it. */
export interface PhaseDone {
  offered: number;
  /** Ack times (ms, dispatch to the first callback's arrival) of the interactions answered in time. */
  acks: number[];
  /** Answered within 3 s: with the result, a deferral, "queued" or "refused". */
  answered: number;
  deferred: number;
  queued: number;
  refused: number;
  /** First callback refused as late (10062: after Discord's 3 s). */
  late: number;
  /** First callback refused for another reason (a malformed answer). */
  failed: number;
  /** No callback at all within 10 s of the last dispatch. */
  unanswered: number;
  /** Indices (in the phase) of the interactions acknowledged with a result, a deferral or "queued": each must make one ticket. */
  acknowledged: number[];
  /** The most an interaction left after its planned instant (the generator's own lag), ms. */
  lagMaxMs: number;
  /** This process's event-loop delay over the phase (p99 and max, ms): the fake's own stalls. */
  fakeLoopDelayP99Ms: number;
  fakeLoopDelayMaxMs: number;
  /** CPU this process spent on the phase (dispatching, answering callbacks, taking cards), ms. */
  fakeCpuMs: number;
  sendSeconds: number;
}

const APP = '900000000000000001';
const requester = user({ id: '100000000000000010', username: 'rita' });
const owner = user({ id: '100000000000000004', username: 'olga' });
const support = textChannel({ id: '200000000000000009', name: 'support' });
const desk = textChannel({ id: '200000000000000001', name: 'l1-desk' });
const community = guild({ id: '400000000000000001', name: 'Community', owner, channels: [support, desk], members: [member(requester)] });
const CALLBACK = 'POST /interactions/:interaction/:token/callback';
const WEBHOOK_EDIT = 'PATCH /webhooks/:app/:token/messages/:message';
/** After the last dispatch, how long to wait for callbacks: Discord refuses any after 3 s. */
const SETTLE_MS = 10_000;

const discord = await startFakeDiscord({ token: 'bench-token', applicationId: APP, guilds: [community] });
const context = discord.context({ channel: support.id, user: requester.id });
process.send!({ type: 'ready', apiUrl: discord.apiUrl, guild: community.id, desk: desk.id, support: support.id, app: APP });

interface Sent {
  index: number;
  at: number;
  token: string;
  first?: RecordedCall;
}
/** Interactions by id; per tag, the tokens of those answered later (deferred or queued: the answer edits `@original`). */
const sent = new Map<string, Sent>();
const laterTokens = new Map<string, Set<string>>();
const followedUp = new Set<string>();
let scanned = 0;

/** Reads the calls recorded since the last scan: each interaction's first callback, and edits of queued answers. */
function scan(): void {
  const calls = discord.rest.calls();
  for (; scanned < calls.length; scanned++) {
    const c = calls[scanned]!;
    if (c.route === CALLBACK) {
      const s = sent.get(String(c.params.interaction));
      if (s && !s.first) s.first = c;
    } else if (c.route === WEBHOOK_EDIT && c.status === 200 && c.params.message === '@original') {
      followedUp.add(String(c.params.token));
    }
  }
}

process.on('message', (msg: FromParent) => {
  if (msg.type === 'load') void load(msg).then((done) => process.send!({ type: 'done', ...done }));
  else if (msg.type === 'followups') {
    scan();
    const tokens = [...(laterTokens.get(msg.tag) ?? [])];
    process.send!({ type: 'followups', count: tokens.filter((t) => followedUp.has(t)).length });
  } else if (msg.type === 'cards') {
    const posts = discord.rest.calls((c) => c.route === 'POST /channels/:channel/messages' && c.params.channel === msg.channel && c.status === 200);
    process.send!({ type: 'cards', count: posts.length });
  } else if (msg.type === 'stop') void discord.stop().then(() => process.exit(0));
});

async function load(msg: Extract<FromParent, { type: 'load' }>): Promise<PhaseDone> {
  const total = msg.rate * msg.seconds;
  const phase: Sent[] = [];
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const cpu = process.cpuUsage();
  let lagMaxMs = 0;
  const dispatch = (i: number) => {
    const interaction = chatInputCommand(context, {
      name: 'ticket',
      subcommand: 'new',
      options: { title: `Printer ${msg.tag} ${i} on fire`, urgency: 'high' },
    });
    const s: Sent = { index: i, at: Date.now(), token: interaction.token };
    sent.set(interaction.id, s);
    phase.push(s);
    void discord.gateway.interactionCreate(interaction).catch(() => undefined);
  };
  const start = performance.now();
  let i = 0;
  while (i < total) {
    const now = performance.now();
    // Dispatch every interaction whose planned instant has come, then sleep until the next one is due.
    for (; i < total && start + (i * 1000) / msg.rate <= now; i++) {
      lagMaxMs = Math.max(lagMaxMs, now - (start + (i * 1000) / msg.rate));
      dispatch(i);
    }
    if (i < total) await new Promise((resolve) => setTimeout(resolve, Math.max(0, start + (i * 1000) / msg.rate - performance.now())));
  }
  const sendSeconds = (performance.now() - start) / 1000;
  const settleBy = Date.now() + SETTLE_MS;
  for (scan(); phase.some((s) => !s.first) && Date.now() < settleBy; scan()) await new Promise((resolve) => setTimeout(resolve, 50));
  delay.disable();
  const used = process.cpuUsage(cpu);
  return {
    ...account(phase, msg.tag),
    offered: total,
    lagMaxMs: Math.round(lagMaxMs * 10) / 10,
    fakeLoopDelayP99Ms: Math.round(delay.percentile(99) / 1e5) / 10,
    fakeLoopDelayMaxMs: Math.round(delay.max / 1e5) / 10,
    fakeCpuMs: Math.round((used.user + used.system) / 1000),
    sendSeconds,
  };
}

type Accounted = Omit<PhaseDone, 'offered' | 'lagMaxMs' | 'fakeLoopDelayP99Ms' | 'fakeLoopDelayMaxMs' | 'fakeCpuMs' | 'sendSeconds'>;

/** Each interaction of a phase by its first callback. */
function account(phase: readonly Sent[], tag: string): Accounted {
  const done: Accounted = { acks: [], answered: 0, deferred: 0, queued: 0, refused: 0, late: 0, failed: 0, unanswered: 0, acknowledged: [] };
  const later = new Set<string>();
  laterTokens.set(tag, later);
  for (const s of phase) {
    const c = s.first;
    if (!c) done.unanswered++;
    else if (c.status === 404 && (c.response as { code?: number } | undefined)?.code === 10062) done.late++;
    else if (c.status !== 204) done.failed++;
    else {
      done.answered++;
      done.acks.push(c.at - s.at);
      const body = c.body as { type?: number; data?: { content?: string } };
      const content = body.data?.content;
      if (content === BUSY_REPLY) done.refused++;
      else {
        done.acknowledged.push(s.index);
        if (body.type === 5) done.deferred++;
        if (content === QUEUED_REPLY) done.queued++;
        if (body.type === 5 || content === QUEUED_REPLY) later.add(s.token);
      }
    }
  }
  return done;
}
