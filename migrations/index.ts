import type { Migration } from 'kysely';
import * as core from './2026-11-26-01-core.js';
import * as sla from './2026-11-26-02-sla.js';
import * as pages from './2026-11-26-03-pages.js';
import * as peerKb from './2026-11-26-04-peer-kb.js';
import * as ticketSequence from './2026-11-26-05-ticket-sequence.js';
import * as outboxLeases from './2026-11-26-06-outbox-leases.js';
import * as directDrafts from './2026-12-07-01-direct-drafts.js';
import * as csat from './2026-12-07-02-csat.js';
import * as messagesShown from './2026-12-07-03-messages-shown.js';
import * as metricCounts from './2026-12-07-04-metric-counts.js';
import * as retention from './2026-12-07-05-retention.js';
import * as productWarnings from './2026-12-07-06-product-warnings.js';
import * as consults from './2026-12-07-07-consults.js';
import * as web from './2026-12-07-10-web.js';
import * as oncallHandles from './2026-12-08-41-oncall-handles.js';
import * as requesterZone from './2026-12-08-42-requester-zone.js';
import * as inboundQueue from './2026-12-08-51-inbound-queue.js';
import * as apiTokens from './2026-12-08-71-api-tokens.js';
import * as ticketsRequesterTitle from './2026-12-08-81-tickets-requester-title.js';
import * as handleGrantPending from './2026-12-08-91-handle-grant-pending.js';

/**
 * Every migration, in order, by name. A static index: no directory scanning, so bundling and
 * `tsx` behave the same. Names are date-prefixed and never change once landed.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-26-01-core': core,
  '2026-11-26-02-sla': sla,
  '2026-11-26-03-pages': pages,
  '2026-11-26-04-peer-kb': peerKb,
  '2026-11-26-05-ticket-sequence': ticketSequence,
  '2026-11-26-06-outbox-leases': outboxLeases,
  '2026-12-07-01-direct-drafts': directDrafts,
  '2026-12-07-02-csat': csat,
  '2026-12-07-03-messages-shown': messagesShown,
  '2026-12-07-04-metric-counts': metricCounts,
  '2026-12-07-05-retention': retention,
  '2026-12-07-06-product-warnings': productWarnings,
  '2026-12-07-07-consults': consults,
  '2026-12-07-10-web': web,
  '2026-12-08-41-oncall-handles': oncallHandles,
  '2026-12-08-42-requester-zone': requesterZone,
  '2026-12-08-51-inbound-queue': inboundQueue,
  '2026-12-08-71-api-tokens': apiTokens,
  '2026-12-08-81-tickets-requester-title': ticketsRequesterTitle,
  '2026-12-08-91-handle-grant-pending': handleGrantPending,
};
