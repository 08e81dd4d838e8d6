/**
 * Answers to interactions, sent on connections of their own rather than through discord.js.
 *
 * Discord counts neither an interaction's callback nor the edits of its reply against the bot's
 * global 50 requests a second, and gives the first one only 3 seconds: they must never wait behind
 * cards, nor be refused by discord.js's global limiter. Sent by discord.js they also cost more than
 * the HTTP request itself (a message payload resolved through lazy `require`s on every reply), and its
 * HTTP client opens one more connection for every answer waiting when the event loop stalls, then
 * closes them idle: under a burst, connection churn (a TLS handshake each, against Discord) where
 * keep-alive should hold. Here: one JSON request each, on a bounded keep-alive pool of our own
 * (answer-connections.ts).
 */
import { Routes, type APIInteractionResponse, type RESTPatchAPIWebhookWithTokenMessageJSONBody } from 'discord.js';
import { AnswerConnections, ConnectionError } from './answer-connections.js';

/** Discord's API, as discord.js addresses it (`rest.api` + `/v10`). */
const DISCORD_API = 'https://discord.com/api';
const VERSION = 'v10';
/**
 * Connections kept open for answers: enough for 1,000 answers a second at ~100 ms a round trip to
 * Discord, and a bound, so a stalled event loop does not open one per answer waiting.
 */
const SOCKETS = 128;
/** An idle connection is closed before a server would (commonly 5 s), so none is reused as it closes. */
const IDLE_MS = 4_000;
const USER_AGENT = 'DiscordBot (https://github.com/tierdesk/tierdesk, 1) tierdesk';
/** Discord's "Interaction has already been acknowledged". */
const ALREADY_ANSWERED = 40060;

/** Discord refused an answer: its HTTP status, and its JSON error code and message when it gave one. */
export class InteractionAnswerError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | undefined,
    message: string,
  ) {
    super(`discord: ${status}${code !== undefined ? ` ${code}` : ''} ${message}`);
    this.name = 'InteractionAnswerError';
  }
}

export interface InteractionAnswers {
  /** The interaction's first response: a message (type 4), a deferral (5) or a modal (9). */
  respond(interaction: { id: string; token: string }, body: APIInteractionResponse): Promise<void>;
  /** Replace the interaction's first message (a deferral, or the "queued" line) with the answer. */
  editOriginal(token: string, body: RESTPatchAPIWebhookWithTokenMessageJSONBody): Promise<void>;
  /** Close the connections. */
  close(): void;
}

/** Answers for the application `applicationId`, to `apiUrl` (`…/api`, as the REST client's `api`; default Discord's). */
export function interactionAnswers(applicationId: string, apiUrl = DISCORD_API): InteractionAnswers {
  const base = new URL(`${apiUrl.replace(/\/+$/, '')}/${VERSION}`);
  const connections = new AnswerConnections(base, SOCKETS, IDLE_MS);
  const send = (method: 'POST' | 'PATCH', route: string, body: unknown) =>
    sendJson(connections, method, `${base.pathname}${route}`, JSON.stringify(body));
  return {
    respond: (interaction, body) => send('POST', Routes.interactionCallback(interaction.id, interaction.token), body),
    editOriginal: (token, body) => send('PATCH', Routes.webhookMessage(applicationId, token, '@original'), body),
    close: () => connections.close(),
  };
}

/**
 * One JSON request; resolves on a 2xx, else rejects with what Discord said. A connection the server
 * closed just as it was reused fails before Discord read the request: it is sent again, once; had
 * Discord read it after all, the second callback is refused as already answered, which it was.
 */
async function sendJson(connections: AnswerConnections, method: string, path: string, json: string, again = false): Promise<void> {
  let res;
  try {
    res = await connections.send(method, path, json, USER_AGENT);
  } catch (err) {
    const dropped = err instanceof ConnectionError && err.reused && (err.code === 'ECONNRESET' || err.code === 'EPIPE');
    if (!again && dropped) return sendJson(connections, method, path, json, true);
    throw err;
  }
  if (res.status >= 200 && res.status < 300) return;
  const error = refusal(res.status, res.body);
  if (again && error.code === ALREADY_ANSWERED) return;
  throw error;
}

function refusal(status: number, text: string): InteractionAnswerError {
  try {
    const body = JSON.parse(text) as { code?: number; message?: string };
    return new InteractionAnswerError(status, body.code, body.message ?? '');
  } catch {
    return new InteractionAnswerError(status, undefined, text.slice(0, 200));
  }
}
