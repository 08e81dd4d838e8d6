/**
 * The connections interaction answers go out on: HTTP/1.1 with keep-alive, written by hand over
 * `net` / `tls` sockets. An answer is one small JSON request whose response is a status and at most a
 * short JSON body; Node's `http` client spent ~80–100 µs of the intake thread on each (request and
 * response objects, streams, header bookkeeping), this ~15 µs. Only what Discord's API answers with
 * is read: a status line, headers, a body by Content-Length or chunked, or up to the close.
 */
import { connect as tcp, type Socket } from 'node:net';
import { connect as tls } from 'node:tls';

/** A response: its status and its body as text. */
export interface RawResponse {
  status: number;
  body: string;
}

/** A request failed on the connection (not refused by the server); `reused`: the connection had served one before. */
export class ConnectionError extends Error {
  constructor(
    message: string,
    readonly reused: boolean,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ConnectionError';
  }
}

interface Waiting {
  head: string;
  body: Buffer;
  resolve: (r: RawResponse) => void;
  reject: (err: Error) => void;
}

/** A keep-alive pool of at most `max` connections to `url`'s origin; requests wait in order for a free one. */
export class AnswerConnections {
  readonly #host: string;
  readonly #port: number;
  readonly #secure: boolean;
  readonly #idle: Connection[] = [];
  readonly #queue: Waiting[] = [];
  #open = 0;

  constructor(
    url: URL,
    readonly max: number,
    readonly idleMs: number,
  ) {
    this.#secure = url.protocol === 'https:';
    this.#host = url.hostname;
    this.#port = Number(url.port || (this.#secure ? 443 : 80));
  }

  /** One request: `method path`, JSON `body`, on a free connection (opened when none is and the pool allows). */
  send(method: string, path: string, json: string, userAgent: string): Promise<RawResponse> {
    const body = Buffer.from(json);
    const head =
      `${method} ${path} HTTP/1.1\r\nHost: ${this.#host}\r\nUser-Agent: ${userAgent}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    return new Promise((resolve, reject) => {
      this.#queue.push({ head, body, resolve, reject });
      this.#next();
    });
  }

  /** Close every connection; requests waiting are refused. */
  close(): void {
    for (const w of this.#queue.splice(0)) w.reject(new ConnectionError('answers closed', false));
    for (const c of this.#idle.splice(0)) c.socket.destroy();
  }

  #next(): void {
    while (this.#queue.length > 0) {
      const connection = this.#idle.pop() ?? (this.#open < this.max ? this.#connect() : undefined);
      if (!connection) return;
      connection.run(this.#queue.shift()!);
    }
  }

  #connect(): Connection {
    this.#open++;
    const socket = this.#secure
      ? tls({ host: this.#host, port: this.#port, servername: this.#host, ALPNProtocols: ['http/1.1'] })
      : tcp({ host: this.#host, port: this.#port });
    socket.setNoDelay(true);
    return new Connection(socket, this.idleMs, {
      free: (c) => {
        this.#idle.push(c);
        this.#next();
      },
      gone: (c) => {
        this.#open--;
        const at = this.#idle.indexOf(c);
        if (at >= 0) this.#idle.splice(at, 1);
        this.#next();
      },
    });
  }
}

/** One socket, one request at a time. */
class Connection {
  #current: Waiting | undefined;
  #buffer: Buffer = Buffer.alloc(0);
  #served = 0;
  #closed = false;

  constructor(
    readonly socket: Socket,
    idleMs: number,
    private readonly pool: { free: (c: Connection) => void; gone: (c: Connection) => void },
  ) {
    // Idle past `idleMs` (before a server would close it), or silent that long mid-request: closed.
    socket.setTimeout(idleMs, () => this.#fail(new ConnectionError('no answer from Discord in time', this.#served > 0, 'ETIMEDOUT')));
    socket.on('data', (chunk: Buffer) => this.#read(chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => this.#fail(new ConnectionError(err.message, this.#served > 0, err.code)));
    socket.on('close', () => this.#fail(new ConnectionError('the connection closed before the answer', this.#served > 0, 'ECONNRESET')));
  }

  run(request: Waiting): void {
    this.#current = request;
    this.socket.write(Buffer.concat([Buffer.from(request.head, 'latin1'), request.body]));
  }

  #read(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const parsed = parseResponse(this.#buffer, false);
    if (!parsed || !this.#current) return;
    this.#finish(parsed);
  }

  #finish(parsed: Parsed): void {
    const request = this.#current!;
    this.#current = undefined;
    this.#buffer = Buffer.alloc(0);
    this.#served++;
    request.resolve({ status: parsed.status, body: parsed.body });
    if (parsed.close) this.socket.destroy();
    else this.pool.free(this);
  }

  #fail(err: ConnectionError): void {
    // A body that runs to the close is complete when the server closes.
    const untilClose = this.#current && err.code === 'ECONNRESET' ? parseResponse(this.#buffer, true) : undefined;
    if (untilClose) this.#finish({ ...untilClose, close: true });
    if (this.#closed) return;
    this.#closed = true;
    this.socket.destroy();
    const request = this.#current;
    this.#current = undefined;
    this.pool.gone(this);
    request?.reject(err);
  }
}

interface Parsed {
  status: number;
  body: string;
  close: boolean;
}

/** A whole response at the start of `buf`, or undefined while it is not all there (`ended`: the server closed). */
function parseResponse(buf: Buffer, ended: boolean): Parsed | undefined {
  let start = 0;
  for (;;) {
    const end = buf.indexOf('\r\n\r\n', start);
    if (end < 0) return undefined;
    const lines = buf.toString('latin1', start, end).split('\r\n');
    const status = Number(lines[0]!.slice(9, 12));
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    // An interim response (100 Continue) is followed by the real one.
    if (status >= 100 && status < 200) {
      start = end + 4;
      continue;
    }
    const close = (headers.get('connection') ?? '').toLowerCase() === 'close';
    const from = end + 4;
    if (status === 204 || status === 304) return { status, body: '', close };
    if ((headers.get('transfer-encoding') ?? '').toLowerCase().includes('chunked')) {
      const body = dechunk(buf, from);
      return body === undefined ? undefined : { status, body, close };
    }
    const length = headers.get('content-length');
    if (length !== undefined) {
      const n = Number(length);
      return buf.length < from + n ? undefined : { status, body: buf.toString('utf8', from, from + n), close };
    }
    return ended ? { status, body: buf.toString('utf8', from), close: true } : undefined;
  }
}

/** A chunked body from `at`, or undefined while its last chunk has not come. */
function dechunk(buf: Buffer, at: number): string | undefined {
  const parts: Buffer[] = [];
  for (let i = at; ;) {
    const eol = buf.indexOf('\r\n', i);
    if (eol < 0) return undefined;
    const size = parseInt(buf.toString('latin1', i, eol), 16);
    if (Number.isNaN(size)) return undefined;
    // The last chunk, then trailers (none, usually) up to an empty line.
    if (size === 0) return buf.indexOf('\r\n\r\n', eol) < 0 ? undefined : Buffer.concat(parts).toString('utf8');
    if (buf.length < eol + 2 + size + 2) return undefined;
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    i = eol + 2 + size + 2;
  }
}
