// Starts worker processes. From sources (tests, tsx) the entry is worker-process.ts run through
// tsx; from the build it is out/main/exporter-worker.js beside the bundle. Under Electron, fork
// runs the Electron binary as plain Node.
import { fork, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export type LaunchWorker = () => ChildProcess;

export function defaultLaunchWorker(): LaunchWorker {
  const here = fileURLToPath(import.meta.url);
  const fromSources = here.endsWith(".ts");
  return fromSources ? workerLauncher(join(dirname(here), "worker-process.ts"), ["--import", "tsx"]) : workerLauncher(builtEntry(dirname(here)));
}

/** Workers from `entry`; the benchmark runs the built worker even when it runs from sources. */
export function workerLauncher(entry: string, loaderArgs: string[] = []): LaunchWorker {
  // STREAMDROP_WORKER_NODE_ARGS passes flags to workers only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const extra = process.env.STREAMDROP_WORKER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const execArgv = [...loaderArgs, ...extra];
  return () => fork(entry, [], { execArgv, env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" }, stdio: ["ignore", "ignore", "inherit", "ipc"] });
}

function builtEntry(dir: string): string {
  // The bundle that holds this code is out/main/*.js or out/main/chunks/*.js.
  for (const candidate of [join(dir, "exporter-worker.js"), join(dir, "..", "exporter-worker.js")]) if (existsSync(candidate)) return candidate;
  throw new Error(`exporter-worker.js not found next to ${dir}; run \`npm run build\`.`);
}
