// Renders resources/*.png from the SVGs below with Debian's Chromium. Run after changing them:
//   npx tsx scripts/render-icons.ts
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { repoRoot } from "../stack/paths.js";

const drop = (fill: string) => `<path d="M16 3 C16 3 7 14 7 20 a9 9 0 0 0 18 0 C25 14 16 3 16 3 Z" fill="${fill}"/>`;
const badge = (fill: string) => `<circle cx="25" cy="25" r="6" fill="${fill}" stroke="#ffffff" stroke-width="2"/>`;

/** The tray shows the drop in one colour per state; errors and pauses also get a badge. */
const trayStates: Record<string, string> = {
  idle: drop("#7a8499"),
  exporting: drop("#2f7cf6"),
  paused: drop("#7a8499") + badge("#e0a100"),
  error: drop("#7a8499") + badge("#d93025"),
};

const svg = (body: string, size: number) => `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 32 32">${body}</svg>`;

const appIcon = `<rect x="1" y="1" width="30" height="30" rx="7" fill="#16233b"/>
  <path d="M8 14 h16 l-2 13 h-12 Z" fill="#2f7cf6"/>
  <path d="M16 3 C16 3 11.5 8.5 11.5 11.5 a4.5 4.5 0 0 0 9 0 C20.5 8.5 16 3 16 3 Z" fill="#8fd3ff"/>`;

async function main() {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
  const page = await browser.newPage();
  const render = async (body: string, size: number, file: string) => {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg(body, size)}</body></html>`);
    writeFileSync(join(repoRoot, "resources", file), await page.screenshot({ omitBackground: true }));
  };
  await render(appIcon, 512, "icon.png");
  for (const [state, body] of Object.entries(trayStates)) {
    await render(body, 16, `tray-${state}.png`);
    await render(body, 32, `tray-${state}@2x.png`);
  }
  await browser.close();
}

void main();
