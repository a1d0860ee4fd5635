// The built `streamdrop` command, run the way users run it after `npm run build`.
import { execFileSync } from "node:child_process";
import { expect, it } from "vitest";
import packageJson from "../../package.json" with { type: "json" };
import { repoRoot } from "../../stack/paths.js";

const streamdrop = (...args: string[]) => execFileSync("npx", ["--no-install", "streamdrop", ...args], { cwd: repoRoot, encoding: "utf8" });

it("prints help through npx streamdrop", () => {
  const help = streamdrop("--help");
  expect(help).toContain("Usage: streamdrop");
  expect(help).toContain("JSON Lines");
});

it("prints the package version", () => {
  expect(streamdrop("--version").trim()).toBe(packageJson.version);
});
