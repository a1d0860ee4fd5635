// A worker handle outlives its process: sending to a worker as it exits must not end the sender.
import { EventEmitter } from "node:events";
import type { ChildProcess } from "node:child_process";
import { describe, expect, it } from "vitest";
import { forkedChild } from "../../../../main/core/exporters/control/worker-launcher.js";

/**
 * A child whose channel closed under the write, as Node's own does then (child_process.js,
 * `target._send`): the EPIPE goes to the send callback if there is one, else out as an 'error'
 * event, which with no listener throws. (The real race, a worker exiting as a stop is sent, is
 * too narrow to hit on purpose; the bench hit it once.)
 */
function exitingChild(): ChildProcess {
  const child = new EventEmitter() as EventEmitter & Record<string, unknown>;
  Object.assign(child, {
    connected: true,
    exitCode: null,
    signalCode: null,
    send(_message: unknown, callback?: (error: Error | null) => void) {
      const error = Object.assign(new Error("write EPIPE"), { code: "EPIPE" });
      if (callback) callback(error);
      else child.emit("error", error);
      return false;
    },
  });
  return child as unknown as ChildProcess;
}

describe("a forked worker's handle", () => {
  it("drops a message the closing channel refuses, instead of raising an error nobody handles", () => {
    const handle = forkedChild(exitingChild());
    expect(() => handle.send({ type: "stop" })).not.toThrow();
  });

  it("sends nothing once the channel is gone", () => {
    const child = exitingChild();
    let sends = 0;
    Object.assign(child, { connected: false, send: () => (sends += 1) });
    forkedChild(child).send({ type: "stop" });
    expect(sends).toBe(0);
  });
});
