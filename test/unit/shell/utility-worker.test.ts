// Exporter workers as Electron utility processes (the packaged app cannot fork itself as Node),
// with a fake utilityProcess.fork: the handle the engine uses sends, hears, stops and sees the exit.
import { EventEmitter } from "node:events";
import { expect, it } from "vitest";
import { utilityWorkerLauncher, type UtilityChild } from "../../../main/utility-worker.js";

class FakeUtility extends EventEmitter implements UtilityChild {
  readonly pid = 4242;
  readonly posted: unknown[] = [];
  kills = 0;
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  kill(): boolean {
    this.kills += 1;
    this.emit("exit", 0);
    return true;
  }
}

const noSignals = () => {
  throw new Error("no signal was expected");
};

it("forks the built worker as a utility process and speaks the worker protocol through it", () => {
  const forks: Array<{ entry: string; options: { serviceName: string } }> = [];
  let child!: FakeUtility;
  const launch = utilityWorkerLauncher(
    (entry, _args, options) => {
      forks.push({ entry, options });
      return (child = new FakeUtility());
    },
    "/app/out/main/exporter-worker.js",
    noSignals,
  );
  const worker = launch();
  expect(forks).toEqual([
    {
      entry: "/app/out/main/exporter-worker.js",
      options: {
        serviceName: "Streamdrop exporter worker 1",
        stdio: "inherit",
        execArgv: ["--max-semi-space-size=2", "--optimize-for-size", "--no-sparkplug", "--no-maglev", "--no-concurrent-recompilation"],
      },
    },
  ]);
  expect(worker.pid).toBe(4242);

  const heard: unknown[] = [];
  const exits: Array<[number | null, string | null]> = [];
  worker.onMessage((message) => heard.push(message));
  worker.onExit((code, signal) => exits.push([code, signal]));
  worker.send({ type: "stop" });
  child.emit("message", { type: "stopped" });
  expect(child.posted).toEqual([{ type: "stop" }]);
  expect(heard).toEqual([{ type: "stopped" }]);

  expect(worker.alive).toBe(true);
  worker.kill("SIGTERM");
  expect(worker.alive).toBe(false);
  expect(exits).toEqual([[0, null]]);
  // Nothing is sent to, or killed in, a process that has gone.
  worker.send({ type: "stop" });
  worker.kill("SIGTERM");
  expect(child.posted).toHaveLength(1);
  expect(child.kills).toBe(1);
});

it("ends a worker that does not stop by its process id, since UtilityProcess.kill() only asks it to stop", () => {
  const signals: Array<[number, string]> = [];
  let child!: FakeUtility;
  const worker = utilityWorkerLauncher(
    () => (child = new FakeUtility()),
    "/app/out/main/exporter-worker.js",
    (pid, signal) => {
      signals.push([pid, signal]);
      child.emit("exit", 137);
    },
  )();
  worker.kill("SIGKILL");
  expect(signals).toEqual([[4242, "SIGKILL"]]);
  expect(child.kills).toBe(0);
  expect(worker.alive).toBe(false);
  // Gone: no second signal.
  worker.kill("SIGKILL");
  expect(signals).toHaveLength(1);
});
