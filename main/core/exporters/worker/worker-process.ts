// Entry of an exporter worker process (forked by the supervisor under Node, or an Electron
// utility process in the app). It runs one ExportWorker and talks to its parent over the IPC
// channel only: process.send under Node, process.parentPort in a utility process. It ignores
// SIGINT (a Ctrl-C reaches the whole process group): the parent decides when to stop, and stops
// it with a message.
import { ExportWorker } from "./export-worker.js";
import { exitCodes, type FromWorker, type LogEntry, type ToWorker, type WorkerStatus } from "../worker-protocol.js";

let worker: ExportWorker | undefined;
let exiting = false;

/** Electron's utility processes talk through a port; Node's forks through process.send. */
const parentPort = (
  process as { parentPort?: { postMessage(message: unknown): void; on(event: "message", listener: (event: { data: ToWorker }) => void): void } }
).parentPort;

const send = (message: FromWorker, then?: () => void) => {
  if (parentPort) {
    parentPort.postMessage(message);
    then?.();
  } else if (process.connected) process.send!(message, undefined, {}, () => then?.());
  else then?.();
};

const onParentMessage = (listener: (message: ToWorker) => void) => {
  if (parentPort) parentPort.on("message", (event) => listener(event.data));
  else process.on("message", listener);
};

/**
 * STREAMDROP_WORKER_MEMORY=1 (the benchmark sets it): the peak of each part of the process's
 * memory, sampled every 50 ms and written to stderr on exit, to say where the resident memory goes.
 */
const memoryPeaks = process.env.STREAMDROP_WORKER_MEMORY === "1" ? sampleMemory() : undefined;

function sampleMemory(): () => string {
  const peak = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  setInterval(() => {
    const now = process.memoryUsage();
    for (const part of Object.keys(peak) as (keyof typeof peak)[]) peak[part] = Math.max(peak[part], now[part]);
  }, 50).unref();
  return () =>
    `streamdrop-worker-memory ${JSON.stringify(Object.fromEntries(Object.entries(peak).map(([part, bytes]) => [part, Math.round(bytes / 2 ** 20)])))}\n`;
}

function exit(code: number): void {
  if (exiting) return;
  exiting = true;
  if (memoryPeaks) process.stderr.write(memoryPeaks());
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
  file: (entry: LogEntry) => send({ type: "file", entry }),
  log: (level: "error" | "warn" | "info", message: string, fields?: Record<string, unknown>) =>
    send({ type: "log", level, message, ...(fields ? { fields } : {}) }),
  fatal: (error: unknown, code: number) => {
    send({ type: "log", level: "error", message: error instanceof Error ? error.message : String(error) });
    exit(code);
  },
};

onParentMessage((message) => {
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
