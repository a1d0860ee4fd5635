// Storing batch files. Transient failures (network, 5xx, throttling, an unreachable store) are
// retried with exponential backoff and full jitter, however long the outage; refusals
// (credentials, permissions, a missing bucket) are not retried here: they need a person, so they
// surface as an error state.
import { NeedsPersonError } from "../needs-person.js";
import type { ObjectStore } from "../../stores/object-store.js";
import type { FileBody } from "../../stores/file-body.js";

export interface RetryPolicy {
  /** Called before each wait, for status reporting. */
  onRetry?: (attempt: number, error: unknown, delayMs: number) => void;
  /**
   * Aborted when the worker is stopping: a wait ends at once (it may be 30 s, and the engine kills
   * a worker that has not stopped after 20 s), and the store gives up with the last error.
   */
  signal?: AbortSignal;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

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
