/** Tickets: `/ticket` and its buttons, the reopen window's timer, the home view. */
import type { Capability } from '../../core/capability.js';
import { closeAfterReopenWindow } from './close-ticket.js';
import { DM_COMMAND } from './direct-message.js';
import { TICKET_BUTTONS, TICKET_COMMAND } from './commands.js';
import { homeView } from './home-view.js';
import { messageKeys } from './ticket-model.js';
import { AUTO_CLOSE } from './resolve-ticket.js';

export const tickets: Capability = {
  name: 'tickets',
  summary: 'Tickets',
  commands: [
    TICKET_COMMAND,
    {
      name: 'home',
      summary: 'Your tickets and, for agents, your queue',
      hint: '',
      surfaces: ['console'],
      subs: [{ name: '', summary: 'your tickets and, for agents, your queue', who: 'anyone', run: (core, req) => homeView(core, req.actor) }],
    },
    DM_COMMAND,
  ],
  buttons: [
    ...TICKET_BUTTONS,
    { action: 'panel', twin: 'ticket new' },
    { action: 'dm.attach', twin: 'dm attach' },
    { action: 'dm.open', twin: 'dm open' },
  ],
  // "Create ticket" on a message: the new-ticket form, filled in from it (the router sends `ticket.message` there).
  messageActions: [
    {
      action: 'ticket.message',
      callbackId: 'tierdesk_create_ticket',
      label: 'Create ticket',
      summary: 'Turn this message into a help desk ticket',
      surfaces: ['slack'],
    },
  ],
  timers: { [AUTO_CLOSE]: (core, work, t) => closeAfterReopenWindow(core, work, Number(t.subject), t.late) },
  // A closed ticket's private thread closes too (after the notices of the closing unit, in their order);
  // reopening opens it first (resolve-ticket.ts).
  hooks: { 'ticket.closed': (_core, work, { ticket }) => work.sealThread(messageKeys.requester(ticket), true, ticket) },
};
