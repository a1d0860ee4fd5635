// Azure Blob Storage for tests: a private Azurite, an admin client (the development account's
// key, Azurite's published well-known one) that creates containers and reads blobs back, and SAS
// URLs signed with it for exactly the permissions a test wants.
import { ContainerClient, ContainerSASPermissions, generateBlobSASQueryParameters, StorageSharedKeyCredential } from "@azure/storage-blob";
import { devAccount, startAzurite, type Azurite } from "../../stack/azurite.js";

export { startAzurite, type Azurite };

const credential = new StorageSharedKeyCredential(devAccount.name, devAccount.key);

export const azureAdmin = (azurite: Azurite, container: string) => new ContainerClient(`${azurite.endpoint}/${container}`, credential);

/** A container SAS URL with these permissions (`cw`, `r`, …), or signed with a stored access policy. */
export function containerSasUrl(azurite: Azurite, container: string, access: { permissions: string; expiresInMs?: number } | { policy: string }): string {
  const sas = generateBlobSASQueryParameters(
    "policy" in access
      ? { containerName: container, identifier: access.policy }
      : {
          containerName: container,
          permissions: ContainerSASPermissions.parse(access.permissions),
          expiresOn: new Date(Date.now() + (access.expiresInMs ?? 3_600_000)),
        },
    credential,
  ).toString();
  return `${azurite.endpoint}/${container}?${sas}`;
}

/** Every blob in the container, with its content. */
export async function azureBlobs(container: ContainerClient): Promise<Array<{ key: string; body: string }>> {
  const blobs: Array<{ key: string; body: string }> = [];
  for await (const blob of container.listBlobsFlat())
    blobs.push({ key: blob.name, body: (await container.getBlockBlobClient(blob.name).downloadToBuffer()).toString("utf8") });
  return blobs;
}
