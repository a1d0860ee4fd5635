// The V8 flags exporter workers run with, and that a benchmark or a profile can add to them.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { workerExecArgv, workerV8Flags } from "../../../../main/core/exporters/control/worker-launcher.js";

describe("worker flags", () => {
  it("give every worker a small young generation and a heap sized for memory, with STREAMDROP_WORKER_NODE_ARGS after ours", () => {
    expect(workerExecArgv({})).toEqual(["--max-semi-space-size=2", "--optimize-for-size"]);
    expect(workerExecArgv({ STREAMDROP_WORKER_NODE_ARGS: "--cpu-prof  --max-semi-space-size=8" })).toEqual([
      "--max-semi-space-size=2",
      "--optimize-for-size",
      "--cpu-prof",
      "--max-semi-space-size=8",
    ]);
  });

  it("are flags this Node takes, and they shrink its young generation", () => {
    const newSpace = (flags: string[]) =>
      Number(
        execFileSync(
          process.execPath,
          [
            ...flags,
            "-e",
            "const v8 = require('node:v8'); const a = []; for (let i = 0; i < 2e6; i++) a.push({ i }); process.stdout.write(String(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size))",
          ],
          { encoding: "utf8" },
        ),
      );
    expect(newSpace(workerV8Flags)).toBeLessThan(newSpace([]));
    expect(newSpace(workerV8Flags)).toBeLessThanOrEqual(3 * 2 * 2 ** 20);
  });
});
