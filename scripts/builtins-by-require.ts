// A Vite (Rollup) plugin for the main build: the bundles reach Node's built-in modules through
// process.getBuiltinModule, as require() does, rather than by `import ... from "node:http"`.
//
// Why: importing a built-in as an ES module copies every export, which calls each lazy getter the
// module defines. node:http's WebSocket and MessageEvent getters load undici (750 kB of source, about
// 8 MiB in a worker thread), and node:tls's rootCertificates parses every root certificate: neither
// of which the worker uses (nodejs/node#59686). The AWS SDK's ES build imports node:http, so a
// worker that bundles it paid for undici in every thread.
//
// Each built-in becomes a small module exporting the built-in itself as its default and its
// properties by name, read once as an import would, but for the getters below: they are left out,
// so a bundle that imports one by name fails to build here rather than loading what it loads.
import { isBuiltin as isNodeBuiltin } from "node:module";
import type { Plugin } from "vite";

const prefix = "\0builtin-by-require:";

/** Getters that load a large part of Node the worker does not use; reach them through the default export. */
const costlyGetters: Record<string, readonly string[]> = {
  http: ["WebSocket", "CloseEvent", "MessageEvent"],
  tls: ["rootCertificates"],
};

export function builtinsByRequire(): Plugin {
  return {
    name: "streamdrop:builtins-by-require",
    enforce: "pre",
    // electron-vite lists every built-in as external, which Rollup decides before asking plugins.
    options(input) {
      if (!Array.isArray(input.external)) return null;
      return { ...input, external: input.external.filter((entry) => typeof entry !== "string" || !isBuiltin(withoutScheme(entry))) };
    },
    resolveId(source) {
      const name = withoutScheme(source);
      return isBuiltin(name) ? prefix + name : null;
    },
    load(id) {
      if (!id.startsWith(prefix)) return null;
      return moduleSource(id.slice(prefix.length));
    },
  };
}

const withoutScheme = (source: string): string => (source.startsWith("node:") ? source.slice("node:".length) : source);

/** Whether `name` is a built-in Node gives to `node:` imports ("fs/promises" is; "zod/v4" is not). */
const isBuiltin = (name: string): boolean => isNodeBuiltin(`node:${name}`);

/** The module a bundle gets for `node:<name>`: the built-in as default, its properties by name but the costly getters. */
export function moduleSource(name: string): string {
  const builtin = process.getBuiltinModule(`node:${name}`) as Record<string, unknown>;
  const left = costlyGetters[name] ?? [];
  const plain = Object.keys(builtin).filter((key) => isIdentifier(key) && !left.includes(key));
  return [
    `const builtin = process.getBuiltinModule(${JSON.stringify(`node:${name}`)});`,
    "export default builtin;",
    ...plain.map((key) => `export const ${key} = builtin.${key};`),
  ].join("\n");
}

const isIdentifier = (key: string): boolean => /^[A-Za-z_$][\w$]*$/.test(key) && key !== "default";
