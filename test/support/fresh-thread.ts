// A new worker thread of this process, as an exporter's worker is one: what a module loads into a
// thread (Node's own modules among them) is read there, not in the test's own thread, which has
// loaded everything already.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { repoRoot } from "../../stack/paths.js";

/** Runs `body` (an async function's body, CommonJS) in a new thread; resolves to what it returns. */
export function inFreshThread<T>(body: string): Promise<T> {
  const code = `const { parentPort } = require("node:worker_threads"); (async () => { ${body} })().then((r) => parentPort.postMessage(r), (e) => parentPort.postMessage({ error: String(e) }));`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true });
    worker.once("message", (message: T) => void worker.terminate().then(() => resolve(message)));
    worker.once("error", reject);
  });
}

/** An expression, true once the thread it runs in has loaded undici (Node's fetch and WebSocket). */
export const undiciLoaded = `process.moduleLoadList.some((name) => name.includes("undici"))`;

/** The file of the built main bundle (out/main, made by `npm run build`) whose code holds `text`, as a file: URL a thread can import. */
export function builtFileHolding(text: string): string {
  const main = join(repoRoot, "out", "main");
  const files = readdirSync(main, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".js"));
  const found = files.filter((name) => readFileSync(join(main, name), "utf8").includes(text));
  if (found.length !== 1) throw new Error(`expected one file of out/main holding ${JSON.stringify(text)}, found ${found.length}: run npm run build`);
  return pathToFileURL(join(main, found[0]!)).href;
}

/**
 * Statements for a fresh thread's body that open a store as a worker does: import the store's
 * built module (`moduleUrl`, from builtFileHolding) and make its object store for `spec`, as
 * `store`. Its createObjectStore is found by name, which Rollup keeps (adding `$n` were two
 * alike in one chunk); bundles rename exports.
 */
export function openStoreCode(moduleUrl: string, spec: unknown): string {
  return `
    const storeModule = await import(${JSON.stringify(moduleUrl)});
    const createObjectStore = Object.values(storeModule).find((value) => typeof value === "function" && /^createObjectStore(\\$\\d+)?$/.test(value.name));
    if (!createObjectStore) throw new Error("no createObjectStore in " + ${JSON.stringify(moduleUrl)});
    const store = createObjectStore(${JSON.stringify(spec)}, "fresh-thread");`;
}
