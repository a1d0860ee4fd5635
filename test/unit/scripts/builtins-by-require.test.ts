// The main build's way to Node's modules (scripts/builtins-by-require.ts): a bundle built with it
// by Vite, then run in a fresh worker thread, since what matters is what loading it loads.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, type Rollup } from "vite";
import { afterAll, beforeAll, expect, it } from "vitest";
import { builtinId, builtinsByRequire, builtinsLoadedBy } from "../../../scripts/builtins-by-require.js";
import { inFreshThread, undiciLoaded } from "../../support/fresh-thread.js";

let dir: string;
beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), "streamdrop-builtins-"))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `source` bundled for Node as the main build bundles it (every built-in listed external, as electron-vite lists them). */
async function bundled(source: string): Promise<string> {
  const entry = join(dir, `entry-${Math.random().toString(36).slice(2)}.js`);
  writeFileSync(entry, source);
  const output = (await build({
    configFile: false,
    logLevel: "silent",
    plugins: [builtinsByRequire()],
    build: {
      ssr: true,
      write: false,
      minify: false,
      rollupOptions: {
        input: entry,
        preserveEntrySignatures: "strict",
        external: ["electron", /^electron\/.+/, "http", "node:http", "fs", "node:fs"],
        output: { format: "es", inlineDynamicImports: true },
      },
    },
  })) as Rollup.RollupOutput | Rollup.RollupOutput[];
  return (Array.isArray(output) ? output[0]! : output).output[0].code;
}

/** Vite builds take seconds on a busy machine. */
const buildTimeout = 60_000;

const dataUrl = (code: string) => `data:text/javascript,${encodeURIComponent(code)}`;

it(
  "writes node:http's names as reads from the module require() gives, and loading it does not load undici",
  async () => {
    const code = await bundled(
      `import http, { request, Agent } from "node:http";\nimport * as fs from "fs";\nexport const same = [request, Agent, http, fs.readFileSync];`,
    );
    expect(code).not.toMatch(/^import .*["'](node:)?(http|fs)["']/m);
    expect(builtinsLoadedBy(code).sort()).toEqual(["node:fs", "node:http"]);
    const result = await inFreshThread<{ same: boolean; undici: boolean }>(`
    const { same } = await import(${JSON.stringify(dataUrl(code))});
    const http = require("node:http");
    return { same: same[0] === http.request && same[1] === http.Agent && same[2] === http && same[3] === require("node:fs").readFileSync, undici: ${undiciLoaded} };`);
    expect(result).toEqual({ same: true, undici: false });
  },
  buildTimeout,
);

it(
  "gives node:http to a dynamic import as a namespace, without loading undici",
  async () => {
    const code = await bundled(`export const load = () => import("node:http");`);
    const result = await inFreshThread<{ same: boolean; undici: boolean }>(`
    const http = await (await import(${JSON.stringify(dataUrl(code))})).load();
    return { same: http.request === require("node:http").request && http.default === require("node:http"), undici: ${undiciLoaded} };`);
    expect(result).toEqual({ same: true, undici: false });
  },
  buildTimeout,
);

// A canary: it fails once Node stops running node:http's getters on an ES import
// (nodejs/node#59686), and the plugin may then go.
it("is needed: importing node:http as an ES module loads undici", async () => {
  expect(await inFreshThread<boolean>(`await import("node:http"); return ${undiciLoaded};`)).toBe(true);
});

it(
  "leaves out a built-in nothing uses",
  async () => {
    const code = await bundled(`import { readFileSync } from "node:fs";\nimport { request } from "node:http";\nexport const used = request;`);
    expect(builtinsLoadedBy(code)).toEqual(["node:http"]);
  },
  buildTimeout,
);

it("gives one id to a built-in however it is named, and none to a package that shares a node:-only module's name", () => {
  expect(builtinId("fs")).toBe(builtinId("node:fs"));
  expect(builtinId("fs/promises")).toBe(builtinId("node:fs/promises"));
  expect(builtinId("node:test")).not.toBeNull();
  expect(builtinId("test")).toBeNull();
  expect(builtinId("zod")).toBeNull();
  expect(builtinId("electron")).toBeNull();
});
