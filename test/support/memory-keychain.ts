// A keychain in memory, for unit tests of what is kept where (integration tests use the real one).
import type { SecretStore } from "../../main/core/keychain/secret-store.js";

export function memoryKeychain(): SecretStore & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    getSecret: async (account) => entries.get(account),
    setSecret: async (account, secret) => void entries.set(account, secret),
    deleteSecret: async (account) => entries.delete(account),
  };
}
