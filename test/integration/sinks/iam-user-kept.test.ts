// A sink remembers the IAM user the app made for it across a credentials replacement (#34), through
// the window's calls on the real core and a moto with IAM enforcement: a second key of the same
// user keeps it (rotating is still offered, and works); a key of another user drops it, with a
// warning, and the repairs then refuse; and when STS cannot say whose the key is, the claim is
// dropped too. The policy calls of the window show the difference and put it, returning no secret.
import { mkdtempSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateAccessKeyCommand, DeleteAccessKeyCommand, ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leastPrivilegePolicy } from "../../../main/core/stores/s3/aws/policy.js";
import { s3Client, uniqueName } from "../../support/clients.js";
import { testCore, type TestCore } from "../../support/core.js";
import { createUser, iamClient, type TestUser } from "../../support/iam.js";
import { startPrivateMoto, type PrivateMoto } from "../../support/moto-private.js";
import { windowCalls, type WindowCall } from "../../support/window-calls.js";

const bucket = uniqueName("kept-user").slice(0, 40);
const userName = `streamdrop-${bucket}`;
const dir = mkdtempSync(join(tmpdir(), "streamdrop-kept-user-"));
let moto: PrivateMoto;
let admin: TestUser;
let core: TestCore;
let stsGate: StsGate;
let call: WindowCall;

/** What `create-access-key` prints, for pasting into the window. */
const keyJson = (key: { AccessKeyId?: string | undefined; SecretAccessKey?: string | undefined }) =>
  JSON.stringify({ AccessKey: { AccessKeyId: key.AccessKeyId, SecretAccessKey: key.SecretAccessKey, Status: "Active" } });
const adminKey = () => ({ from: "key" as const, accessKeyId: admin.key.accessKeyId, secretAccessKey: admin.key.secretAccessKey });
const iam = () => iamClient(moto.endpoint, admin.key);
const keysOf = async (user: string) =>
  ((await iam().send(new ListAccessKeysCommand({ UserName: user }))).AccessKeyMetadata ?? []).map((key) => key.AccessKeyId!);
const newKeyOf = async (user: string) => (await iam().send(new CreateAccessKeyCommand({ UserName: user }))).AccessKey!;
const iamUserOf = async (sink: string) => {
  const listed = await call("sinks:list", {});
  return listed.ok ? listed.value.find((candidate) => candidate.name === sink)?.iamUser : "(sinks:list failed)";
};

beforeAll(async () => {
  moto = await startPrivateMoto();
  admin = await createUser(iamClient(moto.endpoint, { accessKeyId: "AKIABOOTSTRAPBOOTST1", secretAccessKey: "bootstrap" }), dir, "admin", [
    { Effect: "Allow", Action: "*", Resource: "*" },
  ]);
  await moto.enforceIam();
  await s3Client(moto.endpoint, admin.key).send(new CreateBucketCommand({ Bucket: bucket }));
  stsGate = await startStsGate(moto.endpoint);
  core = testCore();
  call = windowCalls(core);
  const made = await call("aws:setupS3", { bucket, pathPrefix: "events", createBucket: false, endpoint: moto.endpoint, sinkName: "lake", admin: adminKey() });
  expect(made, JSON.stringify(made)).toMatchObject({ ok: true, value: { iamUser: userName } });
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => stsGate?.server.close(resolve));
  await moto?.stop();
});

describe("replacing the credentials of a sink whose IAM user the app made", () => {
  it("keeps the user for a second key of it, and rotating is still offered and works", async () => {
    const [setupKeyId] = await keysOf(userName);
    const second = await newKeyOf(userName);
    const replaced = await call("sinks:replaceCredentials", { name: "lake", credentialsJson: keyJson(second), credentialsLabel: "second.json" });
    expect(replaced).toMatchObject({ ok: true, value: { sink: { name: "lake", iamUser: userName }, warnings: [] } });
    expect(await iamUserOf("lake")).toBe(userName);

    // The person retired the setup's key themselves; rotation now replaces the second one.
    await iam().send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: setupKeyId }));
    const rotated = await call("sinks:rotateKey", { name: "lake", admin: adminKey() });
    expect(rotated, JSON.stringify(rotated)).toMatchObject({ ok: true, value: { iamUser: userName, sink: { iamUser: userName } } });
    if (!rotated.ok) return;
    expect(rotated.value.steps).toContain(`Deleted the key the sink used before (${second.AccessKeyId}).`);
    expect(await keysOf(userName)).toEqual([rotated.value.accessKeyId]);
    expect(JSON.stringify(rotated)).not.toContain(admin.key.secretAccessKey);
  });

  it("shows and puts the user's policy through the window's calls, returning no secret", async () => {
    // No exporter writes plain files on this sink: the policy asked for zstd allows zstd alone (and the sink's own checks).
    const change = await call("sinks:policyChange", { name: "lake", admin: adminKey(), compressions: ["zstd"] });
    expect(change).toMatchObject({
      ok: true,
      value: {
        iamUser: userName,
        policyName: "streamdrop-bucket-write-access",
        added: [`Allow s3:PutObject on arn:aws:s3:::${bucket}/events/*.jsonl.zst`, `Allow s3:PutObject on arn:aws:s3:::${bucket}/events/.strm_test_*.jsonl`],
        removed: [`Allow s3:PutObject on arn:aws:s3:::${bucket}/events/*.jsonl`],
      },
    });
    if (!change.ok) return;
    expect(JSON.parse(change.value.current!)).toEqual(leastPrivilegePolicy(bucket, "events"));
    expect(JSON.parse(change.value.proposed)).toEqual(leastPrivilegePolicy(bucket, "events", ["zstd"]));

    // Only the policy shown is put: another one (shown for other settings) is refused, and nothing changes.
    const stale = await call("sinks:updatePolicy", { name: "lake", admin: adminKey(), compressions: ["zstd"], expected: change.value.current! });
    expect(stale).toMatchObject({
      ok: false,
      error: { code: "conflict", message: expect.stringContaining("changed since the policy's difference was shown: nothing was put") },
    });
    const updated = await call("sinks:updatePolicy", { name: "lake", admin: adminKey(), compressions: ["zstd"], expected: change.value.proposed });
    expect(updated).toMatchObject({ ok: true, value: { updated: true, validationFiles: [expect.stringMatching(/\/\.strm_test_[0-9a-f-]{36}\.jsonl\.zst$/)] } });
    const stored = (await core.keychainEntries()).map((entry) => entry.password);
    expect(stored).toHaveLength(1);
    for (const text of [JSON.stringify(change), JSON.stringify(updated)]) {
      expect(text).not.toContain(admin.key.secretAccessKey);
      expect(text).not.toContain(JSON.parse(stored[0]!).secretAccessKey);
    }
  });

  it("drops the user for a key of another user, says so, and the repairs then refuse", async () => {
    const other = await createUser(iam(), dir, "someone-else", leastPrivilegePolicy(bucket, "events").Statement);
    const replaced = await call("sinks:replaceCredentials", {
      name: "lake",
      credentialsJson: keyJson({ AccessKeyId: other.key.accessKeyId, SecretAccessKey: other.key.secretAccessKey }),
      credentialsLabel: "someone-else.json",
    });
    expect(replaced.ok, JSON.stringify(replaced)).toBe(true);
    if (!replaced.ok) return;
    expect(replaced.value.sink.iamUser).toBeUndefined();
    expect(replaced.value.warnings).toEqual([expect.stringContaining(`Sink lake is no longer tied to ${userName}, which Streamdrop made for it`)]);
    expect(await iamUserOf("lake")).toBeUndefined();

    const rotate = await call("sinks:rotateKey", { name: "lake", admin: adminKey() });
    expect(rotate).toMatchObject({ ok: false, error: { code: "invalid-input", fixes: [{ id: "replace-credentials", sink: "lake", bucket }] } });
    const policy = await call("sinks:updatePolicy", { name: "lake", admin: adminKey() });
    expect(policy).toMatchObject({ ok: false, error: { fixes: [{ id: "add-policy-statement" }] } });
    // The app-made user was left alone: its one key is still there.
    expect(await keysOf(userName)).toHaveLength(1);
  });
});

describe("when STS cannot say whose the new key is", () => {
  it("drops the user rather than claim a key it cannot prove is the user's", async () => {
    const gatedBucket = uniqueName("sts-gated").slice(0, 40);
    await s3Client(moto.endpoint, admin.key).send(new CreateBucketCommand({ Bucket: gatedBucket }));
    const made = await call("aws:setupS3", { bucket: gatedBucket, createBucket: false, endpoint: stsGate.endpoint, sinkName: "gated", admin: adminKey() });
    expect(made, JSON.stringify(made)).toMatchObject({ ok: true, value: { iamUser: `streamdrop-${gatedBucket}` } });

    stsGate.refuseCallerIdentity = true;
    const second = await newKeyOf(`streamdrop-${gatedBucket}`);
    const replaced = await call("sinks:replaceCredentials", { name: "gated", credentialsJson: keyJson(second), credentialsLabel: "second.json" });
    expect(stsGate.refused).toBeGreaterThan(0);
    expect(replaced).toMatchObject({ ok: true, value: { warnings: [expect.stringContaining("or that could not be asked")] } });
    expect(await iamUserOf("gated")).toBeUndefined();
  });
});

interface StsGate {
  server: Server;
  endpoint: string;
  /** From now on, STS's GetCallerIdentity answers 503; everything else still reaches moto. */
  refuseCallerIdentity: boolean;
  refused: number;
}

/** An HTTP proxy in front of moto that can refuse GetCallerIdentity alone (signatures stay valid: the Host header is passed on as signed). */
async function startStsGate(target: string): Promise<StsGate> {
  const { hostname, port } = new URL(target);
  const gate = { refuseCallerIdentity: false, refused: 0 } as StsGate;
  gate.server = createServer((incoming, answer) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      if (gate.refuseCallerIdentity && body.toString("utf8").includes("Action=GetCallerIdentity")) {
        gate.refused += 1;
        answer.writeHead(503).end("unavailable");
        return;
      }
      const forwarded = request({ hostname, port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (response) => {
        answer.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(answer);
      });
      forwarded.on("error", () => answer.writeHead(502).end());
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => gate.server.listen(0, "127.0.0.1", resolve));
  gate.endpoint = `http://127.0.0.1:${(gate.server.address() as AddressInfo).port}`;
  return gate;
}
