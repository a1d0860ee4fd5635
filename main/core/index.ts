// The composition root of the engine: the CLI, the Electron main process and the tests all build
// the same core here, each with its own data folder, keychain and log if they like.
import { ConfigStore } from "./config/store.js";
import { dataDir as defaultDataDir } from "./data-dir.js";
import { osKeychain, type SecretStore } from "./keychain/secret-store.js";
import { fileLogger, type Logger } from "./log.js";
import { SinkService } from "./sinks/sink-service.js";

export interface Core {
  dataDir: string;
  config: ConfigStore;
  secrets: SecretStore;
  log: Logger;
  sinks: SinkService;
}

export interface CoreOptions {
  dataDir?: string;
  secrets?: SecretStore;
  log?: Logger;
  /** Names the log's source: "cli" or "app". */
  component?: string;
}

export function createCore(options: CoreOptions = {}): Core {
  const dataDir = options.dataDir ?? defaultDataDir();
  const config = new ConfigStore(dataDir);
  const secrets = options.secrets ?? osKeychain();
  const log = options.log ?? fileLogger(dataDir, options.component ?? "core");
  return { dataDir, config, secrets, log, sinks: new SinkService({ config, secrets, log }) };
}
