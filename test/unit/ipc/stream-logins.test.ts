// The window's logins through IPC: the contract takes each login's shape (and nothing more), and the
// handlers give the core its SaslInput and ClientCertificateInput: secrets as values, a PKCS#12
// file's base64 as its bytes. "Test the connection" checks the login as creating a stream would,
// before any connection is tried.
import { describe, expect, it, vi } from "vitest";
import { inputSchemas } from "../../../preload/contract.js";
import type { Core } from "../../../main/core/index.js";
import type { StreamRecord } from "../../../main/core/config/schema.js";
import { createHandlers } from "../../../main/ipc/handlers.js";

const record = { id: "s1", name: "clicks", topic: "clicks", bootstrapServers: ["b:9092"], ssl: true, createdAt: "2026-01-01T00:00:00.000Z" } as StreamRecord;

function handlers() {
  const create = vi.fn(async () => record);
  const update = vi.fn(async () => record);
  const core = { streams: { create, update }, exporters: { list: async () => [] } } as unknown as Core;
  const made = createHandlers({
    appInfo: { name: "Streamdrop", version: "0", dataDir: "/data" } as never,
    core,
    engine: { statuses: () => [], nudge: async () => {} } as never,
    settings: { openAtLogin: () => false, setOpenAtLogin: () => {} },
    openExternal: async () => {},
  });
  return { made, create, update };
}

describe("the contract's logins", () => {
  const topics = inputSchemas["streams:topics"];
  it.each([
    { mechanism: "plain", username: "$ConnectionString", password: "Endpoint=sb://x/" },
    { mechanism: "oauthbearer", tokenEndpoint: "https://idp/token", clientId: "c", clientSecret: "s", extensions: { logicalCluster: "lkc-1" } },
    { mechanism: "aws-msk-iam", region: "eu-west-1", profile: "prod", assumeRoleArn: "arn:aws:iam::1:role/r" },
    { mechanism: "aws-msk-iam", region: "eu-west-1", accessKey: { accessKeyId: "AKIA", secretAccessKey: "s" } },
  ])("takes a $mechanism login", (sasl) => {
    expect(topics.safeParse({ bootstrapServers: "b:9092", sasl }).success).toBe(true);
  });

  it.each([
    { mechanism: "plain", username: "u", password: "p", clientSecret: "s" },
    { mechanism: "oauthbearer", tokenEndpoint: "https://idp/token", clientId: "c" },
    { mechanism: "aws-msk-iam", region: "eu-west-1", accessKey: { accessKeyId: "AKIA" } },
    { mechanism: "gssapi", username: "u", password: "p" },
  ])("refuses a login with another's fields, or without its own: %j", (sasl) => {
    expect(topics.safeParse({ bootstrapServers: "b:9092", sasl }).success).toBe(false);
  });

  it("takes a client certificate as PEM or as PKCS#12 in base64, and null in changes", () => {
    expect(topics.safeParse({ bootstrapServers: "b:9092", clientCertificate: { format: "pem", cert: "C", privateKey: "K" } }).success).toBe(true);
    expect(topics.safeParse({ bootstrapServers: "b:9092", clientCertificate: { format: "pkcs12", p12Base64: "MIIK", password: "" } }).success).toBe(true);
    expect(topics.safeParse({ bootstrapServers: "b:9092", clientCertificate: { format: "pkcs12", p12Base64: "not base64!", password: "" } }).success).toBe(
      false,
    );
    expect(inputSchemas["streams:update"].safeParse({ name: "clicks", clientCertificate: null }).success).toBe(true);
  });
});

describe("the stream handlers", () => {
  it("give the core each secret as a value, and a PKCS#12 file as its bytes", async () => {
    const { made, create } = handlers();
    await made["streams:create"]({
      name: "clicks",
      bootstrapServers: "b:9092",
      sasl: { mechanism: "oauthbearer", tokenEndpoint: "https://idp/token", clientId: "c", clientSecret: "s", scope: "kafka" },
      clientCertificate: { format: "pkcs12", p12Base64: Buffer.from([1, 2, 3]).toString("base64"), password: "pw" },
    });
    expect(create).toHaveBeenCalledWith({
      name: "clicks",
      bootstrapServers: "b:9092",
      sasl: { mechanism: "oauthbearer", tokenEndpoint: "https://idp/token", clientId: "c", clientSecret: { from: "value", value: "s" }, scope: "kafka" },
      clientCertificate: { format: "pkcs12", p12: Buffer.from([1, 2, 3]), passphrase: "pw" },
    });
  });

  it("hand on an AWS login as given, a PEM key with its password, and null to remove", async () => {
    const { made, update } = handlers();
    await made["streams:update"]({
      name: "clicks",
      sasl: { mechanism: "aws-msk-iam", region: "eu-west-1", accessKey: { accessKeyId: "AKIA", secretAccessKey: "s" } },
      clientCertificate: { format: "pem", cert: "C", privateKey: "K", password: "pw" },
    });
    expect(update).toHaveBeenLastCalledWith("clicks", {
      sasl: { mechanism: "aws-msk-iam", region: "eu-west-1", accessKey: { accessKeyId: "AKIA", secretAccessKey: "s" } },
      clientCertificate: { format: "pem", cert: "C", key: "K", passphrase: "pw" },
    });
    await made["streams:update"]({ name: "clicks", sasl: null, clientCertificate: null });
    expect(update).toHaveBeenLastCalledWith("clicks", { sasl: null, clientCertificate: null });
  });

  it("check the login of a connection test before connecting, as creating a stream would", async () => {
    const { made } = handlers();
    await expect(
      made["streams:topics"]({ bootstrapServers: "127.0.0.1:1", clientCertificate: { format: "pem", cert: "not a certificate", privateKey: "no key" } }),
    ).rejects.toMatchObject({ fixes: [{ id: "set", setting: "client-certificate" }] });
    await expect(
      made["streams:topics"]({
        bootstrapServers: "127.0.0.1:1",
        sasl: { mechanism: "oauthbearer", tokenEndpoint: "http://idp.example.com/token", clientId: "c", clientSecret: "s" },
      }),
    ).rejects.toMatchObject({ fixes: [{ id: "set", setting: "oidc-client" }] });
  });
});
