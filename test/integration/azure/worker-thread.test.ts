// An Azure exporter's store as a worker thread runs it, from the built bundle: its uploads reach
// Azurite without loading undici, Node's fetch, into the thread (the SDK is bundled so that it
// reaches node:http as require() does, and its form-data step, which reads the global FormData, is
// taken out: main/core/stores/azure/client.ts).
import type { ContainerClient } from "@azure/storage-blob";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { AzureStorageSpec } from "../../../main/core/stores/azure/spec.js";
import { devAccount } from "../../../stack/azurite.js";
import { azureAdmin, azureBlobs, startAzurite, type Azurite } from "../../support/azure.js";
import { builtFileHolding, inFreshThread, openStoreCode, undiciLoaded } from "../../support/fresh-thread.js";

let azurite: Azurite;
let container: ContainerClient;
const name = `worker-thread-${Date.now().toString(36)}`;

beforeAll(async () => {
  azurite = await startAzurite();
  container = azureAdmin(azurite, name);
  await container.create();
});

afterAll(() => azurite?.stop());

it("stores a file from a fresh thread without loading undici into it", async () => {
  const store = builtFileHolding("class AzureObjectStore");
  const spec: AzureStorageSpec = {
    type: "AZURE",
    bucket: name,
    endpoint: azurite.endpoint,
    accountName: devAccount.name,
    secret: { kind: "account-key", accountKey: devAccount.key },
  };
  const result = await inFreshThread<{ undici: boolean } | { error: string }>(`
    ${openStoreCode(store, spec)}
    await store.put("export/one.jsonl", Buffer.from('{"n":1}\\n'));
    await store.put("export/two.jsonl", Buffer.from('{"n":2}\\n'));
    return { undici: ${undiciLoaded} };`);
  expect(result).toEqual({ undici: false });
  expect(await azureBlobs(container)).toEqual([
    { key: "export/one.jsonl", body: '{"n":1}\n' },
    { key: "export/two.jsonl", body: '{"n":2}\n' },
  ]);
});
