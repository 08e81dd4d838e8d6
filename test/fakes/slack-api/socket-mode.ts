import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  eventCallback,
  interactionPayload,
  slashCommandFields,
  type EventInput,
  type EventOptions,
  type Interaction,
  type InteractionInput,
  type PayloadSource,
  type SlashCommandFields,
  type SlashCommandInput,
} from './payloads.js';
import { Recording } from '../recording.js';

export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

/** What the app sent back for an envelope: `{ envelope_id, payload }` (Bolt always sends `payload`). */
export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
  /** Which connection acked (see `connections`). */
  connection: number;
}

/** One accepted WebSocket connection, recorded once `hello` has been sent on it. */
export interface SocketConnection {
  id: number;
  ticket: string;
  at: number;
}

export interface DeliverOptions {
  acceptsResponsePayload?: boolean;
  /** Events API retries; Slack sends `retry_attempt: 0, retry_reason: ''` on first delivery. */
  retryAttempt?: number;
  retryReason?: string;
}

/**
 * Slack's Socket Mode server: `apps.connections.open` hands out `ws://127.0.0.1:PORT/link/?ticket=…`
 * URLs (one use each, as Slack's tickets); a connection gets `hello`, then envelopes. Each delivery
 * resolves with the app's ack, so a test awaits exactly the moment the app answered.
 */
export class FakeSocketMode {
  readonly #wss: WebSocketServer;
  readonly #source: PayloadSource;
  readonly #tickets = new Set<string>();
  readonly #open = new Map<number, WebSocket>();
  readonly #connections = new Recording<SocketConnection>();
  readonly #acks = new Recording<SocketAck>();
  readonly #pending = new Map<string, { connection: number; resolve: (a: SocketAck) => void; reject: (e: Error) => void }>();
  #port = 0;

  private constructor(source: PayloadSource) {
    this.#source = source;
    this.#wss = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      verifyClient: ({ req }: { req: IncomingMessage }) => this.#tickets.delete(new URL(req.url ?? '/', 'ws://x').searchParams.get('ticket') ?? ''),
    });
    this.#wss.on('connection', (ws, req) => this.#accept(ws, new URL(req.url ?? '/', 'ws://x').searchParams.get('ticket') ?? ''));
  }

  static async start(source: PayloadSource): Promise<FakeSocketMode> {
    const socket = new FakeSocketMode(source);
    await once(socket.#wss, 'listening');
    socket.#port = (socket.#wss.address() as AddressInfo).port;
    return socket;
  }

  /** A one-use connection URL, what `apps.connections.open` returns. */
  issueUrl(): string {
    const ticket = randomBytes(16).toString('hex');
    this.#tickets.add(ticket);
    return `ws://127.0.0.1:${this.#port}/link/?ticket=${ticket}&app_id=${this.#source.workspace.team.appId}`;
  }

  /** Connections currently open. */
  get openConnections(): number {
    return this.#open.size;
  }

  /** Every connection ever accepted, oldest first. */
  get connections(): readonly SocketConnection[] {
    return this.#connections.all;
  }

  get acks(): readonly SocketAck[] {
    return this.#acks.all;
  }

  /** Resolves once the `nth` connection (counting from 1, reconnects included) has been sent `hello`. */
  waitForConnection(nth = 1): Promise<SocketConnection> {
    return this.#connections.waitFor(`Socket Mode connection #${nth}`, (_c, index) => index === nth - 1);
  }

  /** Sends an envelope to the newest open connection; resolves with the app's ack. */
  deliver(type: EnvelopeType, payload: Record<string, unknown>, options: DeliverOptions = {}): Promise<SocketAck> {
    const target = [...this.#open].at(-1);
    if (!target) return Promise.reject(new Error('fake Slack: no Socket Mode connection is open'));
    const [connection, ws] = target;
    const envelope: Record<string, unknown> = {
      envelope_id: randomUUID(),
      payload,
      type,
      accepts_response_payload: options.acceptsResponsePayload ?? type === 'slash_commands',
    };
    if (type === 'events_api') {
      envelope.retry_attempt = options.retryAttempt ?? 0;
      envelope.retry_reason = options.retryReason ?? '';
    }
    const acked = new Promise<SocketAck>((resolve, reject) => {
      this.#pending.set(String(envelope.envelope_id), { connection, resolve, reject });
    });
    ws.send(JSON.stringify(envelope));
    return acked;
  }

  async event(input: EventInput, options: EventOptions & DeliverOptions = {}): Promise<SocketAck & { eventId: string }> {
    const { body, eventId } = eventCallback(this.#source, input, options);
    return { ...(await this.deliver('events_api', body, options)), eventId };
  }

  async slashCommand(input: SlashCommandInput): Promise<SocketAck & { fields: SlashCommandFields }> {
    const fields = slashCommandFields(this.#source, input);
    return { ...(await this.deliver('slash_commands', fields)), fields };
  }

  async interaction(input: InteractionInput): Promise<SocketAck & Interaction> {
    const interaction = interactionPayload(this.#source, input);
    const acceptsResponsePayload = input.type === 'view_submission' || input.type === 'block_suggestion';
    return { ...(await this.deliver('interactive', interaction.payload, { acceptsResponsePayload })), ...interaction };
  }

  /** Slack's `disconnect` message (e.g. before recycling a server); resolves when the app has closed. */
  async disconnect(reason: 'warning' | 'refresh_requested' | 'link_disabled' = 'refresh_requested'): Promise<void> {
    const sockets = [...this.#open.values()];
    const closed = sockets.map((ws) => once(ws, 'close'));
    const message = JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake-1' } });
    for (const ws of sockets) ws.send(message);
    await Promise.all(closed);
  }

  /** Cuts every connection without a close handshake, like a network failure. */
  dropConnections(): void {
    for (const ws of this.#open.values()) ws.terminate();
  }

  async stop(): Promise<void> {
    this.#connections.close(() => `Connections seen: ${this.#connections.all.length}.`);
    this.#acks.close(() => `Acks seen: ${this.#acks.all.length}.`);
    // A close handshake rather than a cut, so a client that is shutting down sees a clean close.
    const sockets = [...this.#open.values()];
    const closed = sockets.map((ws) => once(ws, 'close'));
    for (const ws of sockets) ws.close(1001, 'fake Slack stopping');
    await Promise.all(closed);
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #accept(ws: WebSocket, ticket: string): void {
    const id = this.#connections.all.length + 1;
    this.#open.set(id, ws);
    ws.on('message', (data: RawData) => this.#onAck(id, data));
    ws.on('close', () => {
      this.#open.delete(id);
      for (const [envelopeId, p] of this.#pending) {
        if (p.connection !== id) continue;
        this.#pending.delete(envelopeId);
        p.reject(new Error(`fake Slack: Socket Mode connection #${id} closed before acking envelope ${envelopeId}`));
      }
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.#open.size,
        debug_info: { host: 'applink-fake-1', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.#source.workspace.team.appId },
      }),
    );
    this.#connections.add({ id, ticket, at: this.#source.workspace.now() });
  }

  #onAck(connection: number, data: RawData): void {
    let message: { envelope_id?: unknown; payload?: Record<string, unknown> };
    try {
      message = JSON.parse(String(data)) as typeof message;
    } catch {
      return; // Slack ignores what it cannot parse; so do we.
    }
    if (typeof message.envelope_id !== 'string') return;
    const ack: SocketAck = { envelope_id: message.envelope_id, connection, ...(message.payload ? { payload: message.payload } : {}) };
    this.#acks.add(ack);
    const pending = this.#pending.get(ack.envelope_id);
    this.#pending.delete(ack.envelope_id);
    pending?.resolve(ack);
  }
}
