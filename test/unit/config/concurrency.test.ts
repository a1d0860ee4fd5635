// Two processes (as the app and the CLI would be) updating the config store at once lose nothing.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ConfigStore } from "../../../main/core/config/store.js";
import { repoRoot } from "../../../stack/paths.js";

function writer(dataDir: string, prefix: string, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "test/support/config-writer.ts", dataDir, prefix, String(count)], {
      cwd: repoRoot,
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${prefix} writer exited with ${code}`))));
  });
}

it("loses no update when two processes write the config many times at once", { timeout: 120_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "streamdrop-concurrent-"));
  const count = 150;
  await Promise.all([writer(dataDir, "app", count), writer(dataDir, "cli", count)]);
  const names = (await new ConfigStore(dataDir).read()).sinks.map((sink) => sink.name);
  expect(names).toHaveLength(2 * count);
  for (const prefix of ["app", "cli"]) {
    const mine = names.filter((name) => name.startsWith(`${prefix}-`));
    // Each writer's own updates stay in order, and none is missing.
    expect(mine).toEqual(Array.from({ length: count }, (_, i) => `${prefix}-${i}`));
  }
});
