/**
 * The dashboard's pages act and check through the catalogue, like chat: a form becomes the command
 * chat would send (handed to `desk.handle`), and a page that shows what a command shows is refused
 * by the same declaration (`who`, refined by `allowed`) before anything is read.
 */
import { randomUUID } from 'node:crypto';
import type { Desk } from '../../src/core/desk.js';
import { findSub } from '../../src/core/catalogue.js';
import type { Request } from '../../src/core/request.js';
import { authorize } from '../../src/core/run-command.js';
import type { Core } from '../../src/core/work.js';
import { UserError } from '../../src/domain/errors.js';
import type { Viewer } from './viewer.js';

/** The place every dashboard request comes from. */
export const DASHBOARD_PLACE = { platform: 'web' as const, space: 'web', channel: 'dashboard' };

export function requestOf(v: Viewer): Request {
  return { actor: v.actor, place: DASHBOARD_PLACE };
}

/**
 * Why the viewer may not run `/command sub` (the declaration's own words), or undefined when they may.
 * An unexpected failure is not a refusal: it is thrown.
 */
export async function refusalOf(core: Core, v: Viewer, command: string, sub: string, args: Record<string, string> = {}): Promise<string | undefined> {
  const spec = core.catalogue.command(command);
  const declared = spec ? findSub(spec, sub) : undefined;
  if (!declared) throw new Error(`/${command} ${sub} is not declared`);
  try {
    await authorize(core, requestOf(v), declared, args);
    return undefined;
  } catch (err) {
    if (err instanceof UserError) return err.message;
    throw err;
  }
}

/**
 * Run `/command sub` with the form's values for the arguments it declares (an optional field left
 * empty is not given; a required one goes as '' so the use case names it). Resolves with the answer's
 * first line, to show the person.
 */
export async function runAs(
  desk: Desk,
  v: Viewer,
  command: string,
  sub: string,
  form: URLSearchParams,
  fixed: Record<string, string> = {},
): Promise<string> {
  const spec = desk.core.catalogue.command(command);
  const declared = spec ? findSub(spec, sub) : undefined;
  if (!declared) return `Unknown action "${sub.slice(0, 40)}".`;
  const args: Record<string, string> = { sub, ...fixed };
  for (const a of declared.args ?? []) {
    if (a.name in fixed) continue;
    const value = form.get(a.name);
    if (value !== null && (value.trim() !== '' || a.required)) args[a.name] = value;
  }
  const reply = await desk.handle({
    key: `web:${randomUUID()}`,
    at: desk.core.clock.now(),
    from: v.actor.person,
    place: DASHBOARD_PLACE,
    kind: 'command',
    name: command,
    args,
  });
  return reply?.text.split('\n')[0] ?? 'Done.';
}
