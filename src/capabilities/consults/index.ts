/**
 * Consults between tiers: `/ticket consult N <question> [--tier L2]` and the card's Consult button;
 * `/consult answer|close|save ID` and the consult card's buttons; answers written in the consult
 * card's thread (src/core/router.ts); counts and answer times in `/ticket stats`.
 */
import type { Args, Capability } from '../../core/capability.js';
import { UserError } from '../../domain/errors.js';
import { formatBusinessTime } from '../../domain/sla.js';
import { consultFigures } from '../../store/consults.js';
import { TICKET, num, words } from '../tickets/commands.js';
import { answerConsult, askConsult, closeConsult, CONSULT_USAGE } from './consult.js';

const ID = { name: 'id', summary: 'Consult number', kind: 'number', positional: true, required: true, placeholder: 'ID' } as const;

/** The consult number in `C12`, `12` or `#12`. */
function consultId(args: Args, usage: string): number {
  const m = /^[#cC]?(\d{1,9})$/.exec((args.id ?? '').trim());
  if (!m) throw new UserError('bad_id', `Which consult? Usage: ${usage}`, 'id');
  return Number(m[1]);
}

export const consults: Capability = {
  name: 'consults',
  summary: 'Consults between tiers',
  commands: [
    {
      name: 'ticket',
      summary: '',
      hint: '',
      extend: true,
      subs: [
        {
          name: 'consult',
          summary: 'ask another tier for advice without handing the ticket over (default: the next tier)',
          who: 'agents',
          args: [
            TICKET,
            words('question', 'Your question for the other tier', 'question'),
            { name: 'tier', summary: 'The tier to ask', kind: 'tier', placeholder: 'L2' },
          ],
          form: { title: 'Consult on #{number}', fields: ['question', 'tier'], submitLabel: 'Ask' },
          run: (core, req, a) => askConsult(core, req, num(a, CONSULT_USAGE), a.question, a.tier || undefined),
        },
      ],
    },
    {
      name: 'consult',
      summary: 'Answer, close or save consults between tiers',
      hint: 'answer C1 <text> | close C1 | save C1',
      subs: [
        {
          name: 'answer',
          summary: 'answer a consult (the asking agents get it as an internal note)',
          who: 'agents',
          args: [ID, words('text', 'Your answer (agents only)', 'text')],
          form: { title: 'Answer consult C{number}', submitLabel: 'Answer' },
          run: (core, req, a) => answerConsult(core, req, consultId(a, '/consult answer <ID> <text>'), a.text),
        },
        {
          name: 'close',
          summary: 'close a consult',
          who: 'agents',
          args: [ID],
          run: (core, req, a) => closeConsult(core, req, consultId(a, '/consult close <ID>'), false),
        },
        {
          name: 'save',
          summary: 'close a consult and save its answer as a knowledge-base draft',
          who: 'agents',
          args: [ID],
          run: (core, req, a) => closeConsult(core, req, consultId(a, '/consult save <ID>'), true),
        },
      ],
    },
  ],
  buttons: [
    { action: 'consult', twin: 'ticket consult' },
    { action: 'consult.answer', twin: 'consult answer' },
    { action: 'consult.close', twin: 'consult close' },
    { action: 'consult.save', twin: 'consult save' },
  ],
  report: async (core, range) => {
    const groups = await consultFigures(core.db, range.from, range.to);
    if (groups.length === 0) return [];
    return [
      'Consults by tier asked: asked, answered, median time to answer',
      ...groups.map((g) => {
        const sorted = [...g.waits].sort((a, b) => a - b);
        const median = sorted.length > 0 ? formatBusinessTime(Math.round(sorted[Math.floor((sorted.length - 1) / 2)]! / 1000)) : '-';
        return `  ${g.tier}: ${g.asked} asked, ${g.waits.length} answered, median ${median}`;
      }),
    ];
  },
};
