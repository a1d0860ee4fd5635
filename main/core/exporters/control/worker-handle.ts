// The engine's view of the processes and threads that run workers: what the runner, the launchers
// and the hosts agree on.
import type { FromHost, FromWorker, ToHost, ToWorker } from "../worker-protocol.js";

/** A process the engine started, as it sees it: a worker, or a host of workers. */
export interface ChildHandle<In, Out> {
  readonly pid: number | undefined;
  /** Until it has exited. */
  readonly alive: boolean;
  send(message: In): void;
  onMessage(listener: (message: Out) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** SIGTERM asks it to stop cleanly; SIGKILL (where the platform has it) ends it. */
  kill(signal: "SIGTERM" | "SIGKILL"): void;
}

/** One worker, as the supervisor sees it; `pid` is its process's (a host's, for a thread). */
export type WorkerHandle = ChildHandle<ToWorker, FromWorker>;
export type HostHandle = ChildHandle<ToHost, FromHost>;

export type LaunchWorker = () => WorkerHandle;
