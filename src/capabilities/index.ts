/**
 * Every capability tierdesk runs, in the order /help lists them. A new capability is a folder here
 * with an index.ts declaring it, added to this list (ARCHITECTURE.md, "Adding a capability").
 */
import type { Capability } from '../core/capability.js';
import { Catalogue } from '../core/catalogue.js';
import { commandHelp, helpText } from '../core/help.js';
import { consults } from './consults/index.js';
export { CONVERSATIONS } from './conversations.js';
import { csat } from './csat/index.js';
import { kb } from './kb/index.js';
import { oncall } from './oncall/index.js';
import { outOfHours } from './out-of-hours/index.js';
import { peer } from './peer/index.js';
import { products } from './products/index.js';
import { sla } from './sla/index.js';
import { tickets } from './tickets/index.js';
import { transcripts } from './transcripts/index.js';
import { webhooks } from './webhooks/index.js';

/** `/help [command]`: derived from the catalogue it is part of. */
const help: Capability = {
  name: 'help',
  summary: 'Help',
  commands: [
    {
      name: 'help',
      summary: 'Every command, or one command in full',
      hint: '[command]',
      // Slack keeps /help for itself: there, `/ticket help` answers.
      surfaces: ['console', 'discord'],
      subs: [
        {
          name: '',
          summary: 'every command, or one command in full',
          who: 'anyone',
          args: [{ name: 'command', summary: 'A command, e.g. kb', kind: 'word', positional: true, placeholder: 'command' }],
          run: async (core, req, a) => {
            const named = a.command ? core.catalogue.command(a.command.replace(/^\//, '')) : undefined;
            return { text: named ? commandHelp(core.catalogue, named, req.place.platform) : helpText(core.catalogue, req.place.platform) };
          },
        },
      ],
    },
  ],
};

export const CAPABILITIES: readonly Capability[] = [
  tickets,
  sla,
  oncall,
  peer,
  kb,
  csat,
  transcripts,
  products,
  outOfHours,
  consults,
  webhooks,
  help,
];

/** The catalogue of everything tierdesk offers. */
export function createCatalogue(): Catalogue {
  return new Catalogue(CAPABILITIES);
}
