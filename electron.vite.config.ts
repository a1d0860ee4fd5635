// One build for the three Electron targets. The main target also emits the CLI (out/main/cli.js),
// the exporter worker (out/main/exporter-worker.js) and the worker host whose threads run it
// (out/main/exporter-host.js), which run under plain Node because they only reach main/core.
import { resolve } from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "electron-vite";
import type { Rollup } from "vite";
import { builtinsByRequire } from "./scripts/builtins-by-require.js";

const bundledDeps = [
  "zod",
  "@azure/storage-blob",
  "@aws-sdk/client-s3",
  "@aws-sdk/client-iam",
  "@aws-sdk/client-sts",
  "@aws-sdk/credential-providers",
  "aws-msk-iam-sasl-signer-js",
];

/** Rollup's notes on comments it cannot place in a bundled dependency are theirs, not ours to fix. */
const quietAboutDependencies: Rollup.RollupOptions["onwarn"] = (warning, warn) => {
  if (warning.code === "INVALID_ANNOTATION" && warning.id?.includes("/node_modules/")) return;
  warn(warning);
};

export default defineConfig({
  main: {
    plugins: [builtinsByRequire()],
    build: {
      outDir: "out/main",
      // Bundled rather than loaded from node_modules: a worker loading them file by file held
      // 5-8 MiB more at its peak (docs/BENCHMARKS.md, "What a worker loads"). The AWS clients and
      // the MSK signer (which requires two of them) go together, so that they share the SDK's
      // parts (the signer keeps its own older SigV4 signer). The Azure SDK's ES build imports
      // node:http, which loaded undici into every Azure worker. Others stay external as they were,
      // among them native and wasm modules, kafkajs (patched, and no smaller at a worker's peak
      // bundled), the readers of Avro, Protobuf and Parquet, and the Cloud Storage SDK: its
      // node-fetch calls Node's deprecated url.parse and punycode, which warn on stderr when
      // called from outside node_modules.
      externalizeDeps: { exclude: bundledDeps },
      rollupOptions: {
        onwarn: quietAboutDependencies,
        input: {
          index: resolve("main/index.ts"),
          cli: resolve("main/cli/index.ts"),
          "exporter-worker": resolve("main/core/exporters/worker/worker-process.ts"),
          "exporter-host": resolve("main/core/exporters/worker/worker-host.ts"),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: "out/preload",
      // Sandboxed preload scripts must be CommonJS, and their require() loads only electron and a
      // few Node built-ins (events, timers, url): every dependency (zod, via the contract) is bundled.
      externalizeDeps: false,
      rollupOptions: {
        onwarn: quietAboutDependencies,
        input: { index: resolve("preload/index.ts") },
        output: { format: "cjs", entryFileNames: "[name].cjs" },
      },
    },
  },
  renderer: {
    root: "renderer",
    plugins: [react()],
    build: { outDir: resolve("out/renderer"), rollupOptions: { onwarn: quietAboutDependencies, input: resolve("renderer/index.html") } },
  },
});
