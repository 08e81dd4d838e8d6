/**
 * A list of things that happened, plus promises for things that have not happened yet.
 *
 * `waitFor` looks at what is already recorded first, then at what arrives later, so a test may
 * trigger an action and only then wait for its effect without racing it. Nothing here uses a
 * timer: a waiter that never matches is rejected by `close()` (the fake's `stop()`), with a
 * message that lists what was seen instead.
 */
export class Recording<T> {
  readonly #items: T[] = [];
  #waiters: Waiter<T>[] = [];

  /** Everything recorded so far, oldest first. */
  get all(): readonly T[] {
    return this.#items;
  }

  add(item: T): void {
    const index = this.#items.push(item) - 1;
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.match(item, index)) return true;
      w.resolve(item);
      return false;
    });
  }

  /** Resolves with the first recorded item (past or future) that matches. */
  waitFor(what: string, match: (item: T, index: number) => boolean): Promise<T> {
    const index = this.#items.findIndex(match);
    if (index >= 0) return Promise.resolve(this.#items[index] as T);
    return new Promise<T>((resolve, reject) => {
      this.#waiters.push({ what, match, resolve, reject });
    });
  }

  /** Forgets what was recorded; pending waiters keep waiting. */
  clear(): void {
    this.#items.length = 0;
  }

  /** Rejects every pending waiter; `seen` describes what did arrive, for the error message. */
  close(seen: () => string): void {
    for (const w of this.#waiters) w.reject(new Error(`${w.what} never happened. ${seen()}`));
    this.#waiters = [];
  }
}

interface Waiter<T> {
  what: string;
  match: (item: T, index: number) => boolean;
  resolve: (item: T) => void;
  reject: (error: Error) => void;
}
