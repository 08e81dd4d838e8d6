/**
 * On-call handles (`tiers[].oncall_handle`): a Slack user group and a Discord role whose members
 * tierdesk keeps equal to who is on call for the tier on its `oncall_schedule`. Changed at every
 * handoff (the schedule's durable `handoff` timer), at once after an override, and at start (a
 * handoff missed while tierdesk was down is caught up). Delivered as outbox rows of op `handle`.
 */
import { whoIsOnCall } from '../../domain/oncall-schedule.js';
import type { Person, Platform } from '../../ports.js';
import { handleMembers } from '../../store/oncall-handles.js';
import type { Core, Work } from '../../core/work.js';
import { currentSchedules } from './schedules.js';

const HANDLE_PLATFORMS = ['slack', 'discord'] as const;

/**
 * Queue a change of each handle (of the tiers on `schedule`, or all) whose on-call people differ from
 * what it was last made to have (recorded when a change is applied, so one given up is queued again);
 * a handle already right costs no platform call.
 */
export async function syncHandles(core: Core, work: Work, schedule?: string): Promise<void> {
  const tiers = core.directory.tiers.filter((t) => t.oncallHandle && t.oncallSchedule && (schedule === undefined || t.oncallSchedule === schedule));
  if (tiers.length === 0) return;
  const schedules = await currentSchedules(core, work.db);
  for (const tier of tiers) {
    const current = schedules.get(tier.oncallSchedule ?? '');
    const who = current ? whoIsOnCall(current, work.now) : [];
    for (const platform of HANDLE_PLATFORMS) {
      const group = tier.oncallHandle?.[platform];
      if (group === undefined) continue;
      const space = spaceOf(core, platform);
      const people = peopleOn(core, who, platform, space);
      const ids = people.map((p) => p.id);
      const last = await handleMembers(work.db, platform, group);
      if (last && last.length === ids.length && last.every((id, i) => id === ids[i])) continue;
      await work.setHandle(platform, space, group, people);
    }
  }
}

/** The on-call people's accounts on the platform, by id (people without one there are left out). */
function peopleOn(core: Core, who: readonly string[], platform: Platform, space: string): Person[] {
  const people = new Map<string, Person>();
  for (const id of who) {
    const person = core.directory.personOn(id, platform, space);
    if (person) people.set(person.id, person);
  }
  return [...people.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The guild of a Discord role when tierdesk serves one guild; '' lets the adapter find the guild that has it. */
function spaceOf(core: Core, platform: Platform): string {
  const guilds = core.config.discord.guilds;
  return platform === 'discord' && guilds.length === 1 ? (guilds[0] ?? '') : '';
}
