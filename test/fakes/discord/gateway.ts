import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync } from 'node:zlib';
import { GatewayIntentBits, GatewayOpcodes } from 'discord.js';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { Recording } from '../recording.js';
import { GatewayEvents } from './gateway-events.js';
import { applicationFlags, PRIVILEGED_INTENTS, receives, validIntents, withoutContent } from './intents.js';
import { guildCreate, membersChunk, readyPayload } from './gateway-payloads.js';
import { shardOf } from './snowflake.js';
import type { Json } from './validate.js';
import type { DiscordWorld } from './world.js';

/** One identified gateway session (it survives reconnects that RESUME it). */
export interface GatewaySession {
  sessionId: string;
  /** `[shard_id, shard_count]` from IDENTIFY (`[0, 1]` when absent). */
  shard: [number, number];
  intents: number;
  /** IDENTIFY's `d`, with the token replaced by `[redacted]`. */
  identify: Json;
  /** The last sequence number sent. */
  seq: number;
  open: boolean;
  /** Closed with 1000/1001 (or invalidated): a RESUME gets op 9. */
  resumable: boolean;
  resumes: number;
  closeCode?: number;
}

/** One WebSocket connection: its path (`/` or `/resume`) and query (`v`, `encoding`, `compress`). */
export interface GatewayConnection {
  id: number;
  path: string;
  query: Record<string, string>;
  at: number;
  sessionId?: string;
  closeCode?: number;
  closeReason?: string;
}

/** A frame a client sent (tokens redacted). */
export interface ReceivedFrame {
  connection: number;
  sessionId?: string;
  op: number;
  d: unknown;
  at: number;
}

interface Live {
  conn: GatewayConnection;
  ws: WebSocket;
  compress: boolean;
  session?: SessionState;
}

interface SessionState {
  info: GatewaySession;
  buffer: Json[];
  live?: Live;
}

export interface GatewayOptions {
  world: DiscordWorld;
  token: string;
  /** Privileged intents switched on in the "developer portal"; default all three. */
  privilegedIntents?: number;
  heartbeatIntervalMs?: number;
}

/** Frames kept per session for RESUME replays. */
const REPLAY_BUFFER = 1000;

/**
 * Discord's gateway on `ws://127.0.0.1:PORT`: HELLO → IDENTIFY → READY + GUILD_CREATEs, heartbeat
 * ACKs, RESUME with replay, intents and shards honoured. Events go out through `dispatch` and the
 * helpers of `GatewayEvents`; each returns once the frames are written to the sockets.
 */
export class FakeDiscordGateway extends GatewayEvents {
  readonly #options: GatewayOptions;
  readonly #wss: WebSocketServer;
  readonly #sessions = new Map<string, SessionState>();
  readonly #live = new Set<Live>();
  readonly #connections = new Recording<GatewayConnection>();
  readonly #ready = new Recording<GatewaySession>();
  readonly #resumed = new Recording<GatewaySession>();
  readonly #disconnects = new Recording<GatewayConnection>();
  readonly #frames = new Recording<ReceivedFrame>();
  #port = 0;

  private constructor(options: GatewayOptions) {
    super(options.world);
    this.#options = options;
    this.#wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    this.#wss.on('connection', (ws, req) => this.#accept(ws, req));
  }

  static async start(options: GatewayOptions): Promise<FakeDiscordGateway> {
    const gateway = new FakeDiscordGateway(options);
    await once(gateway.#wss, 'listening');
    gateway.#port = (gateway.#wss.address() as AddressInfo).port;
    return gateway;
  }

  /** What `GET /gateway/bot` returns as `url`; the client appends `?v=10&encoding=json`. */
  get url(): string {
    return `ws://127.0.0.1:${this.#port}`;
  }

  get sessions(): readonly GatewaySession[] {
    return [...this.#sessions.values()].map((s) => s.info);
  }

  get connections(): readonly GatewayConnection[] {
    return this.#connections.all;
  }

  get frames(): readonly ReceivedFrame[] {
    return this.#frames.all;
  }

  /** Resolves once the `nth` session (from 1) got READY and its GUILD_CREATEs. */
  waitForReady(nth = 1): Promise<GatewaySession> {
    return this.#ready.waitFor(`gateway session #${nth} ready`, (_s, i) => i === nth - 1);
  }

  /** Resolves once the `nth` successful RESUME (from 1) has been answered with RESUMED. */
  waitForResume(nth = 1): Promise<GatewaySession> {
    return this.#resumed.waitFor(`gateway resume #${nth}`, (_s, i) => i === nth - 1);
  }

  /** Resolves once the `nth` connection (from 1) to close has closed; `closeCode` says how. */
  waitForDisconnect(nth = 1): Promise<GatewayConnection> {
    return this.#disconnects.waitFor(`gateway disconnect #${nth}`, (_c, i) => i === nth - 1);
  }

  waitForFrame(predicate: (frame: ReceivedFrame) => boolean): Promise<ReceivedFrame> {
    return this.#frames.waitFor('a gateway frame', predicate);
  }

  /**
   * Sends a dispatch (op 0) to every resumable session whose shard owns `d.guild_id` (shard 0 for
   * events without a guild, or `shard` when given) and whose intents ask for it; closed sessions
   * buffer it for RESUME. Resolves with how many sessions got it.
   */
  async dispatch(t: string, d: Json, shard?: number): Promise<number> {
    const botId = this.#options.world.bot.id;
    const sends: Promise<void>[] = [];
    for (const state of this.#sessions.values()) {
      const { info } = state;
      const wanted = shard ?? (typeof d.guild_id === 'string' ? shardOf(d.guild_id, info.shard[1]) : 0);
      if (!info.resumable || info.shard[0] !== wanted || !receives(info.intents, t, d, botId)) continue;
      sends.push(this.#dispatchTo(state, t, withoutContent(info.intents, t, d, botId)));
    }
    await Promise.all(sends);
    return sends.length;
  }

  /** Op 7: the client closes (4200) and, about 500 ms later, RESUMEs on `resume_gateway_url`. */
  async requestReconnect(shard = 0): Promise<void> {
    await Promise.all(
      [...this.#live].filter((l) => l.session?.info.shard[0] === shard).map((l) => this.#send(l, { op: GatewayOpcodes.Reconnect, d: null })),
    );
  }

  /** Closes the shard's connection with `code` (4000 is resumable; 4004 is "authentication failed"). */
  disconnect(shard = 0, code = 4000, reason = 'fake Discord closed the connection'): void {
    for (const l of this.#live) if (l.session?.info.shard[0] === shard) l.ws.close(code, reason);
  }

  async stop(): Promise<void> {
    const seen = () => `Sessions: ${this.#sessions.size}; connections: ${this.#connections.all.length}.`;
    for (const r of [this.#connections, this.#ready, this.#resumed, this.#disconnects, this.#frames] as Recording<unknown>[]) r.close(seen);
    for (const l of this.#live) l.ws.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #accept(ws: WebSocket, req: IncomingMessage): void {
    const url = new URL(req.url ?? '/', 'ws://127.0.0.1');
    const conn: GatewayConnection = {
      id: this.#connections.all.length + 1,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      at: this.#options.world.now(),
    };
    const live: Live = { conn, ws, compress: false };
    this.#live.add(live);
    this.#connections.add(conn);
    ws.on('message', (data, isBinary) => this.#receive(live, data, isBinary));
    ws.on('close', (code, reason) => this.#closed(live, code, reason.toString()));
    ws.on('error', () => undefined);
    if (conn.query.v !== '10') return this.#close(live, 4012, `fake Discord speaks gateway v10, not v=${conn.query.v ?? '(none)'}`);
    if ((conn.query.encoding ?? 'json') !== 'json') return this.#close(live, 4012, 'fake Discord speaks encoding=json only');
    // Refused with an unrecoverable code: a resumable one would make the client retry forever.
    if (conn.query.compress)
      return this.#close(live, 4012, `fake Discord has no transport compression (compress=${conn.query.compress}); do not install zlib-sync`);
    void this.#send(live, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.#options.heartbeatIntervalMs ?? 3_600_000 }, s: null, t: null });
  }

  #receive(live: Live, data: RawData, isBinary: boolean): void {
    let frame: { op?: unknown; d?: unknown };
    try {
      frame = JSON.parse(isBinary ? '' : String(data)) as typeof frame;
    } catch {
      return this.#close(live, 4002, 'Error while decoding payload.');
    }
    const op = Number(frame.op);
    const d = frame.d as Json;
    const redacted = d && typeof d === 'object' && 'token' in d ? { ...d, token: '[redacted]' } : frame.d;
    this.#frames.add({
      connection: live.conn.id,
      ...(live.session ? { sessionId: live.session.info.sessionId } : {}),
      op,
      d: redacted,
      at: this.#options.world.now(),
    });
    if (op === GatewayOpcodes.Heartbeat) return void this.#send(live, { op: GatewayOpcodes.HeartbeatAck });
    if (op === GatewayOpcodes.Identify) return this.#identify(live, d);
    if (op === GatewayOpcodes.Resume) return this.#resume(live, d);
    if (!live.session) return this.#close(live, 4003, 'Not authenticated.');
    if (op === GatewayOpcodes.RequestGuildMembers) return void this.#membersChunk(live, d);
    if (op === GatewayOpcodes.PresenceUpdate || op === GatewayOpcodes.VoiceStateUpdate) return;
    this.#close(live, 4001, 'Unknown opcode.');
  }

  #identify(live: Live, d: Json): void {
    const { world, token } = this.#options;
    if (live.session) return this.#close(live, 4005, 'Already authenticated.');
    if (String(d.token ?? '').replace(/^Bot\s+/i, '') !== token) return this.#close(live, 4004, 'Authentication failed.');
    if (!validIntents(d.intents)) return this.#close(live, 4013, 'Invalid intent(s).');
    const allowed = this.#options.privilegedIntents ?? PRIVILEGED_INTENTS;
    if (d.intents & PRIVILEGED_INTENTS & ~allowed) return this.#close(live, 4014, 'Disallowed intent(s).');
    const [id, count] = Array.isArray(d.shard) ? (d.shard as [number, number]) : [0, 1];
    if (!(id >= 0 && id < count)) return this.#close(live, 4010, 'Invalid shard.');
    const info: GatewaySession = {
      sessionId: randomBytes(16).toString('hex'),
      shard: [id, count],
      intents: d.intents,
      identify: { ...d, token: '[redacted]' },
      seq: 0,
      open: true,
      resumable: true,
      resumes: 0,
    };
    const state: SessionState = { info, buffer: [], live };
    this.#sessions.set(info.sessionId, state);
    live.session = state;
    live.compress = d.compress === true;
    live.conn.sessionId = info.sessionId;
    const guilds = [...world.guilds.values()].filter((g) => shardOf(g.id, count) === id);
    const ready = readyPayload(
      world,
      info,
      guilds.map((g) => g.id),
      `${this.url}/resume`,
      applicationFlags(allowed),
    );
    const sends = [this.#dispatchTo(state, 'READY', ready)];
    if (info.intents & GatewayIntentBits.Guilds) {
      const everyone = (info.intents & GatewayIntentBits.GuildPresences) !== 0;
      for (const g of guilds) {
        const members = everyone ? g.members : g.members.filter((m) => m.user.id === world.bot.id);
        sends.push(
          this.#dispatchTo(
            state,
            'GUILD_CREATE',
            guildCreate(g, { members, threads: world.activeThreads(g.id), joinedAt: world.iso() }) as unknown as Json,
          ),
        );
      }
    }
    void Promise.all(sends).then(() => this.#ready.add(info));
  }

  #resume(live: Live, d: Json): void {
    const state = this.#sessions.get(String(d.session_id));
    if (String(d.token ?? '').replace(/^Bot\s+/i, '') !== this.#options.token) return this.#close(live, 4004, 'Authentication failed.');
    if (!state || !state.info.resumable) return void this.#send(live, { op: GatewayOpcodes.InvalidSession, d: false });
    if (state.live && state.live !== live) state.live.ws.close(4009, 'Session resumed elsewhere.');
    live.session = state;
    live.compress = state.info.identify.compress === true;
    state.live = live;
    state.info.open = true;
    state.info.resumes += 1;
    live.conn.sessionId = state.info.sessionId;
    const missed = state.buffer.filter((f) => Number(f.s) > Number(d.seq ?? 0));
    void Promise.all([...missed.map((f) => this.#send(live, f)), this.#dispatchTo(state, 'RESUMED', {})]).then(() => this.#resumed.add(state.info));
  }

  async #membersChunk(live: Live, d: Json): Promise<void> {
    const chunk = membersChunk(this.#options.world, d);
    if (chunk && live.session) await this.#dispatchTo(live.session, 'GUILD_MEMBERS_CHUNK', chunk);
  }

  #dispatchTo(state: SessionState, t: string, d: Json): Promise<void> {
    const frame = { op: GatewayOpcodes.Dispatch, t, s: (state.info.seq += 1), d };
    state.buffer.push(frame);
    if (state.buffer.length > REPLAY_BUFFER) state.buffer.shift();
    return state.live ? this.#send(state.live, frame) : Promise.resolve();
  }

  #send(live: Live, frame: Json): Promise<void> {
    if (live.ws.readyState !== live.ws.OPEN) return Promise.resolve();
    const text = JSON.stringify(frame);
    // IDENTIFY with `compress: true` asks for zlib-deflated binary frames.
    const data = live.compress ? deflateSync(text) : text;
    return new Promise((resolve) => live.ws.send(data, () => resolve()));
  }

  #close(live: Live, code: number, reason: string): void {
    Object.assign(live.conn, { closeCode: code, closeReason: reason });
    live.ws.close(code, reason);
  }

  #closed(live: Live, code: number, reason: string): void {
    this.#live.delete(live);
    live.conn.closeCode ??= code;
    live.conn.closeReason ??= reason;
    const state = live.session;
    if (state?.live === live) {
      delete state.live;
      Object.assign(state.info, { open: false, closeCode: code, resumable: state.info.resumable && code !== 1000 && code !== 1001 });
    }
    this.#disconnects.add(live.conn);
  }
}
