// The worker host as a real process with real threads (worker-host.ts forked through tsx), its
// workers a stand-in that speaks the protocol (test/support/worker-standin/worker.ts): threads share
// the process, one's end is its own, and stops and kills reach the right thread. The real worker in
// real hosts, against Kafka and a store, is in test/integration/exporters/worker-hosts.test.ts.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { hostLauncher } from "../../../../main/core/exporters/control/worker-launcher.js";
import { hostedWorkers } from "../../../../main/core/exporters/control/worker-hosts.js";
import type { HostHandle, WorkerHandle } from "../../../../main/core/exporters/control/worker-handle.js";
import type { FromWorker, WorkerSpec } from "../../../../main/core/exporters/worker-protocol.js";

const hostEntry = fileURLToPath(new URL("../../../../main/core/exporters/worker/worker-host.ts", import.meta.url));
const standIn = fileURLToPath(new URL("../../../support/worker-standin/worker.ts", import.meta.url));

// A small heap for the threads of these hosts, so the one that hoards reaches it fast.
process.env.STREAMDROP_WORKER_HEAP_MB = "64";

const hosts: HostHandle[] = [];
const launchHost = hostLauncher(hostEntry, standIn, ["--import", "tsx"]);
const launch = hostedWorkers(() => {
  const host = launchHost();
  hosts.push(host);
  return host;
});

// Each test starts with no host: the last one's are gone, and their exits heard.
afterEach(async () => {
  await Promise.all(
    hosts.splice(0).map(async (host) => {
      if (!host.alive) return;
      const gone = hostExited(host);
      host.kill("SIGKILL");
      await gone;
    }),
  );
});

/** A worker started as the runner starts one, with what it hears and how it ended. */
function start(how: string) {
  const worker = launch();
  const heard: FromWorker[] = [];
  worker.onMessage((message) => heard.push(message));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => worker.onExit((code, signal) => resolve({ code, signal })));
  worker.send({ type: "start", spec: { exporterName: how } as WorkerSpec });
  return { worker, heard, exited };
}

async function until(what: string, check: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 20_000; !check(); await new Promise((resolve) => setTimeout(resolve, 20)))
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
}

const saidWhere = (heard: FromWorker[]) =>
  heard.flatMap((message) => (message.type === "log" && message.fields ? [message.fields as { pid: number; threadId: number }] : []));

const hostExited = (host: HostHandle) => new Promise<number | null>((resolve) => host.onExit((code) => resolve(code)));

describe("a worker host", { timeout: 30_000 }, () => {
  it("runs workers as threads of one process, and ends one alone with its own code", async () => {
    const [first, second] = [start("first"), start("second")];
    await until("both run", () => saidWhere(first.heard).length > 0 && saidWhere(second.heard).length > 0);
    const [whereFirst, whereSecond] = [saidWhere(first.heard)[0]!, saidWhere(second.heard)[0]!];
    expect(whereFirst.pid).toBe(first.worker.pid);
    expect(whereSecond.pid).toBe(first.worker.pid);
    expect(whereFirst.threadId).not.toBe(whereSecond.threadId);

    const failing = start("exit-3");
    expect(failing.worker.pid).toBe(first.worker.pid);
    expect(await failing.exited).toEqual({ code: 3, signal: null });
    // The others still hear and answer.
    first.worker.send({ type: "start", spec: { exporterName: "again" } as WorkerSpec });
    await until("the first answers again", () => saidWhere(first.heard).length === 2);
    expect(second.worker.alive).toBe(true);
  });

  it("ends a thread that throws, with its error said, and keeps the others", async () => {
    const steady = start("steady");
    const throwing = start("throw");
    expect((await throwing.exited).code).toBe(1);
    expect(throwing.heard).toContainEqual({ type: "log", level: "error", message: "thrown in a worker thread" });
    steady.worker.send({ type: "start", spec: { exporterName: "again" } as WorkerSpec });
    await until("the steady one answers", () => saidWhere(steady.heard).length === 2);
  });

  it("terminates a thread that never yields on SIGKILL, and stops one cleanly on SIGTERM; the host then quits", async () => {
    const spinning = start("spin");
    const steady = start("steady");
    await until("the steady one runs", () => saidWhere(steady.heard).length > 0);
    const host = hosts.at(-1)!;
    const hostGone = hostExited(host);
    spinning.worker.kill("SIGKILL");
    expect(await spinning.exited).toEqual({ code: null, signal: "SIGKILL" });
    expect(host.alive).toBe(true);
    steady.worker.kill("SIGTERM");
    expect(await steady.exited).toEqual({ code: 0, signal: null });
    expect(steady.heard).toContainEqual({ type: "stopped" });
    // Its last thread gone, the host is told to quit.
    expect(await hostGone).toBe(0);
  });

  it("removes a thread's spool folder once it has ended, terminated mid-file", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "streamdrop-host-spool-")), "events~here~1~ab");
    const spooling = launch();
    const exited = new Promise<void>((resolve) => spooling.onExit(() => resolve()));
    spooling.send({ type: "start", spec: { exporterName: "spool", dataDir: dir } as WorkerSpec });
    await until("the spool file is written", () => existsSync(join(dir, "cut0-0.part")));
    spooling.kill("SIGKILL");
    await exited;
    expect(existsSync(dir)).toBe(false);
  });

  it("ends a thread that outgrows its heap's limit alone, saying so", async () => {
    const steady = start("steady");
    const hog = start("hog");
    expect((await hog.exited).code).toBe(1);
    expect(hog.heard).toContainEqual(expect.objectContaining({ type: "log", level: "error", message: expect.stringMatching(/out of memory/i) }));
    steady.worker.send({ type: "start", spec: { exporterName: "again" } as WorkerSpec });
    await until("the steady one answers", () => saidWhere(steady.heard).length === 2);
  });

  it("stops every thread cleanly on its own SIGTERM, then exits", async () => {
    const workers = [start("one"), start("two")];
    await until("both run", () => workers.every(({ heard }) => saidWhere(heard).length > 0));
    const host = hosts.at(-1)!;
    const hostGone = hostExited(host);
    process.kill(host.pid!, "SIGTERM");
    for (const { exited, heard } of workers) {
      expect(await exited).toEqual({ code: 0, signal: null });
      expect(heard).toContainEqual({ type: "stopped" });
    }
    expect(await hostGone).toBe(0);
  });

  it("ends at once a worker opened while it stops (a SIGTERM not from the engine)", async () => {
    const spinning = start("spin");
    const steady = start("steady");
    await until("the steady one runs", () => saidWhere(steady.heard).length > 0);
    process.kill(spinning.worker.pid!, "SIGTERM");
    expect(await steady.exited).toEqual({ code: 0, signal: null });
    // The spinning thread never hears its stop, so the host is still there, stopping.
    const late = start("late");
    expect(late.worker.pid).toBe(spinning.worker.pid);
    expect(await late.exited).toEqual({ code: 1, signal: null });
    expect(saidWhere(late.heard)).toEqual([]);
    spinning.worker.kill("SIGKILL");
    expect(await spinning.exited).toEqual({ code: null, signal: "SIGKILL" });
  });

  it("takes its threads with it when killed", async () => {
    const workers: ReturnType<typeof start>[] = [start("one"), start("two")];
    await until("both run", () => workers.every(({ heard }) => saidWhere(heard).length > 0));
    process.kill(workers[0]!.worker.pid!, "SIGKILL");
    for (const { exited } of workers) expect(await exited).toEqual({ code: null, signal: "SIGKILL" });
    const next: WorkerHandle = launch();
    expect(next.pid).not.toBe(workers[0]!.worker.pid);
  });
});
