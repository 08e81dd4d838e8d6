/**
 * An error the person who caused it should see and can fix: bad input, a refusal, a missing ticket.
 * `code` is stable (for tests, logs and translations); `message` is written for a human.
 * Anything that is not a UserError is unexpected: it is logged with a reference id and the user
 * only gets a short apology carrying that id.
 */
export class UserError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The input field at fault, when there is one (forms show the message next to it). */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** True when `err` is a UserError (also across module copies). */
export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError || (err instanceof Error && err.name === 'UserError' && 'code' in err);
}

/**
 * Another writer changed the same thing first (an optimistic check lost). The unit of work runs
 * again; if it keeps losing, the person is told `busy` (a UserError) and may try again.
 */
export class ConflictError extends Error {
  readonly isConflict = true;
  constructor(
    message: string,
    /** What the person is told when retrying did not help. */
    readonly busy: string,
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** True when `err` is a lost optimistic check (also across module copies). */
export function isConflict(err: unknown): err is ConflictError {
  return err instanceof ConflictError || (err instanceof Error && (err as { isConflict?: unknown }).isConflict === true);
}
