// The V8 flags exporter workers run with, and that a benchmark or a profile can add to them.
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { workerExecArgv, workerV8Flags } from "../../../../main/core/exporters/control/worker-launcher.js";

const ours = ["--max-semi-space-size=2", "--optimize-for-size", "--no-sparkplug", "--no-maglev", "--no-concurrent-recompilation"];

// Fresh functions made hot while the heap grows, then process.exit at a random moment: with the
// small young generation alone, about one run in twenty never ends (nodejs/node#54918).
const exitWhileCompiling = `
const fns = Array.from({ length: 400 }, (_, i) => new Function("a", "b", "let s = " + i + "; for (let j = 0; j < a.length; j++) s += a[j] * " + ((i % 7) + 1) + " + (b[j % b.length] | 0); return [s, { x: s, y: '" + i + "' + s }];"));
const keep = [];
const until = Date.now() + 50 + Math.random() * 400;
(function spin() {
  for (let k = 0; k < 50; k++) {
    keep.push(fns[(Math.random() * fns.length) | 0](Array.from({ length: 200 }, (_, i) => i), [1, 2, 3]));
    if (keep.length > 200000) keep.length = 0;
  }
  if (Date.now() > until) process.exit(0);
  setImmediate(spin);
})();`;

describe("worker flags", () => {
  it("give every worker a small young generation, a heap sized for memory and no background compiles, with STREAMDROP_WORKER_NODE_ARGS after ours", () => {
    expect(workerExecArgv({})).toEqual(ours);
    expect(workerExecArgv({ STREAMDROP_WORKER_NODE_ARGS: "--cpu-prof  --max-semi-space-size=8" })).toEqual([...ours, "--cpu-prof", "--max-semi-space-size=8"]);
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

  // Each run takes half a second; a deadlocked one would take for ever, so 20 s says "hung" on any
  // machine. Without flags against background compiles, 2 of 3 tries of 60 runs each found
  // a hang; 90 runs find one more often still.
  it("let a worker's process.exit end the process while V8 is compiling", async () => {
    const run = () =>
      promisify(execFile)(process.execPath, [...workerV8Flags, "-e", exitWhileCompiling], { timeout: 20_000, killSignal: "SIGKILL" }).then(
        () => "exited",
        (error: { killed?: boolean; code?: number }) => (error.killed ? "hung" : `failed with ${error.code}`),
      );
    const ends: string[] = [];
    for (let round = 0; round < 45; round++) ends.push(...(await Promise.all([run(), run()])));
    expect(ends.filter((end) => end !== "exited")).toEqual([]);
  }, 240_000);
});
