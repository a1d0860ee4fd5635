// A stand-in exporter worker for the worker host's tests: it speaks the worker protocol over the
// same parent channel, and does what its exporter's name says, so the host's part is tested alone.
// - "exit-3": exits with code 3 (a failure that needs a person);
// - "throw": throws outside any handler;
// - "spin": never yields (only a terminate ends it);
// - "spool": makes a spool folder with a file in it at the spec's dataDir, says so, then spins;
// - "hog": holds ever more memory on its heap;
// - anything else: says where it runs, and again on each later start.
// On "stop" it says "stopped" and exits 0, as a worker does.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { threadId } from "node:worker_threads";
import { parentChannel } from "../../../main/core/exporters/worker/parent-channel.js";
import type { FromWorker, ToWorker } from "../../../main/core/exporters/worker-protocol.js";

const parent = parentChannel<ToWorker, FromWorker>();

parent.onMessage((message) => {
  if (message.type === "stop") return parent.send({ type: "stopped" }, () => process.exit(0));
  const how = message.spec.exporterName;
  if (how === "exit-3") process.exit(3);
  if (how === "throw")
    setTimeout(() => {
      throw new Error("thrown in a worker thread");
    });
  if (how === "spool") {
    mkdirSync(message.spec.dataDir, { recursive: true });
    writeFileSync(join(message.spec.dataDir, "cut0-0.part"), "an event\n");
    parent.send({ type: "spool", dir: message.spec.dataDir });
  }
  if (how === "hog") {
    const held: string[][] = [];
    for (;;) held.push(Array.from({ length: 100_000 }, (_, n) => `held ${n} ${held.length}`));
  }
  if (how === "spin" || how === "spool") while (Date.now() > 0);
  parent.send({ type: "log", level: "info", message: how, fields: { pid: process.pid, threadId } });
});
