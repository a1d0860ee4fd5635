// Entry of an exporter worker process (forked by the supervisor). It runs one ExportWorker and
// talks to its parent over the IPC channel only. It ignores SIGINT (a Ctrl-C reaches the whole
// process group): the parent decides when to stop, and stops it with a message.
import { ExportWorker } from "./export-worker.js";
import { exitCodes, type ExportLogEntry, type FromWorker, type ToWorker, type WorkerStatus } from "./worker-protocol.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

let worker: ExportWorker | undefined;
let exiting = false;

const send = (message: FromWorker, then?: () => void) => {
  if (process.connected) process.send!(message, undefined, {}, () => then?.());
  else then?.();
};

function exit(code: number): void {
  if (exiting) return;
  exiting = true;
  // Let the last messages reach the parent before going.
  send({ type: "stopped" }, () => process.exit(code));
  setTimeout(() => process.exit(code), 2000).unref();
}

async function shutdown(): Promise<void> {
  if (exiting) return;
  await worker?.stop().catch(() => undefined);
  exit(exitCodes.ok);
}

const hooks = {
  status: (status: WorkerStatus) => send({ type: "status", status }),
  file: (entry: ExportLogEntry) => send({ type: "file", entry }),
  log: (level: "error" | "warn" | "info", message: string, fields?: Record<string, unknown>) => send({ type: "log", level, message, ...(fields ? { fields } : {}) }),
  fatal: (error: unknown, code: number) => {
    send({ type: "log", level: "error", message: error instanceof Error ? error.message : String(error) });
    exit(code);
  },
};

process.on("message", (message: ToWorker) => {
  if (message.type === "start" && !worker) {
    worker = new ExportWorker(message.spec, hooks);
    void worker.start();
  } else if (message.type === "stop") {
    void shutdown();
  }
});
process.on("SIGINT", () => undefined);
process.on("SIGTERM", () => void shutdown());
// The parent is gone: stop cleanly rather than export unsupervised.
process.on("disconnect", () => void shutdown());
process.on("uncaughtException", (error) => hooks.fatal(error, exitCodes.crashed));
process.on("unhandledRejection", (error) => hooks.fatal(error, exitCodes.crashed));
