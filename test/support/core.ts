// A core for tests: its own data folder and its own keychain service (in the Secret Service of
// scripts/with-keychain.sh), so tests never see each other's sinks or secrets.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import keytar from "keytar";
import { createCore, type Core } from "../../main/core/index.js";
import { osKeychain } from "../../main/core/keychain/secret-store.js";
import { fileLogger, silentLogger } from "../../main/core/log.js";
import { uniqueName } from "./clients.js";

export interface TestCore extends Core {
  keychainService: string;
  /** Every secret stored under this core's keychain service. */
  keychainEntries(): Promise<Array<{ account: string; password: string }>>;
}

/** `logToFile`: the app's log in the data folder, as the app writes it (for the logs panel); silent otherwise. */
export function testCore(options: { logToFile?: boolean } = {}): TestCore {
  const keychainService = uniqueName("Streamdrop-test");
  const dataDir = mkdtempSync(join(tmpdir(), "streamdrop-data-"));
  const core = createCore({ dataDir, secrets: osKeychain(keychainService), log: options.logToFile ? fileLogger(dataDir, "app") : silentLogger() });
  return { ...core, keychainService, keychainEntries: () => keytar.findCredentials(keychainService) };
}
