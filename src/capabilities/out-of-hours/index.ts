/**
 * Out-of-hours answers: a ticket opened while its tier is closed (tiers[].hours) tells its requester
 * when the desk opens, the SLA due times, and whether on-call was paged. Listens to `ticket.opened`.
 */
import type { Capability } from '../../core/capability.js';
import { answerOutOfHours } from './answer.js';

export const outOfHours: Capability = {
  name: 'out-of-hours',
  summary: 'Out-of-hours answers',
  hooks: { 'ticket.opened': (core, work, { ticket }) => answerOutOfHours(core, work, ticket) },
};
