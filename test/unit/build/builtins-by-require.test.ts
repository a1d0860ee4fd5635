// The main build's stand-ins for Node's modules (scripts/builtins-by-require.ts), evaluated in a
// fresh worker thread each, since what matters is what loading them loads.
import { Worker } from "node:worker_threads";
import { expect, it } from "vitest";
import { moduleSource } from "../../../scripts/builtins-by-require.js";

/** Runs `body` (an async function's body) in a new thread; resolves to what it returns. */
function inFreshThread<T>(body: string): Promise<T> {
  const code = `const { parentPort } = require("node:worker_threads"); (async () => { ${body} })().then((r) => parentPort.postMessage(r), (e) => parentPort.postMessage({ error: String(e) }));`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true });
    worker.once("message", (message: T) => void worker.terminate().then(() => resolve(message)));
    worker.once("error", reject);
  });
}

const dataUrl = (source: string) => `data:text/javascript,${encodeURIComponent(source)}`;
const undiciLoaded = `process.moduleLoadList.some((name) => name.includes("undici"))`;

it("gives node:http's functions by name and the module as its default, without loading undici", async () => {
  const result = await inFreshThread<{ same: boolean; whole: boolean; undici: boolean }>(`
    const m = await import(${JSON.stringify(dataUrl(moduleSource("http")))});
    const http = require("node:http");
    return { same: m.request === http.request && m.Agent === http.Agent, whole: m.default === http, undici: ${undiciLoaded} };`);
  expect(result).toEqual({ same: true, whole: true, undici: false });
});

it("is needed: importing node:http as an ES module loads undici", async () => {
  const result = await inFreshThread<boolean>(`await import("node:http"); return ${undiciLoaded};`);
  expect(result).toBe(true);
});

it("leaves out the getters that load what the worker never uses, so importing one by name fails the build", () => {
  expect(moduleSource("http")).not.toMatch(/\b(WebSocket|MessageEvent|CloseEvent)\b/);
  expect(moduleSource("tls")).not.toMatch(/\brootCertificates\b/);
  expect(moduleSource("tls")).toMatch(/export const connect = builtin\.connect;/);
  // Other getters are read as an import reads them.
  expect(moduleSource("fs")).toMatch(/export const ReadStream = builtin\.ReadStream;/);
});

it("names sub-path modules as Node does", () => {
  expect(moduleSource("fs/promises")).toContain('process.getBuiltinModule("node:fs/promises")');
});
