/**
 * Transcripts and the record kept: a closed ticket's transcript to the transcripts channel and the
 * requester, `/ticket transcript N` on demand, and the retention timer that deletes old closed
 * tickets' conversation text. Built from the capability structure: it listens to `ticket.closed`.
 */
import type { Capability } from '../../core/capability.js';
import { TICKET, num } from '../tickets/commands.js';
import { armRetention, RETENTION_TIMER, retentionFired } from './retention.js';
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
  timers: { [RETENTION_TIMER]: (core, work, timer) => retentionFired(core, work, timer) },
  start: (core) => armRetention(core),
};
