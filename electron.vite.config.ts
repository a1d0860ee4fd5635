// One build for the three Electron targets. The main target also emits the CLI (out/main/cli.js),
// the exporter worker (out/main/exporter-worker.js) and the worker host whose threads run it
// (out/main/exporter-host.js), which run under plain Node because they only reach main/core.
import { resolve } from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "electron-vite";

export default defineConfig({
  main: {
    build: {
      outDir: "out/main",
      rollupOptions: {
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
      rollupOptions: { input: { index: resolve("preload/index.ts") }, output: { format: "cjs", entryFileNames: "[name].cjs" } },
    },
  },
  renderer: {
    root: "renderer",
    plugins: [react()],
    build: { outDir: resolve("out/renderer"), rollupOptions: { input: resolve("renderer/index.html") } },
  },
});
