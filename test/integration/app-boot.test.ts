// The built app starts: out/main/index.js, as `npm run build` leaves it, runs under Node with a
// stand-in `electron` module (test/support/electron-standin/, put in place by a module resolve
// hook). The stand-in refuses what real Electron would refuse or silently break on (a preload,
// page, asset, tray icon or worker module that is not where the bundle says, a sandboxed preload
// that requires a package, a utility-process option Electron lacks), runs the preload as a
// sandboxed preload and the built worker as a utility-process child. Through the preload's API
// (so the real trusted-sender check passes) the test creates a sink on moto, a stream on the test
// Kafka and an exporter; the events land in the bucket and the window hears the file; Quit stops
// the worker cleanly and the app exits 0. This catches wrong paths and ESM/CJS mistakes that
// type-checking and the shell's unit fakes cannot.
import { fork, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import keytar from "keytar";
import { afterAll, expect, inject, it } from "vitest";
import type { Channel, Input, Outcome, Result } from "../../preload/contract.js";
import { logFileOf } from "../../main/core/log-reader.js";
import { repoRoot } from "../../stack/paths.js";
import { kafka, s3Client, uniqueName } from "../support/clients.js";
import { isDataFile, isValidationFile } from "../support/export-harness.js";

const mainBundle = join(repoRoot, "out", "main", "index.js");
const standIn = join(repoRoot, "test", "support", "electron-standin", "register.mjs");

type Report = { type: string } & Record<string, unknown>;

/** The built main process under Node, and what the stand-in says happened in it. */
class BuiltApp {
  readonly reports: Report[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private readonly waiters = new Set<() => void>();
  private nextId = 1;
  private output = "";

  constructor(
    private readonly home: string,
    keychainService: string,
  ) {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, STREAMDROP_KEYCHAIN_SERVICE: keychainService };
    // The data folder follows from HOME, as for a person; nothing of the test runner leaks in.
    for (const name of [
      "XDG_CONFIG_HOME",
      "STREAMDROP_HOME",
      "NODE_OPTIONS",
      "ELECTRON_RENDERER_URL",
      "ELECTRON_RUN_AS_NODE",
      "VITEST",
      "VITEST_POOL_ID",
      "VITEST_WORKER_ID",
    ])
      delete env[name];
    // cwd is not the repository: a path relative to the working directory fails here, as it would
    // for an app started from the desktop.
    this.child = fork(mainBundle, [], { cwd: home, env, execArgv: ["--import", standIn], stdio: ["ignore", "pipe", "pipe", "ipc"] });
    this.child.stdout!.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr!.on("data", (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.on("message", (report: Report) => {
      this.reports.push(report);
      for (const wake of this.waiters) wake();
    });
    this.exited = new Promise((resolve) => this.child.on("exit", (code, signal) => resolve({ code, signal })));
    void this.exited.then(() => this.waiters.forEach((wake) => wake()));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** What the app wrote to stdout and stderr, and the end of its log file: for failure messages. */
  get log(): string {
    let logFile = "";
    try {
      logFile = readFileSync(logFileOf(join(this.home, ".config", "Streamdrop")), "utf8").slice(-12_000);
    } catch {
      logFile = "(no log file)";
    }
    return `${this.output.slice(-4000)}\n--- logs/streamdrop.log ---\n${logFile}`;
  }

  /** The first report that `matches`, waiting for it up to `timeoutMs`. */
  async waitFor(matches: (report: Report) => boolean, what: string, timeoutMs = 15_000): Promise<Report> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.reports.find(matches);
      if (found) return found;
      const failed = this.reports.find((report) => report.type === "standin-error");
      if (failed) throw new Error(`The stand-in refused: ${String(failed.message)}\n${this.log}`);
      if (this.child.exitCode !== null || this.child.signalCode !== null)
        throw new Error(`The app exited (${this.child.exitCode ?? this.child.signalCode}) before ${what}:\n${this.log}`);
      if (Date.now() > deadline)
        throw new Error(`No ${what} within ${timeoutMs} ms; the stand-in reported ${JSON.stringify(this.reports.map((report) => report.type))}\n${this.log}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, 200);
        this.waiters.add(wake);
      });
    }
  }

  private async control(message: Record<string, unknown>): Promise<unknown> {
    const id = this.nextId++;
    this.child.send({ ...message, id });
    const reply = await this.waitFor((report) => report.type === "reply" && report.id === id, `a reply to ${JSON.stringify(message).slice(0, 100)}`, 60_000);
    if (reply.error) throw new Error(String(reply.error));
    return reply.result;
  }

  /** A call from the window's page, through the preload's `window.streamdrop.invoke`. */
  invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Outcome<Result<C>>> {
    return this.control({ type: "invoke", channel, input }) as Promise<Outcome<Result<C>>>;
  }

  /** The same call from a frame of our window showing another page. */
  invokeFrom<C extends Channel>(url: string, channel: C, input: Input<C>): Promise<Outcome<Result<C>>> {
    return this.control({ type: "invoke-from", url, channel, input }) as Promise<Outcome<Result<C>>>;
  }

  /** What Cmd-Q or the tray's Quit does: app.quit(). */
  quit(): Promise<unknown> {
    return this.control({ type: "quit" });
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
  }
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH";
  }
};

const value = <T>(outcome: Outcome<T>): T => {
  if (!outcome.ok) throw new Error(`The call failed: ${JSON.stringify(outcome.error)}`);
  return outcome.value;
};

const home = mkdtempSync(join(tmpdir(), "streamdrop-app-boot-"));
const keychainService = uniqueName("Streamdrop-app-boot");
let builtApp: BuiltApp | undefined;

afterAll(async () => {
  builtApp?.kill();
  for (const entry of await keytar.findCredentials(keychainService).catch(() => [])) await keytar.deletePassword(keychainService, entry.account);
  rmSync(home, { recursive: true, force: true });
});

it("starts from the build, exports through the IPC handlers into moto, and quits cleanly", { timeout: 120_000 }, async () => {
  if (!existsSync(mainBundle)) throw new Error(`${mainBundle} is missing: run \`npm run -s build\` first.`);
  const s3Endpoint = inject("s3Endpoint");
  const kafkaBrokers = inject("kafkaBrokers");
  const s3 = s3Client(s3Endpoint);
  const bucket = uniqueName("app-boot");
  const topic = uniqueName("app-boot");
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));

  const started = new BuiltApp(home, keychainService);
  builtApp = started;

  // The window: the preload (a file that is there) ran sandboxed and exposed the API; the page and
  // the scripts and styles it links are there; the tray shows an icon from resources/.
  const window = await started.waitFor((report) => report.type === "window", "window");
  expect(window).toMatchObject({ preload: join(repoRoot, "out", "preload", "index.cjs"), sandbox: true, contextIsolation: true });
  const page = await started.waitFor((report) => report.type === "page-loaded", "page load");
  expect(page.exposed).toEqual(["streamdrop"]);
  expect(page.url).toBe(`file://${join(repoRoot, "out", "renderer", "index.html")}`);
  expect(page.assets).toEqual(expect.arrayContaining([expect.stringMatching(/\.js$/), expect.stringMatching(/\.css$/)]));
  await started.waitFor((report) => report.type === "window-shown", "window shown");
  await started.waitFor(
    (report) => report.type === "tray" && report.tooltip === "Streamdrop: no exporters" && (report.menu as string[]).includes("Quit Streamdrop"),
    "tray with its menu",
  );

  // The real trusted-sender check: the page's main frame is accepted, another page is refused.
  const info = value(await started.invoke("app:info", {}));
  expect(info.dataDir).toBe(join(home, ".config", "Streamdrop"));
  expect(await started.invokeFrom("https://attacker.example/", "app:info", {})).toMatchObject({ ok: false, error: { code: "untrusted-sender" } });

  // A sink on moto (its key into the keychain), a stream that creates its topic, an exporter.
  const key = JSON.stringify({ AccessKey: { AccessKeyId: "AKIAAPPBOOTAPPBOOT00", SecretAccessKey: uniqueName("not-a-real-secret") } });
  const sink = value(
    await started.invoke("sinks:create", {
      name: "lake",
      bucket,
      credentialsJson: key,
      credentialsLabel: "(test key)",
      endpoint: s3Endpoint,
      pathPrefix: "events",
    }),
  );
  expect(isValidationFile(sink.validationFile.replace(`s3://${bucket}/`, ""))).toBe(true);
  value(await started.invoke("streams:create", { name: "clicks", bootstrapServers: kafkaBrokers, topic, createTopic: { partitions: 2 } }));
  const exporter = value(
    await started.invoke("exporters:create", { streamName: "clicks", sinkName: "lake", intervalSeconds: 1, includeExistingEvents: true, workers: 1 }),
  );

  // The engine forks the built worker as a utility process.
  const spawned = await started.waitFor((report) => report.type === "worker-spawn", "worker process");
  expect(spawned).toMatchObject({ modulePath: join(repoRoot, "out", "main", "exporter-worker.js"), serviceName: "Streamdrop exporter worker 1" });
  const workerPid = spawned.pid as number;

  const producer = kafka(kafkaBrokers).producer();
  await producer.connect();
  const ids = Array.from({ length: 50 }, (_, n) => `${topic}-${n}`);
  await producer.send({ topic, messages: ids.map((id) => ({ key: id, value: JSON.stringify({ id, url: "https://example.test/" }) })) });
  await producer.disconnect();

  // Every event in the bucket's batch files, and the window told of a file.
  const stored = new Set<string>();
  const deadline = Date.now() + 30_000;
  while (stored.size < ids.length) {
    if (Date.now() > deadline)
      throw new Error(
        `${stored.size} of ${ids.length} events reached the bucket in 30 s; reports: ${JSON.stringify(started.reports.slice(-10))}\n${started.log}`,
      );
    if (
      started.reports.some((report) => report.type === "standin-error") ||
      (await Promise.race([started.exited.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 500))]))
    ) {
      throw new Error(`The app stopped while exporting:\n${started.log}\n${JSON.stringify(started.reports.slice(-10))}`);
    }
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "events/" }));
    for (const object of (listed.Contents ?? []).filter((entry) => isDataFile(entry.Key!))) {
      const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key! }))).Body!.transformToString();
      for (const line of body.split("\n").filter(Boolean)) stored.add((JSON.parse(line) as { id: string }).id);
    }
  }
  expect([...stored].sort()).toEqual([...ids].sort());
  const pushed = await started.waitFor((report) => report.type === "push" && report.event === "exporter:file", "exporter:file push to the window");
  expect(pushed.payload).toMatchObject({ exporter: exporter.name });
  const statuses = value(await started.invoke("exporters:status", {}));
  expect(statuses.map((status) => [status.name, status.state])).toEqual([[exporter.name, "running"]]);
  await started.waitFor((report) => report.type === "tray" && report.icon === "tray-exporting.png", "the tray's exporting icon");

  // Quit: before-quit is held while the engine stops the worker, which exits 0; then the app exits 0.
  await started.quit();
  // A worker stops cleanly (its file in flight, the group left) or is killed after the engine's 20 s grace: wait past that.
  const exit = await Promise.race([started.exited, new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 45_000))]);
  expect(exit, started.log).toEqual({ code: 0, signal: null });
  expect(started.reports.find((report) => report.type === "app-event" && report.event === "before-quit")).toMatchObject({ prevented: true });
  expect(
    started.reports.filter((report) => report.type === "worker-exit"),
    started.log,
  ).toEqual([{ type: "worker-exit", pid: workerPid, code: 0, signal: null }]);
  // One clean stop: the worker logs "stopped" once (with how long its file and its leave took).
  expect(started.log.split("\n").filter((line) => line.includes('"msg":"stopped"')).length, started.log).toBe(1);
  expect(started.reports.some((report) => report.type === "tray-destroyed")).toBe(true);
  expect(isRunning(workerPid)).toBe(false);
  expect(started.reports.filter((report) => report.type === "standin-error" || report.type === "notification")).toEqual([]);
});
