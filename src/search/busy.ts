/**
 * Waiting on a busy database. SQLite's busy timeout (10 s, or `$METATUNE_BUSY_TIMEOUT_MS`) already queues a
 * writer behind another; a writer that holds the lock longer makes the write fail with
 * SQLITE_BUSY ("database is locked"). A search must not lose a finished round to that, so its
 * writes go through {@link retryBusy}: the whole transaction is retried with exponential backoff
 * (it rolled back, so retrying is safe) until a deadline.
 */

/** How long {@link retryBusy} keeps retrying by default: 10 minutes. */
export const DEFAULT_BUSY_DEADLINE_MS = 600_000;

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** @returns whether the error is SQLite's "database is busy / locked" */
export function isBusyError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  return (typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))) || /database is (locked|busy)/.test(error.message);
}

/**
 * Runs a write, retrying it while the database is busy.
 * @param work - one whole transaction (synchronous)
 * @param options - `deadlineMs` (default {@link DEFAULT_BUSY_DEADLINE_MS}), `onRetry` (told each wait)
 * @returns what `work` returns
 * @throws the busy error once the deadline has passed; any other error at once
 */
export function retryBusy<T>(work: () => T, options: { readonly deadlineMs?: number; readonly onRetry?: (attempt: number, waitMs: number) => void } = {}): T {
  const deadline = Date.now() + (options.deadlineMs ?? DEFAULT_BUSY_DEADLINE_MS);
  for (let attempt = 1; ; attempt++) {
    try {
      return work();
    } catch (error) {
      if (!isBusyError(error) || Date.now() >= deadline) throw error;
      const waitMs = Math.min(2000, 25 * 2 ** Math.min(attempt, 7)) * (0.5 + Math.random() / 2);
      options.onRetry?.(attempt, waitMs);
      Atomics.wait(sleeper, 0, 0, waitMs); // a synchronous sleep: the write API is synchronous
    }
  }
}
