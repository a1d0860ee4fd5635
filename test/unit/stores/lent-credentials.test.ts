// Credentials lent for previews: kept for the session by sink, in the keychain only when asked,
// forgotten in both; a locked keychain or an entry not ours means asking again, never a crash.
import { expect, it } from "vitest";
import type { SecretStore } from "../../../main/core/keychain/secret-store.js";
import { memoryKeychain } from "../../support/memory-keychain.js";
import { LentCredentialsKeeper } from "../../../main/core/stores/lent-credentials.js";

const admin = { accessKeyId: "AKIAEXAMPLEADMIN0001", secretAccessKey: "example-secret-not-real" };

it("keeps lent credentials for the session only, by sink, unless asked to remember them", async () => {
  const keychain = memoryKeychain();
  const keeper = new LentCredentialsKeeper(keychain);
  await keeper.keep("s3", admin, false);
  await expect(keeper.get("s3")).resolves.toEqual(admin);
  await expect(keeper.get("other")).resolves.toBeUndefined();
  expect(keychain.entries.size).toBe(0);
  // A new session (the app started again) has to ask again.
  await expect(new LentCredentialsKeeper(keychain).get("s3")).resolves.toBeUndefined();
});

it("remembers them in the keychain when asked, for the next session too, and forgets them in both", async () => {
  const keychain = memoryKeychain();
  const keeper = new LentCredentialsKeeper(keychain);
  await keeper.keep("azure", { connectionString: "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=not-real" }, true);
  const next = new LentCredentialsKeeper(keychain);
  await expect(next.get("azure")).resolves.toEqual({ connectionString: "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=not-real" });
  await next.forget("azure");
  await expect(next.get("azure")).resolves.toBeUndefined();
  expect(keychain.entries.size).toBe(0);
});

it("asks again when the keychain is locked or holds something it did not write", async () => {
  const locked: SecretStore = {
    getSecret: async () => Promise.reject(new Error("The keychain is locked")),
    setSecret: async () => undefined,
    deleteSecret: async () => Promise.reject(new Error("The keychain is locked")),
  };
  const keeper = new LentCredentialsKeeper(locked);
  await expect(keeper.get("s3")).resolves.toBeUndefined();
  await expect(keeper.forget("s3")).resolves.toBeUndefined();
  const odd = memoryKeychain();
  odd.entries.set("lent-preview:s3", "not json");
  await expect(new LentCredentialsKeeper(odd).get("s3")).resolves.toBeUndefined();
});
