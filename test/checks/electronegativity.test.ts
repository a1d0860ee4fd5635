// Electronegativity (Doyensec's Electron security scanner) on the shell, preload and renderer:
// no finding, each false positive marked `eng-disable` where it stands, with the reason beside it.
// It runs through npx, pinned, so its old dependency tree stays out of ours, with its network
// lookups failing at once (offline-got.cjs says why).
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { repoRoot } from "../../stack/paths.js";

const scanner = "@doyensec/electronegativity@1.10.3";

/** The findings' check ids for the files under `dir` (it cannot reach Electron's release list here, so the version is given). */
function scan(dir: string): string[] {
  const csv = join(mkdtempSync(join(tmpdir(), "streamdrop-eneg-out-")), "findings.csv");
  const offline = join(repoRoot, "test", "checks", "offline-got.cjs");
  execFileSync("npx", ["--yes", scanner, "-i", dir, "-e", "45.4.1", "-o", csv], {
    cwd: repoRoot,
    stdio: "pipe",
    env: { ...process.env, NODE_OPTIONS: `--require ${JSON.stringify(offline)}` },
  });
  return readFileSync(csv, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .filter(Boolean)
    .map((line) => `${line.split(",")[0]} ${line.split(",")[3]}`);
}

it("finds nothing in the shell, the preload and the renderer", () => {
  // A copy of the sources only: built output and dependencies are not ours to judge here.
  const sources = mkdtempSync(join(tmpdir(), "streamdrop-eneg-src-"));
  for (const dir of ["main", "preload", "renderer"]) cpSync(join(repoRoot, dir), join(sources, dir), { recursive: true });
  expect(scan(sources)).toEqual([]);
});

it("does report a window made without isolation (so the clean result means something)", () => {
  const findings = scan(join(repoRoot, "test", "checks", "fixtures", "electronegativity"));
  expect(findings.some((finding) => finding.startsWith("CONTEXT_ISOLATION_JS_CHECK"))).toBe(true);
  expect(findings.some((finding) => finding.startsWith("SANDBOX_JS_CHECK"))).toBe(true);
});
