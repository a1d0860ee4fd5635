// A private moto server for tests that switch IAM enforcement on: enforcement is global to a
// moto process, so these tests get their own instead of the shared stack's.
import { spawn, type ChildProcess } from "node:child_process";
import { motoServerBinary } from "../../stack/moto.js";
import { freePort } from "./ports.js";

export interface PrivateMoto {
  endpoint: string;
  /** From the next request on, every request must be signed by an IAM identity allowed to make it. */
  enforceIam(): Promise<void>;
  /** Lets the next `requests` requests through unchecked (for setting up other accounts' things). */
  disableIamFor(requests: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivateMoto(): Promise<PrivateMoto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(motoServerBinary(), ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const up = await fetch(`${endpoint}/moto-api/data.json`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`private moto server did not start on ${endpoint}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    endpoint,
    enforceIam: () => resetAuth(endpoint, 0),
    disableIamFor: (requests) => resetAuth(endpoint, requests),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

async function resetAuth(endpoint: string, uncheckedRequests: number): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset-auth`, { method: "POST", body: String(uncheckedRequests) });
  if (!response.ok) throw new Error(`moto reset-auth failed: ${response.status}`);
}
