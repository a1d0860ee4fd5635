// A core for tests: its own data folder and its own keychain service (in the Secret Service of
// scripts/with-keychain.sh), so tests never see each other's sinks or secrets.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import keytar from "keytar";
import { createCore, type Core } from "../../main/core/index.js";
import { osKeychain } from "../../main/core/keychain/secret-store.js";
import { silentLogger } from "../../main/core/log.js";
import { uniqueName } from "./clients.js";

export interface TestCore extends Core {
  keychainService: string;
  /** Every secret stored under this core's keychain service. */
  keychainEntries(): Promise<Array<{ account: string; password: string }>>;
}

export function testCore(): TestCore {
  const keychainService = uniqueName("Streamdrop-test");
  const core = createCore({ dataDir: mkdtempSync(join(tmpdir(), "streamdrop-data-")), secrets: osKeychain(keychainService), log: silentLogger() });
  return { ...core, keychainService, keychainEntries: () => keytar.findCredentials(keychainService) };
}
