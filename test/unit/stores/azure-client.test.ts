// An Azure sink's container client: its requests go through the SDK's pipeline without the
// form-data step (main/core/stores/azure/client.ts), which would load undici into a worker's
// thread. Read from the SDK's own pipeline object, so a later SDK that keeps it elsewhere fails here.
import type { ContainerClient } from "@azure/storage-blob";
import { expect, it } from "vitest";
import { containerClientFor } from "../../../main/core/stores/azure/client.js";

const location = { endpoint: "http://127.0.0.1:1/devstoreaccount1", accountName: "devstoreaccount1", bucket: "exports" };
/** Not a real key: 64 bytes of a test pattern, base64. */
const accountKey = Buffer.alloc(64, "streamdrop-test-").toString("base64");

/** The names of the policies each request of `client` goes through, in order. */
function policiesOf(client: ContainerClient): string[] {
  const pipeline = (client as unknown as { pipeline: { _corePipeline?: { getOrderedPolicies(): Array<{ name: string }> } } }).pipeline;
  return pipeline._corePipeline?.getOrderedPolicies().map((policy) => policy.name) ?? [];
}

it("sends through the SDK's pipeline without its form-data step, signing with the account key", () => {
  const policies = policiesOf(containerClientFor(location, { kind: "account-key", accountKey }));
  expect(policies).toContain("storageSharedKeyCredentialPolicy");
  expect(policies).toContain("storageRetryPolicy");
  expect(policies).not.toContain("formDataPolicy");
});

it("does the same for a SAS, and for every blob client made from the container's", () => {
  const container = containerClientFor(location, { kind: "sas", token: "sv=2024-01-01&sig=not-a-signature" });
  expect(policiesOf(container)).not.toContain("formDataPolicy");
  expect(policiesOf(container)).toContain("storageRetryPolicy");
  const blob = container.getBlockBlobClient("a.jsonl") as unknown as ContainerClient;
  expect(policiesOf(blob)).not.toContain("formDataPolicy");
  expect(policiesOf(blob).length).toBeGreaterThan(3);
});
