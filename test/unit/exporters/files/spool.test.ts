import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { abandonedAfterMs, processSpoolDir, Spool } from "../../../../main/core/exporters/files/spool.js";
import { sha256Hex } from "../../../../main/core/stores/file-body.js";
import { signsBodyHash, uploadsOneFile } from "../../../../main/core/stores/open-object-store.js";
import type { StorageSpec } from "../../../../main/core/stores/kinds.js";
import { linesOf, spilledLines, spooledBytes } from "../../../support/spooled.js";

describe("a worker's spool folder", () => {
  const root = mkdtempSync(join(tmpdir(), "spool-root-"));
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const now = Date.parse("2026-12-03T12:00:00Z");
  const owner = (machine: string, pid: number, alive: (pid: number) => boolean = () => true) => ({ machine, pid, nonce: `a${pid}`, alive, now: () => now });
  const made = (name: string, ageMs = 0) => {
    mkdirSync(join(root, name), { recursive: true });
    const at = new Date(now - ageMs);
    utimesSync(join(root, name), at, at);
  };
  const left = (names: string[]) => names.filter((name) => existsSync(join(root, name)));

  it("is the process's own, so two processes serving one exporter never clear each other's files", () => {
    const first = processSpoolDir(root, "exp-0", owner("desk", 100));
    const second = processSpoolDir(root, "exp-0", owner("desk", 200));
    // The same pid in another pid namespace of the same host name still gets a folder of its own.
    const twin = processSpoolDir(root, "exp-0", { ...owner("desk.pidns2", 100), nonce: "other" });
    expect(new Set([first, second, twin]).size).toBe(3);
    const spool = new Spool(first);
    spool.open().append(Buffer.from("events"));
    new Spool(second).clear();
    new Spool(twin).clear();
    expect(existsSync(first)).toBe(true);
  });

  it("removes the folders of this machine's dead processes, and keeps the living's", () => {
    const names = ["exp-0~desk~100~a100", "exp-1~desk~101~a101", "exp-0~desk~103~a103"];
    for (const name of names) made(name);
    const alive = new Set([101]);
    expect(
      processSpoolDir(
        root,
        "exp-0",
        owner("desk", 103, (pid) => alive.has(pid)),
      ),
    ).toBe(join(root, "exp-0~desk~103~a103"));
    expect(left(names)).toEqual(["exp-1~desk~101~a101", "exp-0~desk~103~a103"]);
  });

  it("judges another machine's folders (another host, another container's pid namespace) by their last touch only", () => {
    const names = ["exp-0~laptop~102~a102", "exp-0~desk.pidns9~102~a102", "exp-0~laptop~104~a104", "exp-0-1", "exp-0-2"];
    made(names[0]!, abandonedAfterMs - 60_000); // touched within the day: a worker there may live
    made(names[1]!, 5_000); // its pid means nothing in this process table
    made(names[2]!, abandonedAfterMs + 60_000);
    made(names[3]!, abandonedAfterMs + 60_000); // named before folders were per process
    made(names[4]!, 60_000);
    processSpoolDir(
      root,
      "exp-0",
      owner("desk", 103, () => false),
    );
    expect(left(names)).toEqual(["exp-0~laptop~102~a102", "exp-0~desk.pidns9~102~a102", "exp-0-2"]);
  });

  it("is touched while its worker lives, which keeps other machines' workers off it", () => {
    const dir = processSpoolDir(root, "exp-0", owner("laptop", 7));
    const spool = new Spool(dir);
    spool.open().append(Buffer.from("events"));
    const long = new Date(now - 2 * abandonedAfterMs);
    utimesSync(dir, long, long);
    spool.touch();
    processSpoolDir(root, "exp-0", { ...owner("desk", 8), now: () => Date.now() });
    expect(existsSync(dir)).toBe(true);
  });

  it("keeps a host name that would break the folder's name readable", () => {
    expect(processSpoolDir(root, "exp-0", owner("a~b/c", 7))).toBe(join(root, "exp-0~a_b_c~7~a7"));
  });

  it("tells a living process from a dead one with the real process table", () => {
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    const mine = processSpoolDir(root, "exp-0");
    const machine = /~([^~]*)~\d+~[0-9a-f]+$/.exec(mine)![1]!;
    expect(mine.startsWith(join(root, `exp-0~${machine}~${process.pid}~`))).toBe(true);
    const [deadOnes, parents] = [join(root, `exp-0~${machine}~${dead}~ab`), join(root, `exp-0~${machine}~${process.ppid}~cd`)];
    for (const dir of [deadOnes, parents]) mkdirSync(dir, { recursive: true });
    processSpoolDir(root, "exp-0");
    expect([existsSync(deadOnes), existsSync(parents)]).toEqual([false, true]);
  });
});

describe("a body's SHA-256", () => {
  const root = mkdtempSync(join(tmpdir(), "spool-hash-"));
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const pieces = [Buffer.from('{"id":1}\n'), Buffer.alloc(300_000, "x"), Buffer.from("\n")];
  const length = pieces.reduce((sum, piece) => sum + piece.length, 0);
  const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

  it("is computed as the spool copies a body into a file, when the store signs it, and is the file's", async () => {
    const file = new Spool(join(root, "hashing"), { hashes: true, bodies: "files" }).write(length, [linesOf(pieces)]);
    expect(file.sha256).toBe(sha256(readFileSync(file.wholeFile!)));
    // The put's signer takes it as given: the file is not read again (here it is gone).
    rmSync(file.wholeFile!);
    expect(await sha256Hex(file)).toBe(file.sha256);
  });

  it("is computed from the spills a body is, read where they lie, when the store signs it", async () => {
    const spool = new Spool(join(root, "spans"), { hashes: true });
    const body = spool.write(length, [spilledLines(spool, [pieces[0]!, pieces[2]!]), spilledLines(spool, [pieces[1]!])]);
    const bytes = Buffer.concat([pieces[0]!, pieces[2]!, pieces[1]!]);
    expect(body.spans).toHaveLength(2);
    expect(body.wholeFile).toBeUndefined();
    expect(spooledBytes(body).equals(bytes)).toBe(true);
    expect(body.sha256).toBe(sha256(bytes));
  });

  it("is not computed for stores that do not sign it, and is then read from the body", async () => {
    const file = new Spool(join(root, "plain"), { bodies: "files" }).write(length, [linesOf(pieces)]);
    expect(file.sha256).toBeUndefined();
    expect(await sha256Hex(file)).toBe(sha256(Buffer.concat(pieces)));
  });

  it("of a part (spans of files) is the spans', and a file cut short under it fails naming the file", async () => {
    const file = new Spool(join(root, "parts"), { bodies: "files" }).write(length, [linesOf(pieces)]);
    const whole = Buffer.concat(pieces);
    const part = { spans: [{ path: file.wholeFile!, start: 5, length: 280_000 }], length: 280_000 };
    expect(await sha256Hex(part)).toBe(sha256(whole.subarray(5, 280_005)));
    const twice = { spans: [...part.spans, { path: file.wholeFile!, start: 0, length: 9 }], length: 280_009 };
    expect(await sha256Hex(twice)).toBe(sha256(Buffer.concat([whole.subarray(5, 280_005), whole.subarray(0, 9)])));
    await expect(sha256Hex({ spans: [{ ...part.spans[0]!, start: length - 10 }], length: 280_000 })).rejects.toThrow(
      `${file.wholeFile!} ends at 10 of its 280000 bytes`,
    );
  });

  it("is wanted by S3 over plain HTTP only", () => {
    const s3 = (endpoint?: string) => ({ type: "S3", bucket: "b", region: "us-east-1", ...(endpoint ? { endpoint } : {}) }) as unknown as StorageSpec;
    expect([s3("http://127.0.0.1:9000"), s3("https://minio.example.test"), s3()].map(signsBodyHash)).toEqual([true, false, false]);
    expect(signsBodyHash({ type: "GCLOUD", bucket: "b", endpoint: "http://127.0.0.1:4443" } as unknown as StorageSpec)).toBe(false);
  });

  it("goes with bodies in spans to S3, and with a file of their own to the stores that upload by path", () => {
    const of = (type: string) => ({ type, bucket: "b" }) as unknown as StorageSpec;
    expect(["S3", "GCLOUD", "AZURE"].map((type) => uploadsOneFile(of(type)))).toEqual([false, true, true]);
  });
});
