/** The calendar feeds' per-person generation (in web_settings): changing it revokes a person's feed address. */
import type { Db } from './connect.js';
import { settingOrCreate } from './web.js';

const key = (person: string) => `ical_generation:${person}`;

export async function feedGeneration(db: Db, person: string): Promise<string> {
  return settingOrCreate(db, key(person), () => '0');
}

/** A new generation for `person`: their old feed addresses stop working. */
export async function renewFeedGeneration(db: Db, person: string, generation: string): Promise<void> {
  await feedGeneration(db, person);
  await db.updateTable('web_settings').set({ value: generation }).where('name', '=', key(person)).execute();
}
