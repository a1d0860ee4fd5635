// Scale: several workers of one exporter (threads of one worker host), several `streamdrop run` processes ("hosts") sharing an
// exporter's group through kills and joins, and showing one status while they do, a SCRAM stream,
// and a server without a keychain.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { stackScramUser } from "../../../stack/kafka.js";
import type { WorkerHandle } from "../../../main/core/exporters/control/worker-handle.js";
import { defaultLaunchWorker } from "../../../main/core/exporters/control/worker-launcher.js";
import { kafka, s3Client, uniqueName } from "../../support/clients.js";
import { CliEnv, runCli, streamdropBin } from "../../support/cli.js";
import { duplicatesAndMissing, ExportHarness, harnessBehindProxy, isDataFile } from "../../support/export-harness.js";
import type { TcpProxy } from "../../support/tcp-proxy.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const partitionsOf = (key: string) => /---([\d-]+)(?:\.\d+)?(?:-invalid)?\.jsonl$/.exec(key)![1]!.split("-").map(Number);

/** A "host": `streamdrop run` on the harness's data folder, in its own process group (SIGKILL takes its workers down with it), what it prints kept. */
interface Host {
  child: ChildProcess;
  output: string;
}

const hostEnv = (harness: ExportHarness) => new CliEnv("host", { dataDir: harness.core.dataDir, keychainService: harness.core.keychainService }).env;

function startHost(harness: ExportHarness, hosts: Host[]): Host {
  const child = spawn(process.execPath, [streamdropBin, "run", "--progress-every", "1"], {
    env: hostEnv(harness),
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  const host = { child, output: "" };
  child.stderr!.on("data", (chunk: Buffer) => (host.output += chunk.toString()));
  hosts.push(host);
  return host;
}

async function stopHosts(hosts: Host[]): Promise<void> {
  const running = hosts.map((host) => host.child).filter((child) => child.exitCode === null && child.signalCode === null);
  const exited = running.map((child) => new Promise((resolve) => child.once("exit", resolve)));
  for (const child of running) child.kill("SIGINT");
  await Promise.all(exited);
}

async function until<T>(what: string, check: () => T | undefined | false, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(250);
  }
}

describe("--workers 3 on a 6-partition topic", () => {
  const harness = new ExportHarness({ kafkaBrokers: inject("kafkaBrokers"), s3Endpoint: inject("s3Endpoint"), partitions: 6, workers: 3, intervalSeconds: 2 });
  beforeAll(() => harness.setUp(), 60_000);
  afterAll(() => harness.tearDown());

  it(
    "splits the partitions into disjoint sets, one per worker's files, survives one worker crashing, and exports exactly once",
    { timeout: 180_000 },
    async () => {
      // The engine's own launcher, its handles kept: one worker is ended alone below.
      const launched: WorkerHandle[] = [];
      const launchOwn = defaultLaunchWorker();
      const engine = await harness.startEngine(10_000, () => {
        const worker = launchOwn();
        launched.push(worker);
        return worker;
      });
      const assignments = await until(
        "three workers hold two partitions each",
        () => {
          const sets = engine.statuses()[0]?.assignments ?? [];
          return sets.length === 3 && sets.every((set) => set.length === 2) && new Set(sets.flat()).size === 6 && sets;
        },
        90_000,
      );
      const since = Date.now();
      const produced = await harness.produce(3000);
      let objects = await harness.waitForIds(produced, 60_000);
      const recent = (await harness.core.exportLog.read(harness.exporter.id)).filter((entry) => entry.kind === "events" && Date.parse(entry.at) >= since);
      const sets = new Set(recent.map((entry) => partitionsOf(entry.key).join("-")));
      expect([...sets].sort()).toEqual(assignments.map((set) => set.join("-")).sort());

      // One worker crashing (its thread terminated, as a SIGKILL ends a process) is restarted and
      // takes no other worker down: the three share one worker host, which runs on.
      expect(launched).toHaveLength(3);
      const [host] = engine.workerPids()[harness.exporter.name]!;
      const [victim, ...others] = launched;
      victim!.kill("SIGKILL");
      await until("the killed worker is replaced", () => launched.length === 4 && engine.statuses()[0]?.workers === 3, 30_000);
      expect(victim!.alive).toBe(false);
      expect(others.every((worker) => worker.alive)).toBe(true);
      expect(engine.workerPids()[harness.exporter.name]).toEqual([host]);
      produced.push(...(await harness.produce(1500)));
      objects = await harness.waitForIds(produced, 90_000);
      expect(duplicatesAndMissing(produced, ExportHarness.eventIds(objects))).toEqual({ missing: [], doubled: [], unexpected: [] });
    },
  );
});

describe("a SCRAM stream", () => {
  const harness = new ExportHarness({
    kafkaBrokers: inject("kafkaBrokers"),
    s3Endpoint: inject("s3Endpoint"),
    partitions: 2,
    intervalSeconds: 2,
    sasl: { brokers: inject("kafkaSaslBrokers"), mechanism: "scram-sha-512", username: stackScramUser.username, password: stackScramUser.password },
  });
  beforeAll(() => harness.setUp(), 60_000);
  afterAll(() => harness.tearDown());

  it("exports like a plain one", { timeout: 90_000 }, async () => {
    await harness.startEngine();
    const produced = await harness.produce(1000);
    const objects = await harness.waitForIds(produced, 60_000);
    expect(duplicatesAndMissing(produced, ExportHarness.eventIds(objects))).toEqual({ missing: [], doubled: [], unexpected: [] });
  });

  it("refuses an unknown mechanism, naming the ones there are", async () => {
    const run = await runCli(
      ["create", "stream", "x", "--bootstrap-servers", inject("kafkaSaslBrokers"), "--sasl-mechanism", "gssapi", "--username", "u"],
      process.env,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("argument 'gssapi' is invalid. Allowed choices are plain, scram-sha-256, scram-sha-512, oauthbearer, aws-msk-iam.");
  });
});

describe("streamdrop run on a server without a Secret Service", () => {
  it("exports with the password from the environment and the AWS default credential chain", { timeout: 120_000 }, async () => {
    const home = mkdtempSync(join(tmpdir(), "streamdrop-server-"));
    const bucket = uniqueName("server");
    const topic = uniqueName("server");
    await s3Client(inject("s3Endpoint")).send(new CreateBucketCommand({ Bucket: bucket }));
    const env = {
      ...process.env,
      STREAMDROP_HOME: home,
      DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus",
      AWS_ACCESS_KEY_ID: "AKIASERVERSERVERSERV",
      AWS_SECRET_ACCESS_KEY: "server-default-chain-not-a-secret",
      AWS_EC2_METADATA_DISABLED: "true",
      KAFKA_PASSWORD: stackScramUser.password,
    };
    const ok = async (...args: string[]) => {
      const run = await runCli(args, env);
      expect(run.code, `${args.join(" ")}: ${run.stderr}`).toBe(0);
    };
    await ok("create", "sink", "s3", bucket, "--use-default-credentials", "--endpoint", inject("s3Endpoint"));
    await ok(
      "create",
      "stream",
      "clicks",
      "--bootstrap-servers",
      inject("kafkaSaslBrokers"),
      "--topic",
      topic,
      "--create-topic",
      "--partitions",
      "2",
      "--sasl-mechanism",
      "scram-sha-256",
      "--username",
      stackScramUser.username,
      "--password-env",
      "KAFKA_PASSWORD",
    );
    await ok("create", "batch-exporter", "clicks", "--sink", "s3", "--interval", "2", "--include-existing-events");
    const producer = kafka(inject("kafkaBrokers")).producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 200 }, (_, i) => ({ value: JSON.stringify({ id: i }) })) });
    await producer.disconnect();

    const run = spawn(process.execPath, [streamdropBin, "run", "--progress-every", "1"], { env, stdio: ["ignore", "ignore", "pipe"] });
    let output = "";
    run.stderr!.on("data", (chunk: Buffer) => (output += chunk));
    await until("200 events are exported", () => /clicks: running, 200 events/.test(output) || /s3-clicks: running, 200 events/.test(output), 60_000).finally(
      () => run.kill("SIGINT"),
    );
    await new Promise((resolve) => run.once("exit", resolve));
    expect(output).not.toContain("error");
  });
});

describe("several streamdrop run processes on one exporter", () => {
  const harness = new ExportHarness({ kafkaBrokers: inject("kafkaBrokers"), s3Endpoint: inject("s3Endpoint"), partitions: 6, intervalSeconds: 2 });
  const hosts: Host[] = [];
  beforeAll(() => harness.setUp(), 60_000);
  afterAll(async () => {
    await stopHosts(hosts);
    await harness.tearDown();
  });

  it("stays exactly once when a host dies (the other takes over within 30 s) and when a third joins", { timeout: 300_000 }, async () => {
    const first = startHost(harness, hosts).child;
    startHost(harness, hosts);
    const produced = await harness.produce(3000);
    await harness.waitForIds(produced, 90_000);

    process.kill(-first.pid!, "SIGKILL");
    const killedAt = Date.now();
    const afterKill = await harness.produce(3000);
    produced.push(...afterKill);
    await harness.waitForIds(afterKill, 60_000);
    const takeOverMs = Date.now() - killedAt;
    expect(takeOverMs, "from the SIGKILL to every partition exported again").toBeLessThan(30_000);

    startHost(harness, hosts);
    produced.push(...(await harness.produce(3000)));
    await sleep(5000);
    produced.push(...(await harness.produce(3000)));
    const objects = await harness.waitForIds(produced, 90_000);
    expect(duplicatesAndMissing(produced, ExportHarness.eventIds(objects))).toEqual({ missing: [], doubled: [], unexpected: [] });
    const dataKeys = objects.map((object) => object.key).filter(isDataFile);
    expect(dataKeys.length).toBeGreaterThan(3);
    // Hosts shared the partitions at some point: a file holds a part of them (names end ---<partitions>).
    expect(
      dataKeys.some((key) => /---([\d-]+)[.-]/.exec(key)![1]!.split("-").length < 6),
      dataKeys.join("\n"),
    ).toBe(true);
    console.info(`hosts: took over ${takeOverMs} ms after a SIGKILL; ${produced.length} events in ${objects.length} objects`);
  });
});

describe("two streamdrop run processes on one data folder show one status", () => {
  const harness = new ExportHarness({ kafkaBrokers: inject("kafkaBrokers"), s3Endpoint: inject("s3Endpoint"), partitions: 6, intervalSeconds: 2 });
  const hosts: Host[] = [];
  beforeAll(() => harness.setUp(), 60_000);
  afterAll(async () => {
    await stopHosts(hosts);
    await harness.tearDown();
  });

  interface Shown {
    state: string;
    processes?: number;
    eventsExported?: number;
    filesWritten?: number;
    lag?: number;
  }

  it(
    "`get batch-exporter`, polled every second, only goes up and ends at the export log's total, as both progress lines do",
    { timeout: 240_000 },
    async () => {
      const [first, second] = [startHost(harness, hosts), startHost(harness, hosts)];
      const shown: Shown[] = [];
      const failures: string[] = [];
      let polling = true;
      const poller = (async () => {
        while (polling) {
          const started = Date.now();
          const run = await runCli(["get", "batch-exporter", harness.exporter.name, "-o", "json"], hostEnv(harness));
          if (run.code === 0) shown.push((JSON.parse(run.stdout) as { status: Shown }).status);
          else failures.push(run.stderr);
          await sleep(Math.max(0, 1000 - (Date.now() - started)));
        }
      })();
      try {
        // Both processes run it (their workers share the partitions) before events come.
        await until("both processes run the exporter", () => shown.at(-1)?.state === "running" && shown.at(-1)?.processes === 2, 90_000);
        // Over some twelve seconds, so both processes store files while `get` is polled.
        const produced: string[] = [];
        for (let batch = 0; batch < 12; batch += 1) {
          produced.push(...(await harness.produce(250)));
          await sleep(1000);
        }
        const objects = await harness.waitForIds(produced, 90_000);
        expect(duplicatesAndMissing(produced, ExportHarness.eventIds(objects))).toEqual({ missing: [], doubled: [], unexpected: [] });
        const logged = await harness.core.exportLog.totals(harness.exporter.id);
        expect(logged.events).toBe(produced.length);
        await until(
          "`get batch-exporter` shows the export log's total, and no lag",
          () => shown.at(-1)?.eventsExported === logged.events && shown.at(-1)?.lag === 0,
          30_000,
        );
        // The last line each `run` printed: the same total, though each stored only some of the files.
        const lastEvents = (host: Host) => Number([...host.output.matchAll(new RegExp(`${harness.exporter.name}: \\w+, (\\d+) events`, "g"))].at(-1)?.[1]);
        await until(
          "both progress lines show the export log's total",
          () => lastEvents(first) === logged.events && lastEvents(second) === logged.events,
          30_000,
        );
        await sleep(3000);
      } finally {
        polling = false;
        await poller;
      }
      expect(failures).toEqual([]);
      const exported = shown.map((status) => status.eventsExported ?? 0);
      const files = shown.map((status) => status.filesWritten ?? 0);
      expect(exported, "events exported, as `get batch-exporter` showed it each second").toEqual([...exported].sort((a, b) => a - b));
      expect(files, "files written, each second").toEqual([...files].sort((a, b) => a - b));
      expect(shown.at(-1)).toMatchObject({ state: "running", processes: 2, eventsExported: 3000, lag: 0 });
      console.info(
        `one status: ${shown.length} polls, events exported ${[...new Set(exported)].join(" → ")}; lag ${shown.map((status) => status.lag).join(" ")}`,
      );
    },
  );
});

describe("lag close to the topic's retention", () => {
  let proxy: TcpProxy;
  let harness: ExportHarness;
  beforeAll(async () => {
    ({ harness, proxy } = await harnessBehindProxy({ partitions: 1, intervalSeconds: 5, topicConfig: { "retention.ms": String(10 * 60_000) } }));
  }, 60_000);
  afterAll(async () => {
    await harness?.tearDown();
    await proxy?.close();
  });

  it("shows a warning that says what to do before events are deleted", { timeout: 90_000 }, async () => {
    const engine = await harness.startEngine();
    await until("the worker runs", () => engine.statuses()[0]?.state === "running", 60_000);
    // The store goes away, so events stamped nine minutes ago, on a topic that keeps ten, stay
    // unexported whether they wait for the interval or hang in an upload.
    await proxy.down();
    await harness.produce(100, 100, Date.now() - 9 * 60_000);
    const warning = await until("the warning shows", () => engine.statuses()[0]?.warning, 60_000);
    expect(warning).toMatch(
      /^Lag is close to the topic's retention: the oldest event not yet exported is \d+ min old, and .+ deletes events after 10 min\. Add workers or hosts, or raise the topic's retention\.ms/,
    );
    await proxy.up();
  });
});
