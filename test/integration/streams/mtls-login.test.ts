// Mutual TLS against the stack broker's MTLS listener (ssl.client.auth=required, the stack CA):
// a certificate given as PEM, as an encrypted PEM key, or as an OpenSSL-made PKCS#12 file; the key
// only in the keychain; every event exported once over it. A certificate from another authority, an
// expired one and none at all are each named, the expired one before connecting.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { stackClientKeyPassphrase, stackClientP12Passphrase } from "../../../stack/kafka.js";
import { kafka, uniqueName } from "../../support/clients.js";
import { testCore } from "../../support/core.js";
import { duplicatesAndMissing, ExportHarness } from "../../support/export-harness.js";
import { StreamdropError } from "../../../main/core/errors.js";
import { streamInfo } from "../../../main/ipc/views.js";

const certs = () => inject("kafkaClientCerts");
const pem = (file: string) => readFileSync(file, "utf8");
const topic = uniqueName("mtls");

beforeAll(async () => {
  const admin = kafka(inject("kafkaBrokers")).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
});

describe("a stream with a client certificate", () => {
  const core = testCore();

  it("connects with a PEM certificate and key, keeping the key in the keychain only", async () => {
    const stream = await core.streams.create({
      name: "aiven",
      bootstrapServers: inject("kafkaMtlsBrokers"),
      topic,
      caFile: certs().ca,
      clientCertificate: { format: "pem", cert: pem(certs().cert), key: pem(certs().key) },
    });
    expect(stream.ssl).toBe(true);
    expect(stream.clientCertificate?.key.source).toBe("keychain");
    const config = readFileSync(join(core.dataDir, "config.json"), "utf8");
    expect(config).not.toContain("PRIVATE KEY");
    expect(readFileSync(stream.clientCertificate!.certFile, "utf8")).toContain("BEGIN CERTIFICATE");
    const entries = await core.keychainEntries();
    expect(entries.filter((entry) => entry.password.includes("BEGIN PRIVATE KEY"))).toHaveLength(1);
    expect(await core.streams.partitionCount(stream)).toBe(1);
    expect(streamInfo(stream, []).clientCertificate).toMatchObject({ subject: expect.stringContaining("streamdrop-client") });
    expect(streamInfo(stream, []).clientCertificate?.warning).toBeUndefined();
    // Deleting the stream takes its key and its copy of the certificate with it.
    await core.streams.delete("aiven");
    expect((await core.keychainEntries()).some((entry) => entry.password.includes("PRIVATE KEY"))).toBe(false);
  });

  it("opens an encrypted key with its password, and a PKCS#12 file OpenSSL made", async () => {
    await expect(
      core.streams.create({
        name: "encrypted",
        bootstrapServers: inject("kafkaMtlsBrokers"),
        topic,
        caFile: certs().ca,
        clientCertificate: { format: "pem", cert: pem(certs().cert), key: pem(certs().encryptedKey), passphrase: stackClientKeyPassphrase },
      }),
    ).resolves.toMatchObject({ name: "encrypted" });
    await expect(
      core.streams.create({
        name: "p12",
        bootstrapServers: inject("kafkaMtlsBrokers"),
        topic,
        caFile: certs().ca,
        clientCertificate: { format: "pkcs12", p12: readFileSync(certs().p12), passphrase: stackClientP12Passphrase },
      }),
    ).resolves.toMatchObject({ name: "p12" });
    // Neither password is kept: the key is kept opened, in the keychain.
    const secrets = (await core.keychainEntries()).map((entry) => entry.password).join("\n");
    expect(secrets).not.toContain(stackClientKeyPassphrase);
    expect(secrets).not.toContain(stackClientP12Passphrase);
    await expect(
      core.streams.create({
        name: "wrong-password",
        bootstrapServers: inject("kafkaMtlsBrokers"),
        topic,
        clientCertificate: { format: "pkcs12", p12: readFileSync(certs().p12), passphrase: "not it" },
      }),
    ).rejects.toThrow("The PKCS#12 file's password is wrong");
  });

  it("names a certificate the cluster refuses, an expired one before connecting, and a missing one", async () => {
    const refused = await core.streams
      .create({
        name: "foreign",
        bootstrapServers: inject("kafkaMtlsBrokers"),
        topic,
        caFile: certs().ca,
        clientCertificate: { format: "pem", cert: pem(certs().foreignCert), key: pem(certs().foreignKey) },
      })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StreamdropError);
    expect((refused as StreamdropError).message).toBe(
      `Kafka at ${inject("kafkaMtlsBrokers")} refused the client certificate: the cluster does not trust the authority that issued it, or revoked it. Use a certificate the cluster's provider issued for it.`,
    );
    expect((refused as StreamdropError).fixes).toEqual([{ id: "set", setting: "client-certificate" }]);

    const started = Date.now();
    await expect(
      core.streams.create({
        name: "expired",
        bootstrapServers: inject("kafkaMtlsBrokers"),
        topic,
        caFile: certs().ca,
        clientCertificate: { format: "pem", cert: pem(certs().expiredCert), key: pem(certs().expiredKey) },
      }),
    ).rejects.toThrow(/^The client certificate \(.+\) expired on 2020-02-01\. Get a renewed certificate/);
    expect(Date.now() - started).toBeLessThan(1000);

    // The broker refuses a missing certificate with an alert, or (TLS 1.3) closes the connection: either way the certificate is named.
    await expect(core.streams.create({ name: "none", bootstrapServers: inject("kafkaMtlsBrokers"), topic, caFile: certs().ca })).rejects.toThrow(
      /asks for a client certificate, and the stream has none|give the stream its client certificate and key/,
    );
  });

  it("warns of a certificate that expires within 30 days", async () => {
    const stream = await core.streams.create({
      name: "soon",
      bootstrapServers: inject("kafkaMtlsBrokers"),
      topic,
      caFile: certs().ca,
      clientCertificate: { format: "pem", cert: pem(certs().soonCert), key: pem(certs().soonKey) },
    });
    expect(streamInfo(stream, []).clientCertificate?.warning).toMatch(/^The client certificate \(.+\) expires on \d{4}-\d{2}-\d{2}, in (9|10) days\./);
  });
});

describe("an exporter over mutual TLS", () => {
  let harness: ExportHarness;
  beforeAll(async () => {
    harness = new ExportHarness({
      kafkaBrokers: inject("kafkaBrokers"),
      s3Endpoint: inject("s3Endpoint"),
      partitions: 2,
      intervalSeconds: 1,
      login: {
        brokers: inject("kafkaMtlsBrokers"),
        caFile: certs().ca,
        clientCertificate: { format: "pem", cert: pem(certs().cert), key: pem(certs().key) },
      },
    });
    await harness.setUp();
  }, 60_000);
  afterAll(() => harness?.tearDown());

  it("exports every event once", { timeout: 90_000 }, async () => {
    const ids = await harness.produce(400, 100);
    await harness.startEngine();
    const objects = await harness.waitForIds(ids, 60_000);
    expect(duplicatesAndMissing(ids, ExportHarness.eventIds(objects))).toEqual({ missing: [], doubled: [], unexpected: [] });
  });
});
