/**
 * Peer support: `/ask`, `/helpers`, the question buttons (and their console twins `/peer ...`),
 * "Mark as solution" on a message, and the clocks of unanswered and stale questions.
 */
import type { ArgSpec, Capability } from '../../core/capability.js';
import { peerAction, peerCommand } from './commands.js';
import { STALE_TIMER, UNANSWERED_TIMER } from './questions.js';
import { staleFired, unansweredFired } from './timers.js';

const QUESTION: ArgSpec = { name: 'number', summary: 'Question number', kind: 'word', positional: true, required: true, placeholder: 'N' };

export const peer: Capability = {
  name: 'peer',
  summary: 'Peer support',
  commands: [
    {
      name: 'ask',
      summary: 'Ask the community a question',
      hint: '<your question> (or nothing, for a form)',
      subs: [
        {
          name: '',
          summary: 'ask the community in the peer channel',
          who: 'anyone',
          args: [
            {
              name: 'question',
              summary: 'Your question, in a sentence or two',
              kind: 'text',
              positional: true,
              required: true,
              placeholder: 'question',
              long: true,
              maxLength: 4000,
            },
            { name: 'title', summary: 'Your question, in one line', kind: 'text', maxLength: 100 },
          ],
          form: { kind: 'ask', title: 'Ask the community', fields: ['title', 'question'], submitLabel: 'Ask' },
          run: (core, req, a) =>
            peerCommand(core, req, 'ask', a.question ?? a.text ?? '', {
              ...(a.title !== undefined ? { title: a.title } : {}),
              text: a.question ?? a.text ?? '',
            }),
        },
      ],
    },
    {
      name: 'helpers',
      summary: 'The helpers with the most points',
      hint: '[week | month | all]',
      subs: [
        {
          name: '',
          summary: 'the helpers with the most points',
          who: 'anyone',
          args: [
            {
              name: 'period',
              summary: 'Which period (default: the last 30 days)',
              kind: 'choice',
              positional: true,
              choices: ['week', 'month', 'all'],
              placeholder: 'week|month|all',
            },
          ],
          run: (core, req, a) => peerCommand(core, req, 'helpers', a.period ?? '', a.period !== undefined ? { period: a.period } : {}),
        },
      ],
    },
    {
      name: 'peer',
      summary: 'Answer a question card',
      hint: 'keep N | reopen N | metoo N M',
      surfaces: ['console'],
      unlisted: true,
      subs: [
        {
          name: 'keep',
          summary: 'keep your question open',
          who: 'anyone',
          args: [QUESTION],
          run: (core, req, a) => peerAction(core, req, 'keep', a.number ?? ''),
        },
        {
          name: 'reopen',
          summary: 'reopen a closed question',
          who: 'anyone',
          args: [QUESTION],
          run: (core, req, a) => peerAction(core, req, 'reopen', a.number ?? ''),
        },
        {
          name: 'metoo',
          summary: 'your question is the same as a solved one',
          who: 'anyone',
          args: [QUESTION, { name: 'same', summary: 'The solved question', kind: 'word', positional: true, required: true, placeholder: 'M' }],
          run: (core, req, a) => peerAction(core, req, 'metoo', `${a.number ?? ''} ${a.same ?? ''}`.trim()),
        },
      ],
    },
  ],
  buttons: ['keep', 'reopen', 'metoo'].map((s) => ({ action: `peer.${s}`, twin: `peer ${s}` })),
  messageActions: [
    {
      action: 'peer.solution',
      callbackId: 'tierdesk_mark_solution',
      label: 'Mark as solution',
      summary: 'This answer solved the question',
      surfaces: ['slack', 'discord'],
    },
  ],
  timers: {
    [UNANSWERED_TIMER]: (core, work, t) => unansweredFired(core, work, t.subject, t.data),
    [STALE_TIMER]: (core, work, t) => staleFired(core, work, t.subject, t.data),
  },
};
