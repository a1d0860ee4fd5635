// Starts worker processes, behind one small handle so the engine does not care how:
// - under plain Node (`streamdrop run`, the CLI, the tests), threads of worker hosts (hostedWorkers,
//   worker-hosts.ts), a host a child_process fork of worker/worker-host.ts;
// - in the app, an Electron utility process each (main/utility-worker.ts), since the packaged app
//   turns ELECTRON_RUN_AS_NODE off with its fuses.
// From sources (tests, tsx) the entries are worker/worker-host.ts and worker/worker-process.ts run
// through tsx; from the build, out/main/exporter-host.js and exporter-worker.js beside the bundle.
import { fork, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChildHandle, HostHandle, LaunchWorker } from "./worker-handle.js";
import { hostedWorkers, workersPerHost } from "./worker-hosts.js";

/**
 * How `streamdrop run` and the tests start workers: threads of hosts, from the build in `builtDir`
 * (the benchmark's choice) or else beside this code, through tsx when it runs from sources.
 */
export function defaultLaunchWorker(builtDir?: string): LaunchWorker {
  const here = fileURLToPath(import.meta.url);
  if (builtDir === undefined && here.endsWith(".ts")) {
    const sources = join(dirname(here), "..", "worker");
    return hostedWorkers(hostLauncher(join(sources, "worker-host.ts"), join(sources, "worker-process.ts"), ["--import", "tsx"]));
  }
  const dir = builtDir ?? dirname(here);
  return hostedWorkers(hostLauncher(builtEntry(dir, "exporter-host.js"), builtEntry(dir, "exporter-worker.js")));
}

/**
 * V8 flags every worker runs with, a host's thread, forked or a utility process (a host's threads
 * run with the host's, V8's flags being the process's); a worker lives in the tray, and
 * V8's defaults size its heaps for throughput. Measured on Node 24 (docs/BENCHMARKS.md), the drain
 * rate within the noise each time:
 * - a young generation of 2 MiB semi-spaces (a worker's garbage is short-lived): peak RSS 187–206
 *   MiB against 200–213, the V8 heap 22 MiB against 34–49;
 * - `--optimize-for-size`, which collects sooner (the garbage left is mostly the buffers uploads
 *   read, waiting for a collection): 106–107 MiB against 121–126 once the lines were spooled;
 * - two of V8's four tiers, the interpreter and the optimizing compiler, without the two between
 *   (Sparkplug's baseline code and Maglev's): a lone worker's host peaked at 102–105 MiB against
 *   107–109 on every codec, at the same CPU per event (1.64–1.71 µs against 1.55–1.85 on plain
 *   3M drains, taking turns). A worker's hot code, the gather loop and kafkajs's decoding, is
 *   optimized either way; the tiers between cost code and feedback for the rest.
 *
 * And code compiled on the worker's own thread, never in the background: with a small young
 * generation, about one `process.exit` in twenty deadlocked (nodejs/node#54918, open). Exit joins
 * V8's threads, while a background compile job waits there for a collection only the exiting thread
 * could run; the supervisor then killed the worker after its grace. A 1M drain costs the same CPU
 * per event and the same peak either way (docs/BENCHMARKS.md). That exit is Node's: the workers
 * `streamdrop run` forks. An Electron utility process exits by Electron's own path, and may read
 * these flags only after its isolate is made (not checked: no Electron binary here).
 */
export const workerV8Flags = ["--max-semi-space-size=2", "--optimize-for-size", "--no-sparkplug", "--no-maglev", "--no-concurrent-recompilation"];

/** The flags a forked worker or host gets: ours, then STREAMDROP_WORKER_NODE_ARGS (which may override them). */
export function workerExecArgv(env: NodeJS.ProcessEnv = process.env): string[] {
  // STREAMDROP_WORKER_NODE_ARGS passes flags to workers only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  return [...workerV8Flags, ...(env.STREAMDROP_WORKER_NODE_ARGS?.split(" ").filter(Boolean) ?? [])];
}

/**
 * libuv's thread pool (an upload's reads of its spooled file, among others) is the process's, four
 * threads unless UV_THREADPOOL_SIZE says otherwise: a host gives each of its workers the four a
 * process of its own had, so eight busy workers do not queue for four. Two busy workers drain as
 * fast as threads of one host as they did as two processes (docs/BENCHMARKS.md, "Worker hosts").
 */
const hostThreadPool = (env: NodeJS.ProcessEnv = process.env): string => env.UV_THREADPOOL_SIZE ?? String(4 * workersPerHost);

/** Worker hosts forked from `hostEntry`, their threads running `workerEntry`. */
export function hostLauncher(hostEntry: string, workerEntry: string, loaderArgs: string[] = []): () => HostHandle {
  const execArgv = [...loaderArgs, ...workerExecArgv()];
  const env = { ...process.env, UV_THREADPOOL_SIZE: hostThreadPool() };
  return () => forkedChild(fork(hostEntry, [workerEntry], { execArgv, env, stdio: ["ignore", "ignore", "inherit", "ipc"] }));
}

export function forkedChild<In, Out>(child: ChildProcess): ChildHandle<In, Out> {
  return {
    get pid() {
      return child.pid;
    },
    get alive() {
      return child.exitCode === null && child.signalCode === null;
    },
    send: (message) => {
      // A child exiting as this is sent closes the channel under the write (EPIPE). Without a
      // callback Node reports that as an 'error' event, and an unhandled one ends this process
      // (the app, `run`). The message is moot then: the exit is on its way, and stop() falls back
      // to signals.
      if (child.connected) child.send(message as object, () => undefined);
    },
    onMessage: (listener) => void child.on("message", (message: Out) => listener(message)),
    onExit: (listener) => void child.once("exit", (code, signal) => listener(code, signal)),
    kill: (signal) => void child.kill(signal),
  };
}

/** An entry built next to the bundle that holds this code (out/main/*.js or out/main/chunks/*.js). */
export function builtEntry(dir: string, name: string): string {
  for (const candidate of [join(dir, name), join(dir, "..", name)]) if (existsSync(candidate)) return candidate;
  throw new Error(`${name} not found next to ${dir}; run \`npm run build\`.`);
}

/** The built worker next to the bundle that holds this code: what the app's utility processes run. */
export const builtWorkerEntry = (dir: string): string => builtEntry(dir, "exporter-worker.js");
