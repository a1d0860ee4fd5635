// Entry of a worker host: one process whose threads are exporter workers, each running the worker
// entry (argv[2], worker-process.ts or its build) exactly as a process of its own would. A process
// holds Node's code and its own heap (51 of an idle worker's 71 MiB); threads share the code, so
// five idle exporters cost one process and five heaps (docs/BENCHMARKS.md, "Worker hosts").
//
// A thread's failure stays its own: an uncaught error or `process.exit` ends that thread, with its
// code, and the engine restarts that worker alone. What ends the process (a kill, a native crash)
// ends its workers with it; the engine restarts each, and recovery re-creates what they were
// storing, as after any crash.
//
// Like a worker it ignores SIGINT; SIGTERM, `quit` and a parent gone stop every thread cleanly
// (each is asked to stop, as a worker process would be), then the host exits.
import { Worker } from "node:worker_threads";
import { parentChannel } from "./parent-channel.js";
import { exitCodes, type FromHost, type FromWorker, type ToHost } from "../worker-protocol.js";

const workerEntry = process.argv[2];
if (!workerEntry) throw new Error("worker-host: the worker entry is its first argument");

const parent = parentChannel<ToHost, FromHost>();
const threads = new Map<number, Worker>();
const terminated = new Set<number>();
let quitting = false;

function open(id: number): void {
  // Stopping already (a SIGTERM not from the engine): the worker ends before it began, and the
  // engine starts it again in another host once this one has gone.
  if (quitting) return parent.send({ type: "exit", worker: id, code: exitCodes.crashed, terminated: false });
  const thread = new Worker(workerEntry!);
  threads.set(id, thread);
  thread.on("message", (message: FromWorker) => parent.send({ type: "from", worker: id, message }));
  // What the thread's own handlers did not catch: its heap's limit reached (ERR_WORKER_OUT_OF_MEMORY),
  // or an error before they were set. The exit follows.
  thread.on("error", (error) => parent.send({ type: "from", worker: id, message: { type: "log", level: "error", message: error.message } }));
  thread.on("exit", (code) => {
    threads.delete(id);
    const last = quitting && threads.size === 0;
    // The channel keeps order: once it has taken the last exit, it has taken every message before.
    parent.send({ type: "exit", worker: id, code, terminated: terminated.delete(id) }, last ? () => process.exit(0) : undefined);
  });
}

function terminate(id: number): void {
  const thread = threads.get(id);
  if (!thread) return;
  terminated.add(id);
  void thread.terminate();
}

/** Every thread asked to stop as its worker would be; the host exits when the last has. */
function quit(): void {
  if (quitting) return;
  quitting = true;
  if (threads.size === 0) process.exit(0);
  for (const thread of threads.values()) thread.postMessage({ type: "stop" });
}

parent.onMessage((message) => {
  switch (message.type) {
    case "open":
      return open(message.worker);
    case "to":
      return void threads.get(message.worker)?.postMessage(message.message);
    case "terminate":
      return terminate(message.worker);
    case "quit":
      return quit();
  }
});
process.on("SIGINT", () => undefined);
process.on("SIGTERM", quit);
parent.onGone(quit);
