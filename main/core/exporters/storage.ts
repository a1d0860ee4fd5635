// Storing batch files. Transient failures (network, 5xx, throttling, an unreachable store) are
// retried with exponential backoff and full jitter, however long the outage; refusals
// (credentials, permissions, a missing bucket) are not retried here: they need a person, so they
// surface as an error state.
import { NeedsPersonError } from "./needs-person.js";
import type { ObjectStore } from "../stores/object-store.js";
import type { FileBody } from "../stores/file-body.js";

export interface RetryPolicy {
  /** Called before each wait, for status reporting. */
  onRetry?: (attempt: number, error: unknown, delayMs: number) => void;
  /** Aborted when the worker is stopping: a wait ends at once, and the store gives up with the last error. */
  signal?: AbortSignal;
  /**
   * For a caller that has only a flag: true once the worker is stopping. Looked at before each
   * wait and every 100 ms during it, so a wait of up to 30 s still ends within 100 ms of a stop
   * (the engine kills a worker that has not stopped after 20 s).
   */
  stopped?: () => boolean;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/** How often a wait looks at `stopped()`. */
export const stopPollMs = 100;

export async function storeObject(store: ObjectStore, key: string, body: FileBody, retry: RetryPolicy = {}): Promise<void> {
  const base = retry.baseDelayMs ?? 500;
  const max = retry.maxDelayMs ?? 30_000;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await store.put(key, body);
      return;
    } catch (error) {
      const problem = store.authorizationProblem(error, key);
      if (problem) throw new NeedsPersonError("storage-refused", problem, { cause: error });
      if (stopping(retry)) throw error;
      const delay = Math.random() * Math.min(max, base * 2 ** Math.min(attempt, 16));
      retry.onRetry?.(attempt, error, delay);
      await backoff(delay, retry);
      if (stopping(retry)) throw error;
    }
  }
}

const stopping = (retry: RetryPolicy): boolean => retry.signal?.aborted === true || retry.stopped?.() === true;

/** Waits `delayMs`, or until the worker is stopping, whichever comes first. */
function backoff(delayMs: number, retry: RetryPolicy): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      clearInterval(watch);
      retry.signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, delayMs);
    const { stopped } = retry;
    const watch = stopped
      ? setInterval(() => {
          if (stopped()) done();
        }, stopPollMs)
      : undefined;
    retry.signal?.addEventListener("abort", done, { once: true });
  });
}
