// Exporter workers in the app, as Electron utility processes: the packaged app turns the
// RunAsNode fuse off (electron-builder.yml), so the Electron binary cannot be forked as plain
// Node; a utility process is Electron's own way to run a Node child. `fork` is
// `utilityProcess.fork`, injected so this is tested under Node with a fake.
//
// One utility process each, not threads of a worker host as `streamdrop run` has them
// (control/worker-hosts.ts): threads inside a utility process are not proven here (no Electron
// binary), and Electron builds V8 with one pointer-compression cage per process, where a thread
// that runs out of heap is reported to abort the whole process rather than end alone.
import type { FromWorker } from "./core/exporters/worker-protocol.js";
import type { LaunchWorker, WorkerHandle } from "./core/exporters/control/worker-handle.js";
import { workerV8Flags } from "./core/exporters/control/worker-launcher.js";

/** What this needs of Electron's UtilityProcess. */
export interface UtilityChild {
  readonly pid: number | undefined;
  postMessage(message: unknown): void;
  kill(): boolean;
  on(event: "message", listener: (message: unknown) => void): this;
  on(event: "exit", listener: (code: number) => void): this;
}

export type ForkUtility = (
  modulePath: string,
  args: string[],
  options: { serviceName: string; stdio: "inherit" | "ignore" | "pipe"; execArgv: string[] },
) => UtilityChild;

/** Sends a signal to a process by id: `process.kill`, injected for tests. */
export type SignalPid = (pid: number, signal: "SIGKILL") => void;

export function utilityWorkerLauncher(fork: ForkUtility, entry: string, signalPid: SignalPid = (pid, signal) => process.kill(pid, signal)): LaunchWorker {
  let started = 0;
  return () => utilityWorker(fork(entry, [], { serviceName: `Streamdrop exporter worker ${++started}`, stdio: "inherit", execArgv: workerV8Flags }), signalPid);
}

export function utilityWorker(child: UtilityChild, signalPid: SignalPid): WorkerHandle {
  let alive = true;
  child.on("exit", () => (alive = false));
  return {
    get pid() {
      return child.pid;
    },
    get alive() {
      return alive;
    },
    send: (message) => {
      if (alive) child.postMessage(message);
    },
    onMessage: (listener) => void child.on("message", (message) => listener(message as FromWorker)),
    onExit: (listener) => void child.on("exit", (code) => listener(code, null)),
    // UtilityProcess.kill() sends SIGTERM (on POSIX), which the worker handles as a clean stop; a
    // worker that does not stop within the engine's grace must still end, or Quit would wait on it
    // for ever: SIGKILL goes to its process id.
    kill: (signal) => {
      if (!alive) return;
      if (signal === "SIGTERM" || child.pid === undefined) child.kill();
      else signalPid(child.pid, signal);
    },
  };
}
