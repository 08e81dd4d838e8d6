/**
 * Transcripts: a closed ticket's transcript to the transcripts channel and the requester, and
 * `/ticket transcript N` on demand. Built from the capability structure: it listens to `ticket.closed`.
 */
import type { Capability } from '../../core/capability.js';
import { TICKET, num } from '../tickets/commands.js';
import { sendTranscripts, transcriptOnDemand } from './send.js';

export const transcripts: Capability = {
  name: 'transcripts',
  summary: 'Transcripts',
  commands: [
    {
      name: 'ticket',
      summary: '',
      hint: '',
      extend: true,
      subs: [
        {
          name: 'transcript',
          summary: 'the transcript of a ticket (yours: the public conversation; agents: with internal notes)',
          who: 'requester',
          args: [TICKET],
          run: (core, req, a) => transcriptOnDemand(core, req, num(a, '/ticket transcript <N>')),
        },
      ],
    },
  ],
  hooks: { 'ticket.closed': (core, work, { ticket }) => sendTranscripts(core, work, ticket) },
};
