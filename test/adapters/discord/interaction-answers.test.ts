import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InteractionAnswerError, interactionAnswers, type InteractionAnswers } from '../../../adapters/discord/interaction-answers.js';
import { answerOf, CALLBACK, command, EDIT_REPLY, openTicket, POST_MESSAGE, sendPress } from './interactions.js';
import { ann, l1Desk, requester, startDiscordDesk, support, type DiscordDesk } from './support.js';

// Interaction answers go out on connections of their own: never behind cards (nor held by
// discord.js's global limiter), on a bounded keep-alive pool.

describe('answers do not wait behind cards', () => {
  let t: DiscordDesk;
  beforeEach(async () => {
    t = await startDiscordDesk();
  });
  afterEach(async () => {
    await t.close();
  });

  it("a slow core's answer is edited in while Discord holds every card back (a global rate limit)", async () => {
    const ticket = await openTicket(t);
    t.discord.rest.failNext((c) => c.route === POST_MESSAGE && c.params.channel === l1Desk.id, { status: 429, retryAfter: 60, global: true });
    await command(t, requester, support.id, 'new', { title: 'Second printer' }); // its card meets the global limit: cards wait a minute
    expect(t.discord.rest.calls(POST_MESSAGE).filter((c) => c.status === 429)).toHaveLength(1);
    const release = t.holdCore();

    const { payload, record } = await sendPress(t, ann, ticket.card, 'claim');
    await t.discord.rest.waitForCall(CALLBACK, (c) => c.params.interaction === payload.id);
    release();
    const answer = await answerOf(t, payload, record);

    expect([answer.type, answer.text]).toEqual([5, 'You have claimed #1.']);
    expect(t.discord.rest.calls(EDIT_REPLY).filter((c) => c.params.token === payload.token && c.status === 200)).toHaveLength(1);
  });
});

/** A local HTTP server standing in for Discord: it counts connections and answers as `handle` says. */
async function fakeApi(
  handle: (req: IncomingMessage, res: ServerResponse, seenSocket: boolean) => void,
): Promise<{ server: Server; url: string; connections: () => number }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((req, res) => {
    const seen = sockets.has(req.socket);
    sockets.add(req.socket);
    req.resume();
    req.on('end', () => handle(req, res, seen));
  });
  server.on('connection', () => connections++);
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`, connections: () => connections };
}

describe('the answers client', () => {
  let api: Awaited<ReturnType<typeof fakeApi>>;
  let answers: InteractionAnswers;
  const message = { type: 4 as const, data: { content: 'Ticket #1 opened.' } };
  const interaction = (i: number) => ({ id: String(1_000 + i), token: `token-${i}` });
  afterEach(async () => {
    answers.close();
    api.server.closeAllConnections();
    await new Promise((resolve) => api.server.close(resolve));
  });

  it('a burst of 300 answers opens at most 128 connections, and the next burst reuses them', async () => {
    api = await fakeApi((_req, res) => res.writeHead(204).end());
    answers = interactionAnswers('900', api.url);

    await Promise.all(Array.from({ length: 300 }, (_, i) => answers.respond(interaction(i), message)));
    const first = api.connections();
    await Promise.all(Array.from({ length: 300 }, (_, i) => answers.respond(interaction(300 + i), message)));

    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(128);
    expect(api.connections()).toBe(first);
  });

  it('an answer on a connection the server closed as it was reused is sent again, once, on a new one', async () => {
    const paths: string[] = [];
    api = await fakeApi((req, res, seen) => {
      paths.push(req.url!);
      if (seen) req.socket.destroy();
      else res.writeHead(204).end();
    });
    answers = interactionAnswers('900', api.url);

    await answers.respond(interaction(1), message);
    await answers.respond(interaction(2), message);

    expect(paths).toEqual([
      '/api/v10/interactions/1001/token-1/callback',
      '/api/v10/interactions/1002/token-2/callback',
      '/api/v10/interactions/1002/token-2/callback',
    ]);
    expect(api.connections()).toBe(2);
  });

  it('when Discord had read it after all, "already acknowledged" on the second try is an answer given', async () => {
    let calls = 0;
    api = await fakeApi((req, res, seen) => {
      calls++;
      if (seen) req.socket.destroy();
      else if (calls === 1) res.writeHead(204).end();
      else
        res
          .writeHead(400, { 'content-type': 'application/json' })
          .end(JSON.stringify({ code: 40060, message: 'Interaction has already been acknowledged.' }));
    });
    answers = interactionAnswers('900', api.url);

    await answers.respond(interaction(1), message);
    await expect(answers.respond(interaction(2), message)).resolves.toBeUndefined();
    expect(calls).toBe(3);
  });

  it("a refusal is Discord's code and message, and is not sent again", async () => {
    let calls = 0;
    api = await fakeApi((_req, res) => {
      calls++;
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 10062, message: 'Unknown interaction' }));
    });
    answers = interactionAnswers('900', api.url);

    const refused = await answers.respond(interaction(1), message).catch((err: unknown) => err);

    expect(refused).toBeInstanceOf(InteractionAnswerError);
    expect(refused).toMatchObject({ status: 404, code: 10062, message: 'discord: 404 10062 Unknown interaction' });
    expect(calls).toBe(1);
  });

  it('edits the original reply of an interaction through its webhook', async () => {
    const seen: { method: string; url: string }[] = [];
    api = await fakeApi((req, res) => {
      seen.push({ method: req.method!, url: req.url! });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    answers = interactionAnswers('900', api.url);

    await answers.editOriginal('token-1', { content: 'Ticket #1 opened.' });

    expect(seen).toEqual([{ method: 'PATCH', url: '/api/v10/webhooks/900/token-1/messages/%40original' }]);
  });
});

/** A TCP server that answers each request with exactly the bytes `reply` gives, written in `pieces`. */
async function rawApi(reply: (n: number) => string, pieces = 1) {
  let connections = 0;
  let requests = 0;
  const server = createNetServer((socket) => {
    connections++;
    let seen = '';
    socket.on('data', (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      // One request: its head, then a body of Content-Length bytes.
      for (let end = seen.indexOf('\r\n\r\n'); end >= 0; end = seen.indexOf('\r\n\r\n')) {
        const length = Number(/content-length: (\d+)/i.exec(seen.slice(0, end))?.[1] ?? 0);
        if (seen.length < end + 4 + length) return;
        seen = seen.slice(end + 4 + length);
        const bytes = Buffer.from(reply(++requests), 'latin1');
        const size = Math.ceil(bytes.length / pieces);
        for (let i = 0; i < bytes.length; i += size) socket.write(bytes.subarray(i, i + size));
        if (/connection: close/i.test(bytes.toString('latin1'))) socket.end();
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  return { url, connections: () => connections, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('responses as Discord writes them', () => {
  const message = { type: 4 as const, data: { content: 'Ticket #1 opened.' } };
  let answers: InteractionAnswers;
  afterEach(() => answers.close());

  it('a refusal in a chunked body, arriving a few bytes at a time, is read whole', async () => {
    const body = JSON.stringify({ code: 10062, message: 'Unknown interaction' });
    const api = await rawApi(
      () =>
        `HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n${body.slice(0, 5)}\r\n${(body.length - 5).toString(16)}\r\n${body.slice(5)}\r\n0\r\n\r\n`,
      20,
    );
    answers = interactionAnswers('900', api.url);

    await expect(answers.respond({ id: '1', token: 't' }, message)).rejects.toMatchObject({ status: 404, code: 10062 });
    answers.close();
    await api.close();
  });

  it('a connection the server says it closes is not used again; one kept alive is', async () => {
    const api = await rawApi((n) => (n === 1 ? 'HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n' : 'HTTP/1.1 204 No Content\r\n\r\n'));
    answers = interactionAnswers('900', api.url);

    await answers.respond({ id: '1', token: 't1' }, message);
    await answers.respond({ id: '2', token: 't2' }, message);
    await answers.respond({ id: '3', token: 't3' }, message);

    expect(api.connections()).toBe(2);
    answers.close();
    await api.close();
  });

  it('a body with neither a length nor chunks runs to the close', async () => {
    const api = await rawApi(() => 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n{"code": 50035, "message": "Invalid Form Body"}');
    answers = interactionAnswers('900', api.url);

    await expect(answers.respond({ id: '1', token: 't' }, message)).rejects.toMatchObject({ status: 400, code: 50035 });
    answers.close();
    await api.close();
  });
});
