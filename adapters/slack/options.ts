import type { Logger } from '../../src/ports.js';
import type { Surface } from '../../src/surface.js';

/** What the composition root (src/cli.ts) gives the Slack adapter. */
export interface SlackAdapterOptions {
  botToken: string;
  /** HTTP mode: requests are verified with it. */
  signingSecret?: string;
  /** Socket Mode when set (`xapp-…`). */
  appToken?: string;
  /** Web API base URL (a proxy, or a test server); default Slack's. */
  apiUrl?: string;
  /** HTTP mode: where Bolt's receiver listens (`/slack/events`). Port 0 picks a free one. */
  port?: number;
  host?: string;
  /**
   * What tierdesk offers on Slack, derived from the capabilities' declarations
   * (`createCatalogue().surface('slack', config)`): the slash commands registered, the message
   * shortcuts. The adapter lists no command of its own.
   */
  surface: Surface;
  /** The ticket reaction's emoji name. */
  reaction: string;
  /** The new-ticket form's category select (a text input without them). */
  categories?: string[];
  /** The new-ticket form's preselected urgency and impact. */
  defaults: { urgency: string; impact: string };
  /** User groups whose membership the core needs (tier agents, customer groups). */
  platformGroups: string[];
  /** Peer-support channels: each top-level message is a question, its thread the answers. */
  peerChannels?: string[];
  logger: Logger;
  now: () => number;
}
