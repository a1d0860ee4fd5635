// Every setting that shapes a file, changed while a file is pending on Azure Blob Storage
// (Azurite, create-only writes) and its worker killed: nothing lost or doubled, and the export log
// equals the container (test/support/pending-change.ts).
import type { ContainerClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, it } from "vitest";
import { azureAdmin, containerSasUrl, startAzurite, type Azurite } from "../../support/azure.js";
import { uniqueName } from "../../support/clients.js";
import { changeWhilePending, shapingChanges, type StoreUnderTest } from "../../support/pending-change.js";

let azurite: Azurite;
let container: ContainerClient;
const name = uniqueName("pending")
  .toLowerCase()
  .replace(/[^a-z0-9-]/g, "-")
  .slice(0, 63);

const blobs: StoreUnderTest = {
  get port() {
    return Number(new URL(azurite.endpoint).port);
  },
  async createSink(core, proxyUrl, prefix) {
    // The SAS URL names the proxy: the sink reaches Azurite through it.
    const sas = containerSasUrl(azurite, name, { permissions: "cw" }).replace(new URL(azurite.endpoint).origin, proxyUrl);
    await core.sinks.create({ name: "sink", bucket: name, credentials: { from: "text", text: sas, label: "(test SAS)" }, pathPrefix: prefix });
  },
  async objects(prefix) {
    const found: Array<{ key: string; bytes: Buffer }> = [];
    for await (const blob of container.listBlobsFlat({ prefix: `${prefix}/` }))
      found.push({ key: blob.name, bytes: await container.getBlockBlobClient(blob.name).downloadToBuffer() });
    return found;
  },
};

beforeAll(async () => {
  azurite = await startAzurite();
  container = azureAdmin(azurite, name);
  await container.create();
});
afterAll(() => azurite?.stop());

describe.concurrent.each(shapingChanges)("on Azure Blob Storage, changing the $setting while a file is pending", (shaping) => {
  it("re-creates the pending file as planned: nothing lost or doubled, the export log equal to the container", { timeout: 120_000 }, () =>
    changeWhilePending(blobs, shaping),
  );
});
