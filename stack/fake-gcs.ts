// fake-gcs-server, a Cloud Storage emulator from the Go module proxy, for the GCS sink tests. It is
// built once into Go's own bin folder (outside the clone); each test file runs a private one on a
// free 127.0.0.1 port with the memory backend, so nothing is shared between files.
import { spawn, type ChildProcess } from "node:child_process";
import { goProgram } from "./build-tools.js";
import { StackError } from "./errors.js";
import { freePort, host, httpAnswers } from "./ports.js";

export const fakeGcsVersion = "v1.55.1";
export const fakeGcsBinary = () => goProgram("fake-gcs-server", "github.com/fsouza/fake-gcs-server", fakeGcsVersion);

export interface FakeGcs {
  endpoint: string;
  stop(): void;
}

/** A private, in-memory fake-gcs-server; resolves once it answers. */
export async function startFakeGcs(): Promise<FakeGcs> {
  const binary = fakeGcsBinary();
  const port = await freePort();
  const endpoint = `http://${host}:${port}`;
  const child: ChildProcess = spawn(
    binary,
    ["-scheme", "http", "-host", host, "-port", String(port), "-backend", "memory", "-external-url", endpoint, "-log-level", "warn"],
    { stdio: "ignore" },
  );
  for (let tries = 0; tries < 100; tries += 1) {
    if (await httpAnswers(`${endpoint}/storage/v1/b`)) return { endpoint, stop: () => child.kill() };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new StackError(`fake-gcs-server did not answer on ${endpoint}.`);
}
