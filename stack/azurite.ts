// Azurite, Microsoft's Azure Storage emulator (npm `azurite`, a devDependency), for the Azure sink
// tests. Each test file runs a private blob service on a free 127.0.0.1 port, in memory, with its
// well-known development account; SAS signatures and permissions are checked as Azure does.
import { spawn, type ChildProcess } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StackError } from "./errors.js";
import { repoRoot } from "./paths.js";
import { freePort, host, httpAnswers } from "./ports.js";

export const devAccount = { name: "devstoreaccount1", key: "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==" };

export interface Azurite {
  /** The blob service of the development account: `http://127.0.0.1:<port>/devstoreaccount1`. */
  endpoint: string;
  /** Its connection string, with the account key: an administrator's credential. */
  connectionString: string;
  stop(): void;
}

export async function startAzurite(): Promise<Azurite> {
  const port = await freePort();
  const endpoint = `http://${host}:${port}/${devAccount.name}`;
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(repoRoot, "node_modules/azurite/dist/src/blob/main.js"),
      "--blobHost",
      host,
      "--blobPort",
      String(port),
      "--inMemoryPersistence",
      "--disableTelemetry",
      "--silent",
      "--skipApiVersionCheck",
    ],
    // The SDK (12.34) speaks a newer API version than Azurite 3.37 lists; the operations used are the same.
    // In memory, it writes nothing; from a scratch folder, not even its debug log lands in the clone.
    { stdio: "ignore", cwd: tmpdir() },
  );
  for (let tries = 0; tries < 150; tries += 1) {
    // Any HTTP answer (400 without a signature) means it is listening.
    if (await httpAnswers(`${endpoint}?comp=list`, 5000, true)) {
      return {
        endpoint,
        connectionString: `DefaultEndpointsProtocol=http;AccountName=${devAccount.name};AccountKey=${devAccount.key};BlobEndpoint=${endpoint};`,
        stop: () => child.kill(),
      };
    }
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new StackError(`Azurite did not answer on ${endpoint}.`);
}
