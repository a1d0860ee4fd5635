// One measurement of bench/store-footprint.ts, in a process of its own (plain Node, types
// stripped): a new worker thread opens a store from the built bundle, as an exporter's worker
// does on its first upload, and stores `files` small files with it. Prints, as JSON, how much the
// process's resident memory grew, the thread's V8 heap after a collection, and whether the thread
// loaded undici. With no store, the thread only starts: a thread's own cost.
// Run: node --expose-gc bench/store-footprint-thread.ts '<json: Job>'
import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";

/** What bench/store-footprint.ts sends: code from test/support/fresh-thread.ts, kept in one place. */
interface Job {
  /** Statements that open the store as `store` (openStoreCode); none for a bare thread. */
  openStore?: string;
  /** An expression, true once the thread has loaded undici. */
  undiciLoaded: string;
  files: number;
  /** Where the files go in the bucket. */
  prefix: string;
}

const job = JSON.parse(process.argv[2] ?? "{}") as Job;
const residentKiB = () => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1]);

const storeFiles = job.openStore
  ? `${job.openStore}
    for (let file = 0; file < ${job.files}; file += 1) await store.put(${JSON.stringify(job.prefix)} + file + ".jsonl", Buffer.from('{"file":' + file + '}\\n'));
    store.close?.();`
  : "";

const threadCode = `
const { parentPort } = require("node:worker_threads");
(async () => {
  ${storeFiles}
  globalThis.gc();
  return { heapBytes: process.memoryUsage().heapUsed, undici: ${job.undiciLoaded} };
})().then((result) => parentPort.postMessage(result), (error) => parentPort.postMessage({ error: String(error && error.stack || error) }));`;

const before = residentKiB();
const thread = new Worker(threadCode, { eval: true });
const result = (await new Promise((resolve) => thread.once("message", resolve))) as Record<string, unknown>;
// The thread is kept: its memory is what is measured. A moment lets freed pages settle.
await new Promise((resolve) => setTimeout(resolve, 200));
console.log(JSON.stringify({ ...result, grewBytes: (residentKiB() - before) * 1024 }));
process.exit(0);
