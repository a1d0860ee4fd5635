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
  /** Resolves early when the worker is stopping; the store then gives up. */
  stopped?: () => boolean;
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
      if (retry.stopped?.()) throw error;
      const delay = Math.random() * Math.min(max, base * 2 ** Math.min(attempt, 16));
      retry.onRetry?.(attempt, error, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
