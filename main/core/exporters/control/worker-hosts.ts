// Workers as threads of worker hosts (worker/worker-host.ts). Each handle the runner gets is one
// thread, and behaves as a worker process would: it hears and says the same messages, exits with
// its own code, stops on SIGTERM and ends on SIGKILL (the thread terminated). Its pid is the host's.
//
// A host takes workers, of any exporter, until it holds `workersPerHost`; the next starts another.
// A host whose threads have all ended is told to quit, so an engine with nothing running holds no
// host. A host that dies takes its threads with it: each handle exits, and each runner restarts its
// worker (in a new host) as after a crash.
import type { FromWorker, ToWorker } from "../worker-protocol.js";
import type { HostHandle, LaunchWorker, WorkerHandle } from "./worker-handle.js";

/**
 * How many workers share a host. Most of an idle worker process is Node's own code (51 of 71 MiB),
 * which a host's threads share; each thread then costs its heap and modules, about 24 MiB for an
 * idle exporter's (five in a host of 162 MiB; docs/BENCHMARKS.md, "Worker hosts"). The bound is
 * how much one crash takes: a native fault or the kernel's OOM killer ends every worker of the
 * host, and by eight the saving has mostly been had (the host's 44 MiB of its own spread over eight).
 */
export const workersPerHost = 8;

/**
 * How long a terminated thread may take to end. Terminating stops JavaScript at once, but a thread
 * inside a native call ends only when the call returns: one stuck there is ended with its host.
 */
export const terminateGraceMs = 5000;

export function hostedWorkers(launchHost: () => HostHandle, perHost = workersPerHost): LaunchWorker {
  let taking: Host[] = [];
  let lastId = 0;
  return () => {
    let host = taking.find((candidate) => candidate.process.alive && candidate.holds < perHost);
    if (!host) {
      host = new Host(launchHost(), (retired) => (taking = taking.filter((candidate) => candidate !== retired)));
      taking.push(host);
    }
    return host.start((lastId += 1));
  };
}

class Host {
  private readonly threads = new Map<number, HostedWorker>();
  private retired = false;

  constructor(
    readonly process: HostHandle,
    private readonly onRetired: (host: Host) => void,
  ) {
    process.onMessage((message) => {
      if (message.type === "from") return this.threads.get(message.worker)?.heard(message.message);
      const thread = this.threads.get(message.worker);
      this.forget(message.worker);
      thread?.ended(message.terminated ? null : message.code, message.terminated ? "SIGKILL" : null);
    });
    process.onExit((code, signal) => {
      this.retire();
      const ended = [...this.threads.values()];
      this.threads.clear();
      for (const thread of ended) thread.ended(code, signal);
    });
  }

  get holds(): number {
    return this.threads.size;
  }

  start(id: number): WorkerHandle {
    const thread = new HostedWorker(this, id);
    this.threads.set(id, thread);
    this.process.send({ type: "open", worker: id });
    return thread;
  }

  private forget(id: number): void {
    if (!this.threads.delete(id) || this.threads.size > 0) return;
    this.retire();
    this.process.send({ type: "quit" });
  }

  /** Takes no more workers: it is quitting, or gone. */
  private retire(): void {
    if (this.retired) return;
    this.retired = true;
    this.onRetired(this);
  }
}

class HostedWorker implements WorkerHandle {
  private exited = false;
  private readonly messageListeners: ((message: FromWorker) => void)[] = [];
  private readonly exitListeners: ((code: number | null, signal: string | null) => void)[] = [];

  constructor(
    private readonly host: Host,
    private readonly id: number,
  ) {}

  get pid(): number | undefined {
    return this.host.process.pid;
  }

  get alive(): boolean {
    return !this.exited;
  }

  send(message: ToWorker): void {
    if (!this.exited) this.host.process.send({ type: "to", worker: this.id, message });
  }

  onMessage(listener: (message: FromWorker) => void): void {
    this.messageListeners.push(listener);
  }

  onExit(listener: (code: number | null, signal: string | null) => void): void {
    this.exitListeners.push(listener);
  }

  kill(signal: "SIGTERM" | "SIGKILL"): void {
    if (this.exited) return;
    if (signal === "SIGTERM") return this.send({ type: "stop" });
    this.host.process.send({ type: "terminate", worker: this.id });
    setTimeout(() => {
      if (!this.exited) this.host.process.kill("SIGKILL");
    }, terminateGraceMs).unref();
  }

  heard(message: FromWorker): void {
    for (const listener of this.messageListeners) listener(message);
  }

  ended(code: number | null, signal: string | null): void {
    if (this.exited) return;
    this.exited = true;
    for (const listener of this.exitListeners) listener(code, signal);
  }
}
