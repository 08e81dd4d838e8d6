import { isUserError } from '../domain/errors.js';
import { cleanUserText } from '../domain/text.js';
import type { Inbound, Reply } from '../ports.js';
import { errorReference } from './ids.js';
import { DuplicateEvent, type Request } from './request.js';
import { runAction, runCommandEvent } from './run-command.js';
import type { Core } from './work.js';
import { DATABASE_UNAVAILABLE_REPLY, isDatabaseUnavailable } from '../store/connect.js';

/**
 * The router: turns an Inbound event into a use case and its outcome into a Reply. Expected
 * refusals (UserError) are shown to the user; anything else is logged with a reference id and the
 * user gets a short apology carrying that id. A repeated event (same idempotency key) does nothing.
 */
export function createRouter(core: Core, conversations: Conversations): (event: Inbound) => Promise<Reply | void> {
  return async (event) => {
    const actor = core.directory.actor(event.from);
    const req: Request = { actor, place: event.place, key: event.key };
    try {
      const reply = await route(core, conversations, req, event);
      // A safety net: a refusal that quotes what the user typed must not ping anyone either.
      return reply ? Object.assign({}, reply, { text: cleanUserText(reply.text) }) : reply; // not `{ ...reply, text }`: see card()
    } catch (err) {
      if (err instanceof DuplicateEvent) {
        core.logger.debug('duplicate inbound event ignored', { key: event.key, kind: event.kind });
        return;
      }
      if (isUserError(err)) {
        const text = cleanUserText(err.message);
        return err.field !== undefined
          ? { text, fieldErrors: { [err.field]: text }, refusal: { code: err.code, field: err.field } }
          : { text, refusal: { code: err.code } };
      }
      if (isDatabaseUnavailable(err)) {
        // Retryable, and said so: the platform (or the person) tries again once the database is back.
        core.logger.warn('database unavailable; inbound event refused', {
          kind: event.kind,
          key: event.key,
          error: err instanceof Error ? err.message : String(err),
        });
        return { text: DATABASE_UNAVAILABLE_REPLY, refusal: { code: 'unavailable' } };
      }
      const ref = errorReference();
      core.logger.error('unexpected error handling an inbound event', {
        ref,
        kind: event.kind,
        platform: event.from.platform,
        key: event.key,
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      });
      return {
        text: `Sorry, something went wrong on our side (reference ${ref}). Nothing was changed; please try again or tell an operator the reference.`,
        refusal: { code: 'internal' },
      };
    }
  };
}

/**
 * What arrives besides declared commands and buttons: conversation messages, reactions, edits and
 * deletions, message actions, and the Slack App Home. The capabilities answer them
 * (src/capabilities/conversations.ts); desk.ts hands them to the router.
 */
export interface Conversations {
  /** A command no capability declares (`home`), or undefined to run the declared one. */
  command(core: Core, req: Request, event: Extract<Inbound, { kind: 'command' }>): Promise<Reply | void> | undefined;
  /** An action that is no declared button's (a message action). */
  action(core: Core, req: Request, event: Extract<Inbound, { kind: 'action' }>): Promise<Reply | void>;
  message(core: Core, req: Request, event: Extract<Inbound, { kind: 'message' }>): Promise<Reply | void>;
  reaction(core: Core, req: Request, event: Extract<Inbound, { kind: 'reaction' }>): Promise<Reply | void>;
  changed(core: Core, req: Request, event: Extract<Inbound, { kind: 'edited' | 'deleted' }>): Promise<Reply | void>;
}

async function route(core: Core, conversations: Conversations, req: Request, event: Inbound): Promise<Reply | void> {
  switch (event.kind) {
    case 'command':
      return conversations.command(core, req, event) ?? runCommandEvent(core, req, event);
    case 'action':
      // A button is the twin of a declared sub-command: `claim` + `12 --force` runs `/ticket claim 12 --force`.
      return (await runAction(core, req, event)) ?? conversations.action(core, req, event);
    case 'message':
      return conversations.message(core, req, event);
    case 'reaction':
      return conversations.reaction(core, req, event);
    case 'edited':
    case 'deleted':
      return conversations.changed(core, req, event);
  }
}
