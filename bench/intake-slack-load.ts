/**
 * The load generator of the Slack intake benches, in a process of its own that does only firing and
 * timing (the fake Web API is bench/fake-slack-process.ts). Everything costly is done before the
 * first request: the bodies come ready-made, and each is signed (HMAC) with the second it is planned
 * to leave in, as Slack stamps its requests. Requests go out open loop at the offered rate over a
 * keep-alive agent; an ack is timed from the instant its request is handed to the socket layer to the
 * end of the response. How late the generator itself fired (its own event-loop lag) is reported apart
 * (`lagMaxMs`), so it is never counted as the server's ack time.
 */
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { BUSY_REPLY, QUEUED_REPLY } from '../src/intake-port.js';

type FromParent = { type: 'load'; url: string; rate: number; bodies: string[]; secret: string } | { type: 'stop' };

export interface LoadDone {
  acks: number[];
  failures: number;
  refused: number;
  queued: number;
  sendSeconds: number;
  /** The most a request left after its planned instant (the generator's own lag), ms. */
  lagMaxMs: number;
}

// Enough sockets for every request in flight at 2,000/s with acks up to ~0.25 s; beyond that requests
// wait in the agent, and that wait is counted in their ack (the server did not answer in time).
const agent = new Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 512 });

process.on('message', (msg: FromParent) => {
  if (msg.type === 'stop') {
    agent.destroy();
    process.exit(0);
  }
  void fire(msg).then((done) => process.send!({ type: 'done', ...done }));
});

interface Prepared {
  body: Buffer;
  headers: Record<string, string | number>;
}

/** Signs every body with the epoch second it is planned to leave in (Bolt allows 5 minutes of skew). */
function prepare(bodies: readonly string[], rate: number, secret: string, startWallMs: number): Prepared[] {
  return bodies.map((body, i) => {
    const ts = Math.floor((startWallMs + (i * 1000) / rate) / 1000);
    const signature = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
    const buf = Buffer.from(body);
    return {
      body: buf,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': buf.length,
        'x-slack-request-timestamp': ts,
        'x-slack-signature': signature,
      },
    };
  });
}

async function fire(msg: Extract<FromParent, { type: 'load' }>): Promise<LoadDone> {
  const target = new URL(msg.url);
  const prepared = prepare(msg.bodies, msg.rate, msg.secret, Date.now());
  const done: LoadDone = { acks: [], failures: 0, refused: 0, queued: 0, sendSeconds: 0, lagMaxMs: 0 };
  const answered: Array<Promise<void>> = [];
  const send = (p: Prepared) =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: p.headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const ms = performance.now() - t0;
          if (res.statusCode !== 200) done.failures++;
          else {
            done.acks.push(ms);
            const text = answerText(Buffer.concat(chunks).toString('utf8'));
            if (text === BUSY_REPLY) done.refused++;
            else if (text === QUEUED_REPLY) done.queued++;
          }
          resolve();
        });
        res.on('error', () => (done.failures++, resolve()));
      });
      req.on('error', () => (done.failures++, resolve()));
      req.end(p.body);
    });
  const start = performance.now();
  let i = 0;
  while (i < prepared.length) {
    const now = performance.now();
    // Send every request whose planned instant has come, then sleep until the next one is due.
    while (i < prepared.length && start + (i * 1000) / msg.rate <= now) {
      done.lagMaxMs = Math.max(done.lagMaxMs, now - (start + (i * 1000) / msg.rate));
      answered.push(send(prepared[i]!));
      i++;
    }
    if (i < prepared.length) {
      const wait = start + (i * 1000) / msg.rate - performance.now();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
    }
  }
  done.sendSeconds = (performance.now() - start) / 1000;
  await Promise.all(answered);
  return done;
}

function answerText(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { text?: string }).text;
  } catch {
    return undefined;
  }
}
