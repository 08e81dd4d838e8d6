/** `tierdesk config schema`: the JSON Schema of tierdesk.yaml, for editors and CI. */
import { configJsonSchema } from './schema.js';

export const CONFIG_USAGE = 'Usage: tierdesk config schema   (prints the JSON Schema of tierdesk.yaml)';

/** Runs `tierdesk config …`; resolves with the exit code (2 for a usage mistake). */
export function configCommand(rest: readonly string[], say: (text: string) => void, complain: (text: string) => void): number {
  if (rest.length === 1 && rest[0] === 'schema') return (say(JSON.stringify(configJsonSchema(), null, 2)), 0);
  complain(rest.length === 0 ? CONFIG_USAGE : `Unknown config command "${rest.join(' ')}". ${CONFIG_USAGE}`);
  return 2;
}
