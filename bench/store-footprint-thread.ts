// One measurement of bench/store-footprint.ts, in a process of its own (plain Node, types
// stripped): a new worker thread imports a store's module from the built bundle, as an exporter's
// worker does on its first upload, and stores `files` small files with it. Prints, as JSON, how
// much the process's resident memory grew, the thread's V8 heap after a collection, and whether
// the thread loaded undici. With no module, the thread only starts: a thread's own cost.
// Run: node --expose-gc bench/store-footprint-thread.ts '<json: { module?, spec?, files, prefix }>'
import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";

interface Job {
  /** The built store module's file: URL; none for a bare thread. */
  module?: string;
  /** What the store's createObjectStore takes. */
  spec?: unknown;
  files: number;
  /** Where the files go in the bucket. */
  prefix: string;
}

const job = JSON.parse(process.argv[2] ?? "{}") as Job;
const residentKiB = () => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1]);

const threadCode = `
const { parentPort } = require("node:worker_threads");
(async () => {
  const job = ${JSON.stringify(job)};
  if (job.module) {
    const module = await import(job.module);
    const createObjectStore = Object.values(module).find((value) => typeof value === "function" && value.name === "createObjectStore");
    const store = createObjectStore(job.spec, "bench-store-footprint");
    for (let file = 0; file < job.files; file += 1) await store.put(job.prefix + file + ".jsonl", Buffer.from('{"file":' + file + '}\\n'));
    store.close?.();
  }
  globalThis.gc();
  return { heapBytes: process.memoryUsage().heapUsed, undici: process.moduleLoadList.some((name) => name.includes("undici")) };
})().then((result) => parentPort.postMessage(result), (error) => parentPort.postMessage({ error: String(error && error.stack || error) }));`;

const before = residentKiB();
const thread = new Worker(threadCode, { eval: true });
const result = (await new Promise((resolve) => thread.once("message", resolve))) as Record<string, unknown>;
// The thread is kept: its memory is what is measured. A moment lets freed pages settle.
await new Promise((resolve) => setTimeout(resolve, 200));
console.log(JSON.stringify({ ...result, grewBytes: (residentKiB() - before) * 1024 }));
process.exit(0);
