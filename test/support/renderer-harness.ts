// The renderer as shipped, in Debian's Chromium through playwright-core, talking to the real core
// over the web bridge (`npm run ui:web`'s server).
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import react from "@vitejs/plugin-react";
import { chromium, type Browser, type Page } from "playwright-core";
import { build } from "vite";
import type { Core } from "../../main/core/index.js";
import { startWebBridge, type WebBridge } from "../../scripts/ui-web/web-bridge.js";
import { repoRoot } from "../../stack/paths.js";

export const artifactsDir = join(repoRoot, "test-results", "e2e");

const chromiumPath = "/usr/bin/chromium";
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

let built: Promise<string> | undefined;

/** Builds the renderer once per test process. */
function builtRenderer(): Promise<string> {
  built ??= (async () => {
    const outDir = mkdtempSync(join(tmpdir(), "streamdrop-renderer-"));
    await build({ root: join(repoRoot, "renderer"), configFile: false, logLevel: "warn", plugins: [react()], build: { outDir, emptyOutDir: true } });
    return outDir;
  })();
  return built;
}

export interface RendererHarness {
  page: Page;
  bridge: WebBridge;
  /** Saves a full-page screenshot under test-results/e2e/. */
  screenshot(name: string): Promise<string>;
  /** Runs axe-core on the page; returns the serious and critical violations. */
  accessibilityProblems(): Promise<Array<{ id: string; impact: string; help: string; nodes: string[] }>>;
  /** What the page's Content-Security-Policy refused so far (the UI must need nothing it refuses). */
  cspViolations(): string[];
  /** Every error text the window showed so far (alerts, error messages, field errors). */
  errorsShown(): Promise<string[]>;
  close(): Promise<void>;
}

export async function openRenderer(core: Core, options: { colorScheme?: "light" | "dark" } = {}): Promise<RendererHarness> {
  const staticDir = await builtRenderer();
  const bridge = await startWebBridge({ staticDir, core });
  let browser: Browser | undefined;
  try {
    if (!existsSync(chromiumPath))
      throw new Error(
        `Chromium is not installed at ${chromiumPath}, and the renderer tests need it: apt-get install -y chromium (scripts/install-system-deps.sh --tests, which \`npm test\` runs, installs it).`,
      );
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, colorScheme: options.colorScheme ?? "light" });
    mkdirSync(artifactsDir, { recursive: true });
    const refused: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    // Through the debugging protocol, so the page's CSP does not refuse it: remembers every error
    // text the window shows, and every text anywhere on screen that holds a command-line option
    // (`--name`), so close() can prove the window never shows one: not the CLI's, not Node's, not
    // another tool's. Documents a person hands to another tool (<pre>: a setup document's aws
    // commands) are what they are, and are left out.
    await page.addInitScript(() => {
      const seen = new Set<string>();
      const flagged = new Set<string>();
      const state = window as unknown as { __errorsShown: Set<string>; __flagsShown: Set<string> };
      state.__errorsShown = seen;
      state.__flagsShown = flagged;
      const flag = /(^|[\s(`"'])--[a-z]/;
      const scanTexts = () => {
        if (!document.body) return;
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const text = node.textContent ?? "";
          if (flag.test(text) && !node.parentElement?.closest("pre, script, style")) flagged.add(text);
        }
        document.querySelectorAll("[aria-label], [title], [placeholder]").forEach((element) => {
          for (const name of ["aria-label", "title", "placeholder"]) {
            const text = element.getAttribute(name) ?? "";
            if (flag.test(text)) flagged.add(`${name}: ${text}`);
          }
        });
      };
      let scheduled = false;
      const collect = () => {
        document.querySelectorAll('[role="alert"], .message.error, .field-error').forEach((node) => node.textContent && seen.add(node.textContent));
        if (scheduled) return;
        scheduled = true;
        setTimeout(() => {
          scheduled = false;
          scanTexts();
        }, 0);
      };
      new MutationObserver(collect).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await page.goto(bridge.url);
    const axeSource = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
    return {
      page,
      bridge,
      async screenshot(name) {
        const path = join(artifactsDir, `${name}.png`);
        await page.screenshot({ path, fullPage: true });
        return path;
      },
      async accessibilityProblems() {
        // Evaluated through the debugging protocol: the page's CSP (rightly) refuses injected scripts.
        if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(readFileSync(axeSource, "utf8"));
        const results = (await page.evaluate(() => (window as unknown as { axe: { run: (context: Document) => Promise<unknown> } }).axe.run(document))) as {
          violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }>;
        };
        return results.violations
          .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
          .map((violation) => ({
            id: violation.id,
            impact: violation.impact,
            help: violation.help,
            nodes: violation.nodes.map((node) => node.target.join(" ")),
          }));
      },
      cspViolations: () => [...refused],
      errorsShown: async () => page.evaluate(() => [...(window as unknown as { __errorsShown: Set<string> }).__errorsShown]),
      close: async () => {
        const shown = await page
          .evaluate(() => {
            const state = window as unknown as { __errorsShown: Set<string>; __flagsShown: Set<string> };
            return { errors: [...state.__errorsShown], flagged: [...state.__flagsShown] };
          })
          .catch(() => ({ errors: [] as string[], flagged: [] as string[] }));
        await browser?.close();
        await bridge.close();
        // The window speaks its own language: no text it showed, errors above all, may name a command-line option.
        const withFlags = [...shown.errors.filter((text) => /(^|[\s(`"'])--[a-z]/.test(text)), ...shown.flagged];
        if (withFlags.length > 0) throw new Error(`The window showed text that names command-line options: ${JSON.stringify([...new Set(withFlags)])}`);
      },
    };
  } catch (error) {
    await browser?.close();
    await bridge.close();
    throw error;
  }
}
