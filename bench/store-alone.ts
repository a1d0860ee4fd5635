// The store on its own: the worker's own object store putting default-size batch files into a
// fresh gofakes3, one at a time (as a worker does: one file in flight) and two at a time, with
// nothing else running. Says how fast files can go at all, and what a second one in flight buys.
import { objectStoreFor } from "../main/core/stores/open-object-store.js";
import { treeCpuMs } from "./cpu.js";
import { benchCredentials, createBucket, type S3Server } from "./s3-servers.js";
import { clickstreamEvent } from "./workload.js";

export interface StoreAlone {
  inFlight: number;
  files: number;
  fileBytes: number;
  /** Wall time per file: the rate a drain bound by this store could reach. */
  msPerFile: number;
  /** The store's CPU per file, and the worker side's (signing, hashing, sending). */
  storeCpuMsPerFile: number;
  clientCpuMsPerFile: number;
}

/** A batch file of clickstream lines, `bytes` long at most. */
function batchFile(bytes: number): Buffer {
  const lines: Buffer[] = [];
  let total = 0;
  for (let id = 0; ; id += 1) {
    const line = Buffer.from(`${clickstreamEvent(id)}\n`);
    if (total + line.length > bytes) break;
    lines.push(line);
    total += line.length;
  }
  return Buffer.concat(lines);
}

export async function measureStoreAlone(server: S3Server, fileMb: number, files = 16): Promise<StoreAlone[]> {
  if (server.pid === undefined) throw new Error(`The store-alone part needs the store's process to read its CPU; ${server.name} has none known.`);
  const bucket = `store-alone-${Date.now()}`;
  await createBucket(server, bucket);
  const store = objectStoreFor(
    { type: "S3", bucket, region: "us-east-1", endpoint: server.endpoint, forcePathStyle: true, accessKey: { ...benchCredentials } },
    "bench-store-alone",
  );
  const body = batchFile(fileMb * 2 ** 20);
  const results: StoreAlone[] = [];
  try {
    await store.put("warm-up.jsonl", body);
    for (const inFlight of [1, 2]) {
      const storeCpu = treeCpuMs(server.pid);
      const clientCpu = process.cpuUsage();
      const started = performance.now();
      await Promise.all(
        Array.from({ length: inFlight }, async (_, lane) => {
          for (let file = lane; file < files; file += inFlight) await store.put(`in-flight-${inFlight}/${file}.jsonl`, body);
        }),
      );
      const client = process.cpuUsage(clientCpu);
      results.push({
        inFlight,
        files,
        fileBytes: body.length,
        msPerFile: (performance.now() - started) / files,
        storeCpuMsPerFile: (treeCpuMs(server.pid) - storeCpu) / files,
        clientCpuMsPerFile: (client.user + client.system) / 1000 / files,
      });
    }
  } finally {
    store.close();
  }
  return results;
}
