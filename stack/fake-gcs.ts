// fake-gcs-server, a Cloud Storage emulator from the Go module proxy, for the GCS sink tests. It is
// built once into Go's own bin folder (outside the clone); each test file runs a private one on a
// free 127.0.0.1 port with the memory backend, so nothing is shared between files.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";
import { StackError } from "./errors.js";
import { host } from "./ports.js";
import { runTool, type Tool } from "./processes.js";

export const fakeGcsVersion = "v1.55.1";
const go: Tool = { command: "go", install: "Install Go 1.22+, e.g. `apt-get install -y golang-go`, or from go.dev." };

const goBin = () => process.env.GOBIN ?? join(process.env.GOPATH ?? join(homedir(), "go"), "bin");

export function fakeGcsBinary(): string {
  const binary = join(goBin(), "fake-gcs-server");
  if (existsSync(binary)) return binary;
  try {
    runTool(go, ["install", `github.com/fsouza/fake-gcs-server@${fakeGcsVersion}`], { env: { ...process.env, GOBIN: goBin() } });
  } catch (error) {
    throw new StackError(`go could not install fake-gcs-server ${fakeGcsVersion}. Check that the Go module proxy is reachable.\n${(error as Error).message}`);
  }
  return binary;
}

export interface FakeGcs {
  endpoint: string;
  stop(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A private, in-memory fake-gcs-server; resolves once it answers. */
export async function startFakeGcs(): Promise<FakeGcs> {
  const binary = fakeGcsBinary();
  const port = await freePort();
  const endpoint = `http://${host}:${port}`;
  const child: ChildProcess = spawn(binary, ["-scheme", "http", "-host", host, "-port", String(port), "-backend", "memory", "-external-url", endpoint, "-log-level", "warn"], { stdio: "ignore" });
  for (let tries = 0; tries < 100; tries += 1) {
    if (await fetch(`${endpoint}/storage/v1/b`).then((response) => response.ok, () => false)) return { endpoint, stop: () => child.kill() };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new StackError(`fake-gcs-server did not answer on ${endpoint}.`);
}
