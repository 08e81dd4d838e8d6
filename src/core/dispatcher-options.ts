/** How a Dispatcher is tuned, and what one delivery pass did. */
export interface DispatcherOptions {
  /** Rows read per pass. */
  batch?: number;
  /** After this many failed attempts a row is given up (status `dead`) and logged. */
  maxAttempts?: number;
  /** Jitter source; tests pass a constant. */
  random?: () => number;
  /** How many conversations are delivered to side by side. */
  concurrency?: number;
  /** How long a claimed row is ours before another process may take it (default a minute; tests shorten it). */
  leaseMs?: number;
}

export interface PassResult {
  sent: number;
  failed: number;
  waiting: number;
}
