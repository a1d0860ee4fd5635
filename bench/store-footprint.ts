// What a store costs a worker thread: a fresh thread loads the store's module from the built
// bundle, as an exporter's worker does on its first upload, and stores 50 small files into its
// local server (S3 into the discard store, Cloud Storage into fake-gcs-server, Azure into
// Azurite), each in a Node process of its own (bench/store-footprint-thread.ts). Beside them, a
// thread that only starts. `BENCH_ONLY=stores` (`npm run bench:stores`) runs it alone and
// rewrites only its section of docs/BENCHMARKS.md.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { devAccount, startAzurite } from "../stack/azurite.js";
import { startFakeGcs } from "../stack/fake-gcs.js";
import { azureAdmin } from "../test/support/azure.js";
import { builtFileHolding, openStoreCode, undiciLoaded } from "../test/support/fresh-thread.js";
import { gcsAdmin, serviceAccountKeyJson } from "../test/support/gcs.js";
import type { StorageSpec } from "../main/core/stores/kinds.js";
import { mib } from "./memory.js";
import { commit, machine, median, writeBenchmarkSection } from "./report.js";
import { benchCredentials, createBucket, startDiscardStore } from "./s3-servers.js";

/** One thread's measurement, as bench/store-footprint-thread.ts prints it. */
interface ThreadFootprint {
  grewBytes: number;
  heapBytes: number;
  undici: boolean;
}

export interface StoreFootprint {
  store: string;
  runs: ThreadFootprint[];
}

export interface StoreFootprintReport {
  date: string;
  commit: string;
  files: number;
  rows: StoreFootprint[];
}

/** One row's thread: a store's built module and what opens it, or none for a bare thread. */
interface FootprintJob {
  store: string;
  module?: string;
  spec?: StorageSpec;
}

const files = 50;
const bucket = `footprint-${Date.now().toString(36)}`;
const threadScript = fileURLToPath(new URL("./store-footprint-thread.ts", import.meta.url));

/** The built module of a store (the class is named in it once: bundle names change, class names do not). */
const storeModule = (className: string) => builtFileHolding(`class ${className}`);

function measureThread(job: FootprintJob, run: number): ThreadFootprint {
  const openStore = job.module ? openStoreCode(job.module, job.spec) : undefined;
  const input = JSON.stringify({ openStore, undiciLoaded, files, prefix: `footprint/run-${run}/` });
  // A thread stuck on its store (a server gone quiet) fails the part rather than hanging the bench.
  const output = execFileSync(process.execPath, ["--expose-gc", threadScript, input], { encoding: "utf8", timeout: 120_000 });
  const result = JSON.parse(output.trim().split("\n").at(-1)!) as ThreadFootprint & { error?: string };
  if (result.error) throw new Error(`The store-footprint thread (${job.store}, run ${run}) failed: ${result.error}`);
  return result;
}

export async function measureStoreFootprints(repeat: number, say: (text: string) => void): Promise<StoreFootprintReport> {
  const discard = await startDiscardStore();
  const gcs = await startFakeGcs();
  const azurite = await startAzurite();
  try {
    await createBucket(discard, bucket);
    await gcsAdmin(gcs.endpoint).createBucket(bucket);
    await azureAdmin(azurite, bucket).create();
    const key = JSON.parse(serviceAccountKeyJson()) as { project_id: string; client_email: string; private_key: string };
    const jobs: FootprintJob[] = [
      { store: "a thread that only starts" },
      {
        store: "S3 (the discard store)",
        module: storeModule("S3ObjectStore"),
        spec: {
          type: "S3",
          bucket,
          region: "us-east-1",
          endpoint: discard.endpoint,
          forcePathStyle: true,
          accessKey: { ...benchCredentials },
        },
      },
      {
        store: "Cloud Storage (fake-gcs-server)",
        module: storeModule("GcsObjectStore"),
        spec: {
          type: "GCLOUD",
          bucket,
          endpoint: gcs.endpoint,
          serviceAccount: { projectId: key.project_id, clientEmail: key.client_email, privateKey: key.private_key },
        },
      },
      {
        store: "Azure Blob Storage (Azurite)",
        module: storeModule("AzureObjectStore"),
        spec: {
          type: "AZURE",
          bucket,
          endpoint: azurite.endpoint,
          accountName: devAccount.name,
          secret: { kind: "account-key", accountKey: devAccount.key },
        },
      },
    ];
    const rows: StoreFootprint[] = jobs.map(({ store }) => ({ store, runs: [] }));
    // Taking turns, so that a busy moment of the machine falls on every store alike.
    for (let run = 0; run < repeat; run += 1)
      jobs.forEach((job, index) => {
        say(`Store footprint: ${job.store}, run ${run + 1} of ${repeat}...`);
        rows[index]!.runs.push(measureThread(job, run + 1));
      });
    return { date: new Date().toISOString().slice(0, 10), commit: commit(), files, rows };
  } finally {
    discard.stop();
    gcs.stop();
    azurite.stop();
  }
}

const start = "<!-- bench:stores:start (bench/store-footprint.ts rewrites this part) -->";
const end = "<!-- bench:stores:end -->";

export function storeFootprintMarkdown(report: StoreFootprintReport): string {
  const repeat = report.rows[0]?.runs.length ?? 0;
  const medianMib = (runs: ThreadFootprint[], field: "grewBytes" | "heapBytes") => mib(median(runs.map((run) => run[field])));
  return [
    `Run on ${report.date} at commit ${report.commit}, on ${machine()}: a new worker thread in a Node process of its own loads a store's module from the built bundle and stores ${report.files} small files with it (${repeat} runs each, taking turns; medians).`,
    "",
    "| the thread | process resident memory grew (MiB) | thread's V8 heap after a collection (MiB) | undici loaded | runs (grew; heap MiB) |",
    "| --- | --- | --- | --- | --- |",
    ...report.rows.map(
      (row) =>
        `| ${row.store} | **${medianMib(row.runs, "grewBytes")}** | ${medianMib(row.runs, "heapBytes")} | ${row.runs.some((run) => run.undici) ? "yes" : "no"} | ${row.runs.map((run) => `${mib(run.grewBytes)}; ${(run.heapBytes / 2 ** 20).toFixed(1)}`).join(" · ")} |`,
    ),
  ].join("\n");
}

export function writeStoreFootprintReport(report: StoreFootprintReport): void {
  writeBenchmarkSection({ start, end }, storeFootprintMarkdown(report));
}
