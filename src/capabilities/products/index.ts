/**
 * Products and versions: intake knows the configured products and their support windows, the
 * requester is told when a version is past its support, `/products` lists the windows, the owner
 * tier is warned before a version's support ends, and `/ticket stats` counts tickets by version.
 */
import type { Capability } from '../../core/capability.js';
import { ticketsByProduct } from '../../store/products.js';
import { productIntake, tellAboutSupport } from './intake.js';
import { armEndOfSupportCheck, checkEndsOfSupport, EOS_TIMER } from './warnings.js';
import { supportWindowsText } from './windows.js';

export const products: Capability = {
  name: 'products',
  summary: 'Products and versions',
  commands: [
    {
      name: 'products',
      summary: 'Supported products and versions, the soonest end of support first',
      hint: '',
      subs: [
        {
          name: '',
          summary: 'the support windows of every product version, the soonest end first',
          who: 'anyone',
          run: async (core) => ({ text: supportWindowsText(core.config, core.clock.now()) }),
        },
      ],
    },
  ],
  intake: productIntake,
  hooks: { 'ticket.opened': (core, work, { ticket }) => tellAboutSupport(core, work, ticket) },
  timers: { [EOS_TIMER]: (core, work) => checkEndsOfSupport(core, work) },
  start: armEndOfSupportCheck,
  report: async (core, range) => {
    const groups = await ticketsByProduct(core.db, range.from, range.to);
    if (core.config.products.length === 0 && groups.every((g) => g.product === null)) return [];
    if (groups.length === 0) return ['Tickets by product and version: none opened in this period.'];
    return [
      'Tickets by product and version: opened (still open)',
      ...groups.map((g) => `  ${g.product === null ? 'no product' : `${g.product} ${g.version ?? '(no version)'}`}: ${g.opened} (${g.open})`),
    ];
  },
};
