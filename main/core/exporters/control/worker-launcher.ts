// Starts worker processes, behind one small handle so the engine does not care how: under plain
// Node (the CLI, the tests) a child_process fork; in the app an Electron utility process
// (main/utility-worker.ts), since the packaged app turns ELECTRON_RUN_AS_NODE off with its fuses.
// From sources (tests, tsx) the entry is worker/worker-process.ts run through tsx; from the build it is
// out/main/exporter-worker.js beside the bundle.
import { fork, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FromWorker, ToWorker } from "../worker-protocol.js";

/** One worker process, as the supervisor sees it. */
export interface WorkerHandle {
  readonly pid: number | undefined;
  /** Until the process has exited. */
  readonly alive: boolean;
  send(message: ToWorker): void;
  onMessage(listener: (message: FromWorker) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** SIGTERM asks it to stop cleanly; SIGKILL (where the platform has it) ends it. */
  kill(signal: "SIGTERM" | "SIGKILL"): void;
}

export type LaunchWorker = () => WorkerHandle;

export function defaultLaunchWorker(): LaunchWorker {
  const here = fileURLToPath(import.meta.url);
  const fromSources = here.endsWith(".ts");
  return fromSources
    ? workerLauncher(join(dirname(here), "..", "worker", "worker-process.ts"), ["--import", "tsx"])
    : workerLauncher(builtWorkerEntry(dirname(here)));
}

/**
 * V8 flags every worker runs with, forked or a utility process; a worker lives in the tray, and
 * V8's defaults size its heaps for throughput. Measured on Node 24 (docs/BENCHMARKS.md), the drain
 * rate within the noise each time:
 * - a young generation of 2 MiB semi-spaces (a worker's garbage is short-lived): peak RSS 187–206
 *   MiB against 200–213, the V8 heap 22 MiB against 34–49;
 * - `--optimize-for-size`, which collects sooner (the garbage left is mostly the buffers uploads
 *   read, waiting for a collection): 106–107 MiB against 121–126 once the lines were spooled.
 *
 * And code compiled on the worker's own thread, never in the background: with a small young
 * generation, about one `process.exit` in twenty deadlocked (nodejs/node#54918, open). Exit joins
 * V8's threads, while a background compile job waits there for a collection only the exiting thread
 * could run; the supervisor then killed the worker after its grace. A 1M drain costs the same CPU
 * per event and the same peak either way (docs/BENCHMARKS.md). That exit is Node's: the workers
 * `streamdrop run` forks. An Electron utility process exits by Electron's own path, and may read
 * these flags only after its isolate is made (not checked: no Electron binary here).
 */
export const workerV8Flags = ["--max-semi-space-size=2", "--optimize-for-size", "--no-concurrent-recompilation", "--no-concurrent-sparkplug"];

/** The flags a forked worker gets: ours, then STREAMDROP_WORKER_NODE_ARGS (which may override them). */
export function workerExecArgv(env: NodeJS.ProcessEnv = process.env): string[] {
  // STREAMDROP_WORKER_NODE_ARGS passes flags to workers only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  return [...workerV8Flags, ...(env.STREAMDROP_WORKER_NODE_ARGS?.split(" ").filter(Boolean) ?? [])];
}

/** Forked workers from `entry`; the benchmark runs the built worker even when it runs from sources. */
export function workerLauncher(entry: string, loaderArgs: string[] = []): LaunchWorker {
  const execArgv = [...loaderArgs, ...workerExecArgv()];
  return () => forkedWorker(fork(entry, [], { execArgv, stdio: ["ignore", "ignore", "inherit", "ipc"] }));
}

export function forkedWorker(child: ChildProcess): WorkerHandle {
  return {
    get pid() {
      return child.pid;
    },
    get alive() {
      return child.exitCode === null && child.signalCode === null;
    },
    send: (message) => {
      // A worker exiting as this is sent closes the channel under the write (EPIPE). Without a
      // callback Node reports that as an 'error' event, and an unhandled one ends this process
      // (the app, `run`). The message is moot then: the exit is on its way, and stop() falls back
      // to signals.
      if (child.connected) child.send(message, () => undefined);
    },
    onMessage: (listener) => void child.on("message", (message: FromWorker) => listener(message)),
    onExit: (listener) => void child.once("exit", (code, signal) => listener(code, signal)),
    kill: (signal) => void child.kill(signal),
  };
}

/** The built worker next to the bundle that holds this code (out/main/*.js or out/main/chunks/*.js). */
export function builtWorkerEntry(dir: string): string {
  for (const candidate of [join(dir, "exporter-worker.js"), join(dir, "..", "exporter-worker.js")]) if (existsSync(candidate)) return candidate;
  throw new Error(`exporter-worker.js not found next to ${dir}; run \`npm run build\`.`);
}
