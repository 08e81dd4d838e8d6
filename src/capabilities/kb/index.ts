/** The knowledge base: `/kb`, article buttons, and the deflection offer made before a ticket opens. */
import type { Capability } from '../../core/capability.js';
import { DEFLECT_COMMAND, KB_BUTTONS, KB_COMMAND } from './commands.js';

export const kb: Capability = {
  name: 'kb',
  summary: 'Knowledge base',
  commands: [KB_COMMAND, DEFLECT_COMMAND],
  buttons: KB_BUTTONS,
};
