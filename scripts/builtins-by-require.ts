// A Vite (Rollup) plugin for the main build: the bundles reach Node's built-in modules through
// process.getBuiltinModule, as require() does, rather than by `import ... from "node:http"`.
//
// Why: importing a built-in as an ES module copies every export, which calls each lazy getter the
// module defines. node:http's WebSocket and MessageEvent getters load undici (750 kB of source,
// about 9 MiB in a worker thread), node:tls's rootCertificates parses every root certificate, and
// neither is used (nodejs/node#59686). The AWS and Azure SDKs' ES builds import node:http, so a
// worker that loaded either paid for undici in its thread; both are bundled now. Packages left
// external (kafkajs, the Cloud Storage SDK) load as they always did: both require() node:http.
//
// Each built-in becomes a module whose default export is the built-in itself; its names are
// Rollup's synthetic named exports, so `import { request } from "node:http"` is written as a read
// of `request` from the module where it is used, as with require(): no getter runs unless the code
// reads it. A dynamic `import("node:http")` gets a namespace Rollup makes by copying the module's
// property descriptors, getters as getters, so that runs none either.
import { isBuiltin } from "node:module";
import type { Plugin } from "vite";

/** Rollup's mark for a module no file holds; the rest of the id names the built-in. */
const prefix = "\0builtin-by-require:";

export function builtinsByRequire(): Plugin {
  return {
    name: "streamdrop:builtins-by-require",
    enforce: "pre",
    // electron-vite lists every built-in as external, which Rollup decides before asking plugins.
    options(input) {
      if (!Array.isArray(input.external)) return null;
      return { ...input, external: input.external.filter((entry) => typeof entry !== "string" || !isBuiltin(entry)) };
    },
    resolveId: (source) => builtinId(source),
    load(id) {
      if (!id.startsWith(prefix)) return null;
      return { code: moduleSource(id.slice(prefix.length)), syntheticNamedExports: true, moduleSideEffects: false };
    },
  };
}

/** The one id of a built-in however it is named ("fs", "node:fs"), or null for anything else ("test" is a package; only "node:test" is Node's). */
export function builtinId(source: string): string | null {
  if (!isBuiltin(source)) return null;
  return prefix + (source.startsWith("node:") ? source.slice("node:".length) : source);
}

/** The module a bundle gets for `node:<name>`. */
const moduleSource = (name: string): string => `export default process.getBuiltinModule(${JSON.stringify(`node:${name}`)});`;

/**
 * The built-ins a file of the build loads as it is loaded: what moduleSource writes becomes a
 * top-level `const <name> = process.getBuiltinModule("node:...");` as long as the main build is
 * not minified (electron-vite's default) and Rollup writes `const` (Vite's es2015 output); the
 * checks in test/checks/worker-imports.test.ts fail rather than pass if that changes.
 */
export const builtinsLoadedBy = (code: string): string[] =>
  [...code.matchAll(/^const [\w$]+ = process\.getBuiltinModule\("(node:[^"]+)"\);$/gm)].map((match) => match[1]!);
