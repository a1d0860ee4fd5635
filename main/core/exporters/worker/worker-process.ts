// Entry of an exporter worker: a thread of a worker host (worker-host.ts, what `streamdrop run`
// starts), an Electron utility process in the app, or a process forked on its own. It runs one
// ExportWorker and talks to its parent over parent-channel.ts only. As a process it ignores SIGINT
// (a Ctrl-C reaches the whole process group): the parent decides when to stop, and stops it with a
// message. As a thread, `process.exit` ends the thread alone, with its code.
import { ExportWorker } from "./export-worker.js";
import { parentChannel } from "./parent-channel.js";
import { exitCodes, type FromWorker, type LogEntry, type ToWorker, type WorkerStatus } from "../worker-protocol.js";

let worker: ExportWorker | undefined;
let exiting = false;

const parent = parentChannel<ToWorker, FromWorker>();
const send = (message: FromWorker, then?: () => void) => parent.send(message, then);

/**
 * STREAMDROP_WORKER_MEMORY=1: the peak of each part of the memory, sampled every 50 ms and written
 * to stderr on exit, to say where the resident memory goes. In a host's thread the heap is the
 * thread's own and the RSS the whole host's.
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

parent.onMessage((message) => {
  if (message.type === "start" && !worker) {
    worker = new ExportWorker(message.spec, hooks);
    send({ type: "spool", dir: worker.spoolDir });
    void worker.start();
  } else if (message.type === "stop") {
    void shutdown();
  }
});
process.on("SIGINT", () => undefined);
process.on("SIGTERM", () => void shutdown());
// The parent is gone: stop cleanly rather than export unsupervised.
parent.onGone(() => void shutdown());
process.on("uncaughtException", (error) => hooks.fatal(error, exitCodes.crashed));
process.on("unhandledRejection", (error) => hooks.fatal(error, exitCodes.crashed));
