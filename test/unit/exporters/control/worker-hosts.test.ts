// Workers as threads of hosts, seen from the engine: which host a worker lands in, whose messages
// reach whom, and what a thread's exit, a host's exit and a kill do. The host is a fake here; the
// real one, with real threads, is in test/unit/exporters/worker/worker-host.test.ts.
import { afterEach, describe, expect, it, vi } from "vitest";
import { hostedWorkers, terminateGraceMs } from "../../../../main/core/exporters/control/worker-hosts.js";
import type { HostHandle } from "../../../../main/core/exporters/control/worker-handle.js";
import type { FromHost, FromWorker, ToHost } from "../../../../main/core/exporters/worker-protocol.js";

let nextPid = 100;

class FakeHost implements HostHandle {
  readonly pid = (nextPid += 1);
  alive = true;
  readonly received: ToHost[] = [];
  readonly kills: string[] = [];
  private messageListeners: ((message: FromHost) => void)[] = [];
  private exitListeners: ((code: number | null, signal: string | null) => void)[] = [];

  send(message: ToHost): void {
    this.received.push(message);
  }
  onMessage(listener: (message: FromHost) => void): void {
    this.messageListeners.push(listener);
  }
  onExit(listener: (code: number | null, signal: string | null) => void): void {
    this.exitListeners.push(listener);
  }
  kill(signal: "SIGTERM" | "SIGKILL"): void {
    this.kills.push(signal);
  }
  say(message: FromHost): void {
    for (const listener of this.messageListeners) listener(message);
  }
  exit(code: number | null, signal: string | null): void {
    this.alive = false;
    for (const listener of this.exitListeners) listener(code, signal);
  }
  /** The worker numbers this host was asked to open, in order. */
  opened(): number[] {
    return this.received.flatMap((message) => (message.type === "open" ? [message.worker] : []));
  }
}

function pool(perHost: number) {
  const hosts: FakeHost[] = [];
  const launch = hostedWorkers(() => {
    const host = new FakeHost();
    hosts.push(host);
    return host;
  }, perHost);
  return { hosts, launch };
}

const status = (eventsExported: number): FromWorker => ({
  type: "status",
  status: {
    state: "running",
    assigned: [0],
    eventsExported,
    invalidExported: 0,
    bytesExported: 0,
    filesWritten: 0,
    tombstonesSkipped: 0,
    lag: [],
  },
});

afterEach(() => void vi.useRealTimers());

describe("workers in hosts", () => {
  it("fills a host up to its size before starting the next, each worker with the host's pid", () => {
    const { hosts, launch } = pool(2);
    const workers = [launch(), launch(), launch()];
    expect(hosts).toHaveLength(2);
    expect(hosts[0]!.opened()).toHaveLength(2);
    expect(hosts[1]!.opened()).toHaveLength(1);
    expect(workers.map((worker) => worker.pid)).toEqual([hosts[0]!.pid, hosts[0]!.pid, hosts[1]!.pid]);
  });

  it("routes each thread's messages to its own handle, and each handle's to its own thread", () => {
    const { hosts, launch } = pool(8);
    const [first, second] = [launch(), launch()];
    const heard: [string, FromWorker][] = [];
    first.onMessage((message) => heard.push(["first", message]));
    second.onMessage((message) => heard.push(["second", message]));
    const [firstId, secondId] = hosts[0]!.opened();
    hosts[0]!.say({ type: "from", worker: secondId!, message: status(7) });
    expect(heard).toEqual([["second", status(7)]]);
    first.send({ type: "stop" });
    expect(hosts[0]!.received.at(-1)).toEqual({ type: "to", worker: firstId, message: { type: "stop" } });
  });

  it("ends a thread alone, with its own exit code, while the others go on", () => {
    const { hosts, launch } = pool(8);
    const [first, second] = [launch(), launch()];
    const exits: [number | null, string | null][] = [];
    first.onExit((code, signal) => exits.push([code, signal]));
    second.onExit(() => expect.fail("the other worker must not exit"));
    hosts[0]!.say({ type: "exit", worker: hosts[0]!.opened()[0]!, code: 3, terminated: false });
    expect(exits).toEqual([[3, null]]);
    expect([first.alive, second.alive]).toEqual([false, true]);
    expect(hosts[0]!.received).not.toContainEqual({ type: "quit" });
    // Messages to an ended worker go nowhere.
    const sent = hosts[0]!.received.length;
    first.send({ type: "stop" });
    expect(hosts[0]!.received).toHaveLength(sent);
  });

  it("tells a host whose last thread ended to quit, and starts the next worker in a new host", () => {
    const { hosts, launch } = pool(8);
    const worker = launch();
    let restarted: ReturnType<typeof launch> | undefined;
    // The runner relaunches from its exit listener (after a backoff; at once here).
    worker.onExit(() => (restarted = launch()));
    hosts[0]!.say({ type: "exit", worker: hosts[0]!.opened()[0]!, code: 1, terminated: false });
    expect(hosts[0]!.received.at(-1)).toEqual({ type: "quit" });
    expect(hosts).toHaveLength(2);
    expect(restarted?.pid).toBe(hosts[1]!.pid);
  });

  it("ends every thread of a host that dies, as killed, and starts their replacements in a new host", () => {
    const { hosts, launch } = pool(8);
    const workers = [launch(), launch()];
    const exits: (string | null)[] = [];
    for (const worker of workers) worker.onExit((_code, signal) => exits.push(signal));
    hosts[0]!.exit(null, "SIGKILL");
    expect(exits).toEqual(["SIGKILL", "SIGKILL"]);
    expect(workers.every((worker) => !worker.alive)).toBe(true);
    launch();
    expect(hosts).toHaveLength(2);
  });

  it("stops a worker on SIGTERM with its stop message, and terminates its thread on SIGKILL", () => {
    const { hosts, launch } = pool(8);
    const worker = launch();
    const id = hosts[0]!.opened()[0]!;
    worker.kill("SIGTERM");
    expect(hosts[0]!.received.at(-1)).toEqual({ type: "to", worker: id, message: { type: "stop" } });
    let signal: string | null = null;
    worker.onExit((_code, exitSignal) => (signal = exitSignal));
    worker.kill("SIGKILL");
    expect(hosts[0]!.received.at(-1)).toEqual({ type: "terminate", worker: id });
    hosts[0]!.say({ type: "exit", worker: id, code: 1, terminated: true });
    expect(signal).toBe("SIGKILL");
  });

  it("ends the host of a thread that a terminate does not end (stuck in a native call)", () => {
    vi.useFakeTimers();
    const { hosts, launch } = pool(8);
    const [stuck, ended] = [launch(), launch()];
    stuck.kill("SIGKILL");
    ended.kill("SIGKILL");
    hosts[0]!.say({ type: "exit", worker: hosts[0]!.opened()[1]!, code: 1, terminated: true });
    vi.advanceTimersByTime(terminateGraceMs - 1);
    expect(hosts[0]!.kills).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(hosts[0]!.kills).toEqual(["SIGKILL"]);
  });
});
