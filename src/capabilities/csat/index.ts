/**
 * Satisfaction (CSAT): the survey after a resolution, `/ticket rate` and its buttons, the comment
 * form; its figures (figures.ts) are part of `/ticket stats` and `tierdesk report`. Built only from the capability structure: it listens
 * to the ticket's lifecycle hooks instead of changing the use cases that resolve and close.
 */
import type { Capability } from '../../core/capability.js';
import { TICKET, num } from '../tickets/commands.js';
import { askForRating, rateTicket, RATE_USAGE } from './survey.js';

export const csat: Capability = {
  name: 'csat',
  summary: 'Satisfaction',
  commands: [
    {
      name: 'ticket',
      summary: '',
      hint: '',
      extend: true,
      subs: [
        {
          name: 'rate',
          summary: 'rate the resolution of your ticket from 1 (poor) to 5 (great), with a comment if you like',
          who: 'requester',
          args: [
            TICKET,
            {
              name: 'score',
              summary: 'Your rating',
              kind: 'choice',
              positional: true,
              required: true,
              choices: ['1', '2', '3', '4', '5'],
              placeholder: '1-5',
            },
            {
              name: 'comment',
              summary: 'A comment (optional)',
              label: 'Anything to add? (optional)',
              kind: 'text',
              positional: true,
              long: true,
              maxLength: 1000,
            },
          ],
          form: {
            kind: 'ticket.rate',
            title: 'Rate #{number}',
            fields: ['comment'],
            submitLabel: 'Rate',
            enabled: (core) => core.config.csat.comment,
          },
          run: (core, req, a) => rateTicket(core, req, num(a, RATE_USAGE), a.score, a.comment),
        },
      ],
    },
  ],
  buttons: [{ action: 'rate', twin: 'ticket rate' }],
  hooks: {
    'ticket.resolved': async (core, work, { ticket }) => {
      if (core.config.csat.ask === 'on_resolve') await askForRating(core, work, ticket);
    },
    'ticket.closed': async (core, work, { ticket }) => {
      if (core.config.csat.ask === 'on_close') await askForRating(core, work, ticket);
    },
  },
};
