// Azure Blob Storage clients for a sink: a SAS (in the URL, with no other credential) or the
// account key (shared-key signing). Our own retry loop (exporters) or the user (validation)
// decides about retrying, so the SDK tries once, within a timeout.
import { AnonymousCredential, ContainerClient, newPipeline, type Pipeline, StorageSharedKeyCredential } from "@azure/storage-blob";
import { StreamdropError } from "../../errors.js";
import type { AzureSecret } from "./spec.js";

export interface AzureLocation {
  endpoint: string;
  accountName: string;
  bucket: string;
}

export function containerClientFor(location: AzureLocation, secret: AzureSecret, { failFast = false } = {}): ContainerClient {
  const credential = secret.kind === "account-key" ? new StorageSharedKeyCredential(location.accountName, secret.accountKey) : new AnonymousCredential();
  const pipeline = newPipeline(credential, { retryOptions: { maxTries: 1, tryTimeoutInMs: failFast ? 15_000 : 120_000 } });
  const url = `${location.endpoint}/${encodeURIComponent(location.bucket)}${secret.kind === "sas" ? `?${secret.token}` : ""}`;
  const client = new ContainerClient(url, pipeline);
  withoutFormData(pipeline);
  return client;
}

/**
 * Takes the SDK's form-data step out of a pipeline whose clients send only bytes. It asks
 * `typeof FormData` of every request, and Node's FormData is undici's: its first read loads
 * undici into the thread, 1.5 MiB of an exporter's heap (docs/BENCHMARKS.md, "What a store costs
 * a worker"). The SDK builds its core pipeline as the first client is made and keeps it on the
 * pipeline (`_corePipeline`, left out of its types), shared by every client made from it. Were a
 * later SDK to keep it elsewhere, this would do nothing and the requests would still go; tests
 * would say so (unit/stores/azure-client, integration/azure/worker-thread).
 */
function withoutFormData(pipeline: Pipeline): void {
  const core = (pipeline as unknown as { _corePipeline?: { removePolicy(policy: { name: string }): unknown } })._corePipeline;
  core?.removePolicy({ name: "formDataPolicy" });
}

/** The HTTP status and Azure's error code of a failure, whatever shape it came in. */
export function azureFailure(error: unknown): { status?: number; code: string; message: string } {
  const failure = error as { statusCode?: number; code?: string; message?: string; details?: { errorCode?: string } } | undefined;
  const code = failure?.details?.errorCode ?? failure?.code ?? "";
  // Azure's messages carry a request id and time on further lines: the first line says it.
  const message = (failure?.message ?? String(error)).split("\n")[0]!.trim();
  return { ...(typeof failure?.statusCode === "number" ? { status: failure.statusCode } : {}), code, message };
}

interface AzureAttempt {
  bucket: string;
  key: string;
  accountName: string;
  endpoint: string;
  authorization: AzureSecret["kind"];
}

/** Failures that need the user; retrying them would only hide the problem. */
export function isAzureAuthorizationError(error: unknown): boolean {
  const { status, code } = azureFailure(error);
  return status === 401 || status === 403 || (status === 404 && /ContainerNotFound|ResourceNotFound/.test(code)) || code === "ContainerNotFound";
}

/** What went wrong and what to do, by Azure's error code; Azure's messages hold no secrets. */
export function explainAzureError(error: unknown, attempt: AzureAttempt): StreamdropError {
  const { status, code, message } = azureFailure(error);
  const fail = (text: string) => new StreamdropError("storage", text, { cause: error, fixes: [{ id: "replace-credentials" }] });
  const blob = `${attempt.endpoint}/${attempt.bucket}/${attempt.key}`;
  if (code === "AuthorizationPermissionMismatch" || code === "AuthorizationResourceTypeMismatch") {
    return fail(
      `Azure refused to create ${blob}: the SAS lacks the create (c) and write (w) permissions on container ${attempt.bucket} (${code}). Generate a container SAS with permissions cw and replace the sink's credentials with it.`,
    );
  }
  if (code === "AuthenticationFailed" || status === 401) {
    const what =
      attempt.authorization === "sas"
        ? "the SAS (it may have expired, been revoked with its access policy, or been signed with a rotated account key)"
        : "the account key (it may have been rotated)";
    return fail(
      `Azure did not accept ${what} for storage account ${attempt.accountName} (${code || status}). Create new credentials and replace the sink's credentials with them.`,
    );
  }
  if (code === "AuthorizationFailure" || status === 403) {
    return fail(
      `Azure refused to create ${blob} (${code || status}): ${message} Check the SAS's permissions (cw), its allowed IP range and protocol, and the account's firewall.`,
    );
  }
  if (code === "ContainerNotFound" || (status === 404 && code !== "BlobNotFound")) {
    return new StreamdropError(
      "storage",
      `Container ${attempt.bucket} does not exist in storage account ${attempt.accountName}${/127\.0\.0\.1|localhost/.test(attempt.endpoint) ? ` at ${attempt.endpoint}` : ""}. Check the name, or create the container first.`,
      { cause: error },
    );
  }
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|socket hang up|timeout/i.test(`${code} ${message}`)) {
    return new StreamdropError(
      "storage",
      `Cannot reach Azure Blob Storage at ${attempt.endpoint} (${code || message}). Check the storage account's name and your network.`,
      { cause: error },
    );
  }
  return new StreamdropError("storage", `Azure refused to store ${blob}: ${code || status || "error"}: ${message}`, { cause: error });
}
