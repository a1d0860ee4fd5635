// Entry of a worker host: one process whose threads are exporter workers, each running the worker
// entry (argv[2], worker-process.ts or its build) exactly as a process of its own would. A process
// holds Node's code and its own heap (51 of an idle worker's 71 MiB); threads share the code, so
// five idle exporters cost one process and five heaps (docs/BENCHMARKS.md, "Worker hosts").
//
// A thread's failure stays its own: an uncaught error, `process.exit` or its heap's limit ends that
// thread, with its code, and the engine restarts that worker alone. What ends the process (a kill,
// a native crash, a thread stuck in native code past its terminate, control/worker-hosts.ts) ends
// its workers with it; the engine restarts each, and recovery re-creates what they were storing,
// as after any crash.
//
// Like a worker it ignores SIGINT; SIGTERM, `quit` and a parent gone stop every thread cleanly
// (each is asked to stop, as a worker process would be), then the host exits.
import { rmSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { parentChannel } from "./parent-channel.js";
import { exitCodes, type FromHost, type FromWorker, type ToHost } from "../worker-protocol.js";

const workerEntry = process.argv[2];
if (!workerEntry) throw new Error("worker-host: the worker entry is its first argument");

/**
 * Each thread's heap limit, so that one running away ends alone (ERR_WORKER_OUT_OF_MEMORY) before
 * eight together outgrow the machine and the kernel ends the host: V8's default is sized from the
 * machine's memory, for a whole process. A worker's heap peaks near 26 MiB in the benchmark's drains
 * (docs/BENCHMARKS.md); STREAMDROP_WORKER_HEAP_MB sets another limit.
 */
const heapLimitMb = Number(process.env.STREAMDROP_WORKER_HEAP_MB) || 1024;

interface Thread {
  worker: Worker;
  /** Its spool folder, as the worker said: removed once it has ended, whatever way it did. */
  spoolDir?: string;
  terminated: boolean;
}

const parent = parentChannel<ToHost, FromHost>();
const threads = new Map<number, Thread>();
let quitting = false;

function open(id: number): void {
  // Stopping already (a SIGTERM not from the engine): the worker ends before it began, and the
  // engine starts it again in another host once this one has gone.
  if (quitting) return parent.send({ type: "exit", worker: id, code: exitCodes.crashed, terminated: false });
  let worker: Worker;
  try {
    worker = new Worker(workerEntry!, { resourceLimits: { maxOldGenerationSizeMb: heapLimitMb } });
  } catch (error) {
    // No thread to be had (out of memory, or of threads): this worker's failure, not the host's.
    parent.send({ type: "from", worker: id, message: { type: "log", level: "error", message: `cannot start a worker thread: ${(error as Error).message}` } });
    return parent.send({ type: "exit", worker: id, code: exitCodes.crashed, terminated: false });
  }
  const thread: Thread = { worker, terminated: false };
  threads.set(id, thread);
  worker.on("message", (message: FromWorker) => {
    if (message.type === "spool") thread.spoolDir = message.dir;
    else pass(id, message);
  });
  // What the thread's own handlers did not catch: its heap's limit reached (ERR_WORKER_OUT_OF_MEMORY),
  // or an error before they were set. The exit follows.
  worker.on("error", (error) => pass(id, { type: "log", level: "error", message: error.message }));
  worker.on("exit", (code) => {
    threads.delete(id);
    if (thread.spoolDir) removeSpool(thread.spoolDir);
    const last = quitting && threads.size === 0;
    // The channel keeps order: once it has taken the last exit, it has taken every message before.
    parent.send({ type: "exit", worker: id, code, terminated: thread.terminated }, last ? () => process.exit(0) : undefined);
  });
}

function removeSpool(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // Left behind: the next worker of its exporter removes it once this host has gone (files/spool.ts).
  }
}

/** A thread's message on to the engine; one the channel cannot carry ends that thread, not the host. */
function pass(id: number, message: FromWorker): void {
  try {
    parent.send({ type: "from", worker: id, message });
  } catch (error) {
    parent.send({
      type: "from",
      worker: id,
      message: { type: "log", level: "error", message: `a worker's message could not be passed on: ${(error as Error).message}` },
    });
    terminate(id);
  }
}

function terminate(id: number): void {
  const thread = threads.get(id);
  if (!thread) return;
  thread.terminated = true;
  void thread.worker.terminate();
}

/** Every thread asked to stop as its worker would be; the host exits when the last has. */
function quit(): void {
  if (quitting) return;
  quitting = true;
  if (threads.size === 0) process.exit(0);
  for (const thread of threads.values()) thread.worker.postMessage({ type: "stop" });
}

parent.onMessage((message) => {
  switch (message.type) {
    case "open":
      return open(message.worker);
    case "to":
      return void threads.get(message.worker)?.worker.postMessage(message.message);
    case "terminate":
      return terminate(message.worker);
    case "quit":
      return quit();
  }
});
process.on("SIGINT", () => undefined);
process.on("SIGTERM", quit);
parent.onGone(quit);
