// The composition root of the engine: the CLI, the Electron main process and the tests all build
// the same core here, each with its own data folder, keychain and log if they like.
import { LentCredentialsKeeper } from "./stores/lent-credentials.js";
import { AppSettingsStore } from "./app-settings.js";
import { ConfigStore } from "./config/store.js";
import { dataDir as defaultDataDir } from "./data-dir.js";
import { ExportEngine, type EngineOptions } from "./exporters/control/engine.js";
import { ExportLog } from "./exporters/export-log.js";
import { ExporterService } from "./exporters/control/exporter-service.js";
import { StatusBoard } from "./exporters/control/status-board.js";
import { osKeychain, type SecretStore } from "./keychain/secret-store.js";
import { fileLogger, type Logger } from "./log.js";
import { SinkService } from "./sinks/sink-service.js";
import { StreamService } from "./streams/stream-service.js";
import { ExporterHistory } from "./tables/exporter-history.js";
import { TableService } from "./tables/table-service.js";

export interface Core {
  dataDir: string;
  config: ConfigStore;
  secrets: SecretStore;
  log: Logger;
  sinks: SinkService;
  streams: StreamService;
  exporters: ExporterService;
  /** Table definitions (Athena, BigQuery, DuckDB) for an exporter's files. */
  tables: TableService;
  exportLog: ExportLog;
  /** Each exporter's last status, as the engine running it (in any process) wrote it. */
  statusBoard: StatusBoard;
  /** The desktop app's preferences (theme, notifications). */
  appSettings: AppSettingsStore;
  /** Credentials lent to preview files, asked once per session. */
  lent: LentCredentialsKeeper;
  /** A new engine to run exporters in this process's worker children. */
  engine(options?: EngineOptions): ExportEngine;
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
  const sinks = new SinkService({ config, secrets, log });
  const streams = new StreamService({ config, secrets, log, dataDir });
  const exportLog = new ExportLog(dataDir);
  const exporters = new ExporterService({ config, sinks, streams, log, exportLog });
  const statusBoard = new StatusBoard(dataDir);
  return {
    dataDir,
    config,
    secrets,
    log,
    sinks,
    streams,
    exporters,
    tables: new TableService({ exporters, sinks, streams, history: new ExporterHistory(exportLog, dataDir) }),
    exportLog,
    statusBoard,
    appSettings: new AppSettingsStore(dataDir),
    lent: new LentCredentialsKeeper(secrets),
    engine: (options = {}) => new ExportEngine({ config, sinks, streams, dataDir, log, statusBoard, ...options }),
  };
}
