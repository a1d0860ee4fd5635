// Workers as a process each, as `streamdrop run` started them before worker hosts (session 28) and
// as the app still does (utility processes): the other side of the cost part's two-workers
// comparison, threads of one host against a process per worker.
import { fork } from "node:child_process";
import { join } from "node:path";
import { builtEntry, forkedChild, workerExecArgv } from "../main/core/exporters/control/worker-launcher.js";
import type { LaunchWorker } from "../main/core/exporters/control/worker-handle.js";
import { repoRoot } from "../stack/paths.js";

/** A process of its own for each worker, forked from the built worker entry (out/main/exporter-worker.js). */
export function processPerWorker(): LaunchWorker {
  const entry = builtEntry(join(repoRoot, "out", "main"), "exporter-worker.js");
  return () => forkedChild(fork(entry, [], { execArgv: workerExecArgv(), stdio: ["ignore", "ignore", "inherit", "ipc"] }));
}
