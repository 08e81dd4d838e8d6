import { withOverrides, type Override, type Schedule } from '../../domain/oncall-schedule.js';
import type { Db } from '../../store/connect.js';
import { overridesNotEnded } from '../../store/oncall-overrides.js';
import type { Core } from '../../core/work.js';

/**
 * The schedules as they stand now: the configured ones plus the overrides people added at run time
 * that have not ended. Read from the database each time, so every replica agrees.
 */
export async function currentSchedules(core: Core, db: Db): Promise<ReadonlyMap<string, Schedule>> {
  const configured = core.config.oncall.schedules;
  if (configured.size === 0) return configured;
  const rows = await overridesNotEnded(db, core.clock.now());
  if (rows.length === 0) return configured;
  const extra = new Map<string, Override[]>();
  for (const r of rows) {
    const list = extra.get(r.schedule) ?? [];
    list.push({ user: r.user, from: Number(r.from_at), to: Number(r.to_at) });
    extra.set(r.schedule, list);
  }
  return new Map([...configured].map(([name, s]) => [name, withOverrides(s, extra.get(name) ?? [])]));
}
