/** /help and per-command help, derived from the declarations: what a surface runs, nothing else. */
import type { Platform } from '../ports.js';
import type { CommandSpec, SubcommandSpec, Who } from './capability.js';
import { lowerFirst, runsOn, usageOf, type Catalogue } from './catalogue.js';

const GROUPS: ReadonlyArray<[Who, string]> = [
  ['anyone', 'Everyone:'],
  ['requester', 'Requesters:'],
  ['agents', 'Agents:'],
  ['leads', 'Leads:'],
  ['staff', 'Agents and leads:'],
];

const line = (command: CommandSpec, sub: SubcommandSpec) => `  ${usageOf(command, sub)}\n      ${sub.summary}`;

function subsOn(command: CommandSpec, platform: Platform): SubcommandSpec[] {
  return command.subs.filter((s) => runsOn(s.surfaces, platform));
}

/** Every command this surface runs: `/ticket` by who uses it, then each other command, by capability. */
export function helpText(catalogue: Catalogue, platform: Platform): string {
  const lines = ['tierdesk commands'];
  const ticket = catalogue.command('ticket');
  if (ticket) {
    const subs = subsOn(ticket, platform);
    for (const [who, title] of GROUPS) {
      const mine = subs.filter((s) => s.who === who);
      if (mine.length > 0) lines.push(title, ...mine.map((s) => line(ticket, s)));
    }
  }
  for (const cap of catalogue.capabilities) {
    const commands = (cap.commands ?? []).filter(
      (c) => c.name !== 'ticket' && !c.unlisted && runsOn(c.surfaces, platform) && subsOn(c, platform).length > 0,
    );
    if (commands.length === 0) continue;
    lines.push(`${cap.summary}:`);
    for (const c of commands) {
      const subs = subsOn(c, platform);
      // A long family is summed up in one line; its own help lists the rest.
      if (subs.length > 4) lines.push(`  /${c.name} help\n      ${c.summary} (/${c.name} help lists its commands)`);
      else lines.push(...subs.map((s) => line(c, s)));
    }
  }
  lines.push("In a ticket's conversation, just write: the requester's messages reach the agents; an agent's message is a public reply.");
  return lines.join('\n');
}

/** `/kb help`, `/ticket help`: one command's sub-commands with their usage. */
export function commandHelp(catalogue: Catalogue, command: CommandSpec, platform: Platform): string {
  if (command.name === 'ticket') return helpText(catalogue, platform);
  const subs = subsOn(command, platform);
  const heading = catalogue.capabilityOf(command.name)?.summary ?? command.summary;
  return [`${heading} commands (/${command.name}: ${lowerFirst(command.summary)}):`, ...subs.map((s) => line(command, s))].join('\n');
}
