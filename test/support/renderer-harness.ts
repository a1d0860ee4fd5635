// Builds the renderer as shipped, serves it on 127.0.0.1 with the bridge, and opens it in
// Debian's Chromium through playwright-core.
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import react from "@vitejs/plugin-react";
import { chromium, type Browser, type Page } from "playwright-core";
import { build, preview, type PreviewServer } from "vite";
import type { Handlers } from "../../main/ipc/dispatch.js";
import { repoRoot } from "../../stack/paths.js";
import { bridgeInitScript, bridgePlugin } from "./bridge.js";

export const artifactsDir = join(repoRoot, "test-results", "e2e");

const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface RendererHarness {
  page: Page;
  url: string;
  close: () => Promise<void>;
}

export async function openRenderer(handlers: Handlers): Promise<RendererHarness> {
  const outDir = mkdtempSync(join(tmpdir(), "streamdrop-renderer-"));
  const config = { root: join(repoRoot, "renderer"), configFile: false as const, logLevel: "warn" as const, plugins: [react(), bridgePlugin(handlers)] };
  await build({ ...config, build: { outDir, emptyOutDir: true } });
  const server: PreviewServer = await preview({ ...config, build: { outDir }, preview: { host: "127.0.0.1", port: 0, strictPort: false } });
  const url = server.resolvedUrls!.local[0]!;
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: chromiumArgs });
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page.addInitScript(bridgeInitScript);
    mkdirSync(artifactsDir, { recursive: true });
    return {
      page,
      url,
      close: async () => {
        await browser?.close();
        await server.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await server.close();
    throw error;
  }
}
