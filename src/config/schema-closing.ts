/** The schemas of what closes the loop: satisfaction surveys and transcripts. */
import { z } from 'zod';
import { id, snowflake, strict } from './schema-parts.js';
import { WEBHOOK_EVENTS } from './webhooks.js';

export const csat = strict({
  enabled: z.boolean().describe('ask requesters to rate resolutions (default true)'),
  ask: z.enum(['on_resolve', 'on_close']).describe('when to ask: when the ticket is resolved (default) or when it closes'),
  comment: z.boolean().describe('offer a comment with the rating (default true)'),
  alert_below: z.number().int().min(0).max(5).describe('a rating at or below this alerts the tier and the assignee (default 2; 0: never)'),
});

export const transcripts = strict({
  slack: id('Slack channel id that receives the agents\u2019 copy of each closed ticket\u2019s transcript'),
  discord: snowflake('Discord channel id that receives the agents\u2019 copy of each transcript'),
  console: id('console channel name for the agents\u2019 copy of each transcript'),
  to_requester: z.boolean().describe('send the requester their copy (public messages only) by DM when the ticket closes (default false)'),
});

export const webhook = strict(
  {
    name: z.string().describe('a name for logs and delivery order (letters, digits, ".", "_", "-"; default webhook-N)'),
    url: z.string().describe('where events are POSTed (https://…)'),
    events: z.array(z.enum(WEBHOOK_EVENTS)).describe('the events to send'),
    secret: z.string().describe('the environment variable holding the HMAC-SHA256 key, written ${NAME} (16+ characters); signs X-Tierdesk-Signature'),
  },
  { required: ['url', 'events', 'secret'] },
);
