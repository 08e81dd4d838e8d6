/**
 * The front door of Slack's HTTP mode, in front of Bolt's receiver. A burst of slash commands (the
 * VPN is down, everyone types `/ticket`) must be acknowledged within Slack's 3 s, so a command takes
 * the shortest way in: its body read once, its signature checked, and it is handed straight to the
 * command handler (admission, then the core), without Bolt's middleware chain and listener matching,
 * which cost as much as opening the ticket. Everything else (buttons, forms, shortcuts, events) goes
 * on to Bolt with the body already read (Bolt reuses `rawBody`), checked there as before.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseForm } from 'node:querystring';
import { observeIntakeAck } from '../../src/core/metrics.js';
import { MAX_SKEW_SECONDS } from './request-guard.js';
import type { Any } from './context.js';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;
/** Bolt's HTTPReceiver: its server calls `requestListener` for each request. */
export interface BoltHttpReceiver {
  requestListener: RequestListener;
}
/** Answer a command: an object is sent as JSON, nothing as an empty 200. */
export type CommandAck = (response?: Any) => Promise<void>;
/** Runs a verified slash command (`command` is Slack's payload, as Bolt would hand it over). */
export type CommandHandler = (command: Any, ack: CommandAck) => void;

export interface FrontOptions {
  signingSecret: string;
  /** Real time, in ms: Slack signs with its clock. */
  now: () => number;
  rejected: (why: string) => void;
  /** The largest form body read (Slack's payloads are a few kB; Bolt allows 4 MiB, and so do we). */
  bodyLimit?: number;
}

const FORM = 'application/x-www-form-urlencoded';
/** Bolt's endpoint, where Slack sends commands, interactions and events alike. */
const ENDPOINT = '/slack/events';

/**
 * Put the front door before `receiver`. Requests dated more than 5 minutes either side of our clock
 * are refused (401) before any body is read. `commands(name)` gives the handler of a slash command
 * (undefined: Bolt's listeners take it); it is asked per request, so handlers set after this call count.
 */
export function frontDoor(receiver: BoltHttpReceiver, options: FrontOptions, commands: (name: string) => CommandHandler | undefined): void {
  const inner = receiver.requestListener;
  const limit = options.bodyLimit ?? 4 * 1024 * 1024;
  receiver.requestListener = (req, res) => {
    const received = performance.now();
    const sec = Number(header(req, 'x-slack-request-timestamp'));
    const nowSec = Math.floor(options.now() / 1000);
    if (Number.isFinite(sec) && sec > nowSec + MAX_SKEW_SECONDS)
      return refuse(req, res, 'x-slack-request-timestamp is more than 5 minutes in the future', options);
    if (req.method !== 'POST' || pathOf(req) !== ENDPOINT || !String(req.headers['content-type'] ?? '').startsWith(FORM)) return inner(req, res);
    readBody(req, limit).then(
      (body) => {
        if (body === undefined) return void res.writeHead(413, { connection: 'close' }).end();
        (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
        const form = parseForm(body.toString('utf8'));
        const handle = typeof form.command === 'string' && form.payload === undefined ? commands(form.command) : undefined;
        if (!handle) return passOn(inner, req, res);
        if (!verified(req, body, sec, nowSec, options)) return void res.writeHead(401).end();
        handle(form, ackWith(res, received));
      },
      () => res.writeHead(400).end(),
    );
  };
}

/** The request's path, without its query. */
function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

/** Bolt's listener, from a callback: what it throws (a request it cannot serve) is a 404, never an unhandled rejection. */
function passOn(inner: RequestListener, req: IncomingMessage, res: ServerResponse): void {
  try {
    inner(req, res);
  } catch {
    if (!res.headersSent) res.writeHead(404).end();
  }
}

/** An ack that writes the HTTP answer once, timed from the request's arrival (intake histogram). */
function ackWith(res: ServerResponse, received: number): CommandAck {
  let sent = false;
  return async (response) => {
    if (sent) return;
    sent = true;
    if (response === undefined) res.writeHead(200).end();
    else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(response));
    observeIntakeAck('slack', (performance.now() - received) / 1000);
  };
}

/** Slack's v0 signature over `v0:<timestamp>:<body>`, and a timestamp within 5 minutes behind (ahead is refused earlier). */
function verified(req: IncomingMessage, body: Buffer, sec: number, nowSec: number, options: FrontOptions): boolean {
  const signature = header(req, 'x-slack-signature');
  if (!signature || !Number.isFinite(sec))
    return reject(options, 'the request is not signed (x-slack-signature or x-slack-request-timestamp missing)');
  if (sec < nowSec - MAX_SKEW_SECONDS) return reject(options, 'x-slack-request-timestamp is more than 5 minutes old');
  const hmac = createHmac('sha256', options.signingSecret).update(`v0:${sec}:`).update(body).digest('hex');
  const expected = Buffer.from(`v0=${hmac}`);
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return reject(options, 'x-slack-signature does not match the body');
  return true;
}

function reject(options: FrontOptions, why: string): false {
  options.rejected(why);
  return false;
}

function refuse(req: IncomingMessage, res: ServerResponse, why: string, options: FrontOptions): void {
  options.rejected(why);
  req.resume(); // drain the body so the connection can be reused
  res.writeHead(401).end();
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The whole body, or undefined past `limit` bytes (the rest is drained, not kept). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}
