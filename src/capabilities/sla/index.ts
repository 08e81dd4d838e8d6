/** SLA clocks: their timers (warnings, breaches) and `/ticket stats`. */
import type { Capability } from '../../core/capability.js';
import { slaTimerFired } from './alerts.js';
import { SLA_TIMER } from './clocks.js';
import { ticketStats } from './stats.js';
import { GROUPINGS } from './grouping.js';

export const sla: Capability = {
  name: 'sla',
  summary: 'SLA',
  commands: [
    {
      name: 'ticket',
      summary: '',
      hint: '',
      extend: true,
      subs: [
        {
          name: 'stats',
          summary: 'SLA attainment, breaches, response and resolution times, backlog',
          who: 'staff',
          args: [
            { name: 'by', summary: 'Group by', kind: 'choice', choices: [...GROUPINGS] },
            { name: 'days', summary: 'Over the last N days (default 30)', kind: 'integer', min: 1, max: 3660, placeholder: 'N' },
          ],
          run: (core, req, a) => ticketStats(core, req, a.by, a.days),
        },
      ],
    },
  ],
  timers: { [SLA_TIMER]: (core, work, t) => slaTimerFired(core, work, t.subject, t.late) },
};
