// The bench's CPU accounting: a child's CPU counts in its parent's tree while it runs and once
// it is reaped, and a subtree left out (the broker, the store) does not count.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { treeCpuMs } from "../../../bench/cpu.js";

/** A child that spins until it has used `ms` of CPU, then waits to be killed (or exits). */
function spinner(ms: number, thenExit: boolean) {
  const script = `while ((process.cpuUsage().user + process.cpuUsage().system) / 1000 < ${ms}); process.stdout.write("done\\n"); ${thenExit ? "" : "setInterval(() => {}, 1000);"}`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "ignore"] });
  const done = new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return { child, done, exited };
}

describe("treeCpuMs", () => {
  it("counts a living child, and a reaped one, in its parent's tree", async () => {
    const before = treeCpuMs(process.pid);
    const living = spinner(300, false);
    await living.done;
    const withLiving = treeCpuMs(process.pid);
    expect(withLiving - before).toBeGreaterThanOrEqual(250);
    living.child.kill();
    await living.exited;
    const reaped = spinner(300, true);
    await reaped.exited;
    expect(treeCpuMs(process.pid) - withLiving).toBeGreaterThanOrEqual(250);
  });

  it("leaves out the trees it is told to", async () => {
    const busy = spinner(300, false);
    await busy.done;
    expect(treeCpuMs(busy.child.pid!)).toBeGreaterThanOrEqual(250);
    const all = treeCpuMs(process.pid);
    const without = treeCpuMs(process.pid, [busy.child.pid!]);
    expect(all - without).toBeGreaterThanOrEqual(250);
    busy.child.kill();
    await busy.exited;
  });
});
