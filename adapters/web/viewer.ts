/** Who is looking at the dashboard, in the core's terms: the same Actor, tiers and checks chat uses. */
import type { Actor } from '../../src/core/directory.js';
import type { Core } from '../../src/core/work.js';
import type { Person } from '../../src/ports.js';
import type { Session } from './auth.js';
import { NAV } from './html.js';
import { refusalOf } from './run-as.js';

export interface Viewer {
  personId: string;
  actor: Actor;
  session: Session;
  /** Tiers whose queue they see: every tier for a lead, their own for an agent, none for a requester. */
  queueTiers: string[];
  agent: boolean;
  /** Sees a queue of tiers (an agent or a lead) rather than their own tickets. */
  staff: boolean;
  role: 'lead' | 'agent' | 'requester';
  /** The navigation's pages this person may open (each asked of the declaration of the command it shows). */
  nav: readonly string[];
}

/** A signed-in person as the core sees them: platform `web`, space `web`, their people id. */
export function webPerson(personId: string, name: string): Person {
  return { platform: 'web', space: 'web', id: personId, name };
}

/** The viewer behind a session; undefined when the person is no longer configured (signed out). */
export async function viewerOf(core: Core, session: Session): Promise<Viewer | undefined> {
  const dir = core.directory;
  const configured = dir.person(session.person);
  if (!configured) return undefined;
  const actor = dir.actor(webPerson(configured.id, configured.name));
  const lead = dir.isLeadOfAny(actor);
  const own = dir.tiersOf(actor).map((t) => t.id);
  const agent = dir.isAgent(actor);
  const v: Viewer = {
    personId: configured.id,
    actor,
    session,
    queueTiers: lead ? dir.tiers.map((t) => t.id) : own,
    agent,
    staff: lead || agent,
    role: lead ? 'lead' : agent ? 'agent' : 'requester',
    nav: [],
  };
  const nav: string[] = [];
  for (const link of NAV) if (!link.shows || (await refusalOf(core, v, link.shows.command, link.shows.sub)) === undefined) nav.push(link.href);
  return { ...v, nav };
}

export function chromeOf(v: Viewer): { name: string; csrf: string; role: string; nav: readonly string[] } {
  return { name: v.actor.name, csrf: v.session.csrf, role: v.role, nav: v.nav };
}
