// Retrying what fails for a while (a store or a Schema Registry unreachable, 5xx, throttling) with
// exponential backoff and full jitter, however long the outage; what needs a person (refused
// credentials or permissions) is not retried: it is thrown as the NeedsPersonError the caller
// names it, for the worker's error state.
import type { NeedsPersonError } from "./needs-person.js";

export interface RetryPolicy {
  /** Called before each wait, for status reporting. */
  onRetry?: (attempt: number, error: unknown, delayMs: number) => void;
  /**
   * Aborted when the worker is stopping: a wait ends at once (it may be 30 s, and the engine kills
   * a worker that has not stopped within its grace), and the work gives up with the last error.
   */
  signal?: AbortSignal;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * `work`, again after each transient failure until it succeeds or the worker stops. `needsPerson`
 * names the failures that are not transient: thrown at once, as the error it returns.
 */
export async function withBackoff<T>(work: () => Promise<T>, needsPerson: (error: unknown) => NeedsPersonError | undefined, retry: RetryPolicy): Promise<T> {
  const base = retry.baseDelayMs ?? 500;
  const max = retry.maxDelayMs ?? 30_000;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const final = needsPerson(error);
      if (final) throw final;
      if (stopping(retry)) throw error;
      const delay = Math.random() * Math.min(max, base * 2 ** Math.min(attempt, 16));
      retry.onRetry?.(attempt, error, delay);
      await backoff(delay, retry);
      if (stopping(retry)) throw error;
    }
  }
}

const stopping = (retry: RetryPolicy): boolean => retry.signal?.aborted === true;

/** Waits `delayMs`, or until the worker is stopping, whichever comes first. */
function backoff(delayMs: number, retry: RetryPolicy): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      retry.signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, delayMs);
    retry.signal?.addEventListener("abort", done, { once: true });
  });
}
