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
import { signingHeaders, type SigningOverrides } from './signing.js';

/** What the app's HTTP endpoint answered: Bolt puts its `ack(...)` in this response. */
export interface BoltHttpResponse {
  status: number;
  body: string;
  /** The body parsed as JSON when it is JSON (e.g. a view_submission's `response_action`), else undefined. */
  json: unknown;
}

export interface SendOptions {
  /** Tamper with the signature (wrong secret, stale timestamp, none) to test rejection. */
  signing?: SigningOverrides;
  headers?: Record<string, string>;
}

export interface EventSendOptions extends EventOptions, SendOptions {
  /** Sends `x-slack-retry-num` (Slack's retries are 1, 2, 3). */
  retryNum?: number;
  /** Sends `x-slack-retry-reason`; defaults to `http_timeout` when `retryNum` is set. */
  retryReason?: string;
}

/**
 * Plays Slack's side of the HTTP transport: signed requests to an app's request URL
 * (`http://127.0.0.1:PORT/slack/events` for Bolt's HTTPReceiver). Each method resolves with the
 * HTTP answer once it arrives, with the ids Slack minted (trigger id, response_url, event id) so a
 * test can follow up: `await web.waitForResponse(sent.responseUrl)`.
 */
export class SlackHttpSender {
  constructor(
    readonly url: string,
    private readonly signingSecret: string,
    private readonly source: PayloadSource,
  ) {}

  /** A slash command, form-encoded field by field as Slack sends it. */
  async slashCommand(
    input: SlashCommandInput,
    options: SendOptions = {},
  ): Promise<BoltHttpResponse & { fields: SlashCommandFields; responseUrl: string; triggerId: string }> {
    const fields = slashCommandFields(this.source, input);
    const response = await this.post(new URLSearchParams(fields).toString(), FORM, options);
    return { ...response, fields, responseUrl: fields.response_url, triggerId: fields.trigger_id };
  }

  /** An Events API `event_callback` (JSON), optionally marked as a retry. */
  async event(input: EventInput, options: EventSendOptions = {}): Promise<BoltHttpResponse & { eventId: string; callback: Record<string, unknown> }> {
    const { body, eventId } = eventCallback(this.source, input, options);
    const headers: Record<string, string> = { ...options.headers };
    if (options.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(options.retryNum);
      headers['x-slack-retry-reason'] = options.retryReason ?? 'http_timeout';
    }
    const response = await this.post(JSON.stringify(body), JSON_TYPE, { ...options, headers });
    return { ...response, eventId, callback: body };
  }

  /** An interactivity payload (block_actions, view_submission, shortcut, ...) as `payload=<json>`. */
  async interaction(input: InteractionInput, options: SendOptions = {}): Promise<BoltHttpResponse & Interaction> {
    const interaction = interactionPayload(this.source, input);
    const body = new URLSearchParams({ payload: JSON.stringify(interaction.payload) }).toString();
    return { ...(await this.post(body, FORM, options)), ...interaction };
  }

  /** The handshake Slack does when a request URL is saved; Bolt echoes the challenge. */
  urlVerification(challenge = 'fake-challenge', options: SendOptions = {}): Promise<BoltHttpResponse> {
    const body = { token: this.source.workspace.team.verificationToken, challenge, type: 'url_verification' };
    return this.post(JSON.stringify(body), JSON_TYPE, options);
  }

  /** Any raw body, signed (or tampered with) like the rest. */
  async post(rawBody: string, contentType: string, options: SendOptions = {}): Promise<BoltHttpResponse> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
        ...signingHeaders(this.signingSecret, rawBody, options.signing),
        ...options.headers,
      },
      body: rawBody,
    });
    const body = await response.text();
    return { status: response.status, body, json: parseJson(body) };
  }
}

/**
 * Exactly this, with no `; charset`: Bolt's HTTPReceiver compares the content-type header as a whole
 * string and parses anything else as JSON.
 */
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
