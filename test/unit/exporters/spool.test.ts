import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { processSpoolDir, Spool } from "../../../main/core/exporters/spool.js";
import { sha256Hex } from "../../../main/core/stores/file-body.js";
import { signsBodyHash } from "../../../main/core/stores/object-store.js";
import type { StorageSpec } from "../../../main/core/stores/kinds.js";

describe("a worker's spool folder", () => {
  const root = mkdtempSync(join(tmpdir(), "spool-root-"));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("is the process's own, so two processes serving one exporter never clear each other's files", () => {
    const first = processSpoolDir(root, "exp-0", { host: "desk", pid: 100, alive: () => true });
    const second = processSpoolDir(root, "exp-0", { host: "desk", pid: 200, alive: () => true });
    expect(first).not.toBe(second);
    const spool = new Spool(first);
    spool.open().append(Buffer.from("events"));
    new Spool(second).clear();
    expect(existsSync(first)).toBe(true);
  });

  it("removes the folders of this host's dead processes, and keeps the living's and other hosts'", () => {
    const made = ["exp-0~desk~100", "exp-1~desk~101", "exp-0~laptop~102", "exp-0~desk~103", "notes"];
    for (const name of made) mkdirSync(join(root, name), { recursive: true });
    const alive = new Set([101]);
    const mine = processSpoolDir(root, "exp-0", { host: "desk", pid: 103, alive: (pid) => alive.has(pid) });
    expect(mine).toBe(join(root, "exp-0~desk~103"));
    expect(made.filter((name) => existsSync(join(root, name)))).toEqual(["exp-1~desk~101", "exp-0~laptop~102", "exp-0~desk~103", "notes"]);
  });

  it("keeps a host name that would break the folder's name readable", () => {
    expect(processSpoolDir(root, "exp-0", { host: "a~b/c", pid: 7, alive: () => false })).toBe(join(root, "exp-0~a_b_c~7"));
  });

  it("tells a living process from a dead one with the real process table", () => {
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    const host = hostname().replace(/[^A-Za-z0-9.-]/g, "_");
    const [deadOnes, parents] = [join(root, `exp-0~${host}~${dead}`), join(root, `exp-0~${host}~${process.ppid}`)];
    for (const dir of [deadOnes, parents]) mkdirSync(dir, { recursive: true });
    expect(processSpoolDir(root, "exp-0")).toBe(join(root, `exp-0~${host}~${process.pid}`));
    expect([existsSync(deadOnes), existsSync(parents)]).toEqual([false, true]);
  });
});

describe("a cut file's SHA-256", () => {
  const root = mkdtempSync(join(tmpdir(), "spool-hash-"));
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const pieces = [Buffer.from('{"id":1}\n'), Buffer.alloc(300_000, "x"), Buffer.from("\n")];
  const length = pieces.reduce((sum, piece) => sum + piece.length, 0);

  it("is computed as the spool writes the file, when the store signs it, and is the file's", async () => {
    const file = new Spool(join(root, "hashing"), true).write(length, pieces);
    expect(file.sha256).toBe(createHash("sha256").update(readFileSync(file.path)).digest("hex"));
    // The put's signer takes it as given: the file is not read again (here it is gone).
    rmSync(file.path);
    expect(await sha256Hex(file)).toBe(file.sha256);
  });

  it("is not computed for stores that do not sign it, and is then read from the file", async () => {
    const file = new Spool(join(root, "plain"), false).write(length, pieces);
    expect(file.sha256).toBeUndefined();
    expect(await sha256Hex(file)).toBe(createHash("sha256").update(Buffer.concat(pieces)).digest("hex"));
  });

  it("is wanted by S3 over plain HTTP only", () => {
    const s3 = (endpoint?: string) => ({ type: "S3", bucket: "b", region: "us-east-1", ...(endpoint ? { endpoint } : {}) }) as unknown as StorageSpec;
    expect([s3("http://127.0.0.1:9000"), s3("https://minio.example.test"), s3()].map(signsBodyHash)).toEqual([true, false, false]);
    expect(signsBodyHash({ type: "GCLOUD", bucket: "b", endpoint: "http://127.0.0.1:4443" } as unknown as StorageSpec)).toBe(false);
  });
});
