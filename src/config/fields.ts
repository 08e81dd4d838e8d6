/** What every section reader of the configuration shares: how a problem is reported, and basic field readers. */

/** Report a problem at a key path (`tiers[0].agents[1]`). */
export type Bad = (path: string, msg: string) => void;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A non-empty string (or a safe integer, as text), trimmed; anything else is a problem at `path`. */
export function optionalString(v: unknown, path: string, bad: Bad): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (typeof v === 'number') bad(path, 'a large numeric id must be quoted ("100000000000000001") or YAML rounds it');
  else bad(path, 'must be a non-empty string');
  return undefined;
}
