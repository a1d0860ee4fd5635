// Google Cloud Storage clients for a sink, with its service-account key. A custom endpoint (an
// emulator such as fake-gcs-server) is reached without authentication, as the library does for
// any non-Google endpoint; Google's own endpoint is reached with the key's signed tokens.
import type { Fix } from "../../../../common/fixes.js";
import { Storage } from "@google-cloud/storage";
import { StreamdropError } from "../../errors.js";
import type { ServiceAccountKey } from "./credentials.js";
import { objectUri } from "../../../../common/stores.js";

export interface GcsLocation {
  bucket: string;
  endpoint?: string;
}

export interface GcsClientOptions {
  /** Validation wants an answer in seconds, not the library's minutes of retries. */
  failFast?: boolean;
}

export function gcsStorageFor(location: GcsLocation, key: ServiceAccountKey, options: GcsClientOptions = {}): Storage {
  const timeout = options.failFast ? 15_000 : 120_000;
  const storage = new Storage({
    projectId: key.projectId,
    credentials: { client_email: key.clientEmail, private_key: key.privateKey },
    ...(location.endpoint ? { apiEndpoint: location.endpoint } : {}),
    timeout,
    // Our own retry loop (exporters) or the user (validation) decides about retrying.
    retryOptions: { autoRetry: false },
  });
  // The `timeout` option does not reach resumable uploads; this covers every request.
  storage.interceptors.push({
    // The library's types say DecorateRequestOptions; it passes (and takes back) gaxios options.
    request: (request) => Object.assign(request, { timeout }) as unknown as ReturnType<Storage["interceptors"][number]["request"]>,
  });
  return storage;
}

/** The HTTP status of a Cloud Storage failure, whichever of the library's error shapes it came in. */
export function gcsStatus(error: unknown): number | undefined {
  const failure = error as { code?: unknown; response?: { status?: number; statusCode?: number } } | undefined;
  if (typeof failure?.code === "number") return failure.code;
  return failure?.response?.status ?? failure?.response?.statusCode;
}

export function gcsErrorMessage(error: unknown): string {
  const failure = error as { message?: string; response?: { data?: { error?: { message?: string } } } } | undefined;
  return (failure?.response?.data?.error?.message ?? failure?.message ?? String(error)).trim();
}

interface GcsAttempt {
  bucket: string;
  key: string;
  endpoint?: string;
  clientEmail: string;
}

/** Authorization-like failures need the user; retrying them would only hide the problem. */
export const isGcsAuthorizationError = (error: unknown) => [401, 403, 404].includes(gcsStatus(error) ?? 0);

/** What went wrong and what to do, by HTTP status; the library's messages hold no secrets. */
export function explainGcsError(error: unknown, attempt: GcsAttempt): StreamdropError {
  const status = gcsStatus(error);
  const message = gcsErrorMessage(error);
  const fail = (text: string, ...fixes: Fix[]) => new StreamdropError("storage", text, { cause: error, fixes });
  const object = objectUri("GCLOUD", attempt.bucket, attempt.key);
  if (status === 403) {
    return fail(
      `Access denied for storage.objects.create on ${object}. Grant the service account ${attempt.clientEmail} a role with storage.objects.create on bucket ${attempt.bucket}, such as "Storage Legacy Bucket Writer" (roles/storage.legacyBucketWriter) or "Storage Object Creator".`,
    );
  }
  if (status === 401)
    return fail(
      `Cloud Storage did not accept the service-account key of ${attempt.clientEmail}: it may have been deleted or disabled. Create a new key and update the sink with it.`,
      // The sink's key itself: every exporter on the sink shares the problem, and new credentials mend it.
      { id: "replace-credentials" },
    );
  if (status === 404)
    return fail(`Bucket ${attempt.bucket} does not exist${attempt.endpoint ? ` at ${attempt.endpoint}` : ""}. Check the name, or create the bucket first.`);
  if (status === 412) return fail(`${object} exists already and Streamdrop never overwrites a file with different content.`);
  if (/invalid_grant|invalid_client|account not found/i.test(message)) {
    return fail(
      `Google refused the service-account key of ${attempt.clientEmail} (${message}). The key may have been deleted, or the account disabled: create a new key and update the sink with it.`,
    );
  }
  const code = (error as { code?: unknown }).code;
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|network timeout|socket hang up/i.test(`${String(code)} ${message}`)) {
    return fail(
      `Cannot reach Cloud Storage${attempt.endpoint ? ` at ${attempt.endpoint}` : ""} (${typeof code === "string" ? code : message}). Check the endpoint URL and your network.`,
    );
  }
  return fail(`Cloud Storage refused to store ${object}: ${status ?? "error"}: ${message}`);
}
