// Storing batch files. Transient failures (network, 5xx, throttling, an unreachable store) are
// retried with backoff (backoff.ts), however long the outage; refusals (credentials, permissions,
// a missing bucket) are not retried here: they need a person, so they surface as an error state.
import { withBackoff, type RetryPolicy } from "../backoff.js";
import { NeedsPersonError } from "../needs-person.js";
import type { ObjectStore } from "../../stores/object-store.js";
import type { FileBody } from "../../stores/file-body.js";

export type { RetryPolicy };

export async function storeObject(store: ObjectStore, key: string, body: FileBody, retry: RetryPolicy = {}): Promise<void> {
  await withBackoff(
    () => store.put(key, body),
    (error) => {
      const problem = store.authorizationProblem(error, key);
      return problem ? new NeedsPersonError("storage-refused", problem.message, { cause: error, fixes: problem.fixes }) : undefined;
    },
    retry,
  );
}
