// The CLI takes the same logins as the window, as options: a client certificate (PEM files or a
// PKCS#12 file whose password comes on stdin), an OIDC client whose secret comes from the
// environment, and --provider to say which service it is (which refuses what the service does not
// hand out). Keys and secrets reach the keychain only.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, expect, inject, it } from "vitest";
import { stackClientP12Passphrase } from "../../../stack/kafka.js";
import { setOidcClient } from "../../../stack/oidc.js";
import { kafka, uniqueName } from "../../support/clients.js";
import { CliEnv, runCli } from "../../support/cli.js";

const { dataDir, env } = new CliEnv("logins");
const topic = uniqueName("logins");
const clientId = uniqueName("cli-client");
const secret = uniqueName("cli-secret");
const certs = () => inject("kafkaClientCerts");

beforeAll(async () => {
  const admin = kafka(inject("kafkaBrokers")).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  await setOidcClient(clientId, { clientSecret: secret, ttlSeconds: 120 });
});

const config = () => readFileSync(join(dataDir, "config.json"), "utf8");

/** The stack's OAuth listener and this file's OIDC client, its secret from $SSO_SECRET. */
const oauthLogin = () => [
  "--bootstrap-servers",
  inject("kafkaOauthBrokers"),
  "--ca-file",
  certs().ca,
  "--oauth-token-endpoint",
  inject("oidcTokenEndpoint"),
  "--oauth-client-id",
  clientId,
  "--oauth-client-secret-env",
  "SSO_SECRET",
];

it("creates an Aiven stream with a client certificate, keeping the key out of the config", async () => {
  const created = await runCli(
    [
      "create",
      "stream",
      "aiven",
      "--provider",
      "aiven",
      "--bootstrap-servers",
      inject("kafkaMtlsBrokers"),
      "--topic",
      topic,
      "--ca-file",
      certs().ca,
      "--client-cert",
      certs().cert,
      "--client-key",
      certs().key,
    ],
    env,
  );
  expect(created.code, created.stderr).toBe(0);
  expect(JSON.parse(created.stdout)).toMatchObject({ ssl: true, clientCertificate: { subject: expect.stringContaining("streamdrop-client") } });
  expect(config()).not.toContain("PRIVATE KEY");
  expect(created.stdout + created.stderr).not.toContain("PRIVATE KEY");
});

it("opens a PKCS#12 file with the password typed on stdin, and warns of a certificate near its end", async () => {
  const p12 = await runCli(
    ["create", "stream", "p12", "--bootstrap-servers", inject("kafkaMtlsBrokers"), "--topic", topic, "--ca-file", certs().ca, "--client-p12", certs().p12],
    env,
    [],
    `${stackClientP12Passphrase}\n`,
  );
  expect(p12.code, p12.stderr).toBe(0);
  expect(config()).not.toContain(stackClientP12Passphrase);
  const soon = await runCli(
    [
      "create",
      "stream",
      "soon",
      "--bootstrap-servers",
      inject("kafkaMtlsBrokers"),
      "--topic",
      topic,
      "--ca-file",
      certs().ca,
      "--client-cert",
      certs().soonCert,
      "--client-key",
      certs().soonKey,
    ],
    env,
  );
  expect(soon.code, soon.stderr).toBe(0);
  expect(soon.stderr).toMatch(/Warning: The client certificate \(.+\) expires on \d{4}-\d{2}-\d{2}, in (9|10) days\./);
});

it("creates a Confluent Cloud stream with OAuth, the secret read from the environment at run time", async () => {
  const created = await runCli(
    [
      "create",
      "stream",
      "sso",
      "--provider",
      "confluent",
      "--topic",
      topic,
      ...oauthLogin(),
      "--oauth-scope",
      "kafka",
      "--oauth-extension",
      "logicalCluster=lkc-abc12",
      "--oauth-extension",
      "identityPoolId=pool-XyZ",
    ],
    { ...env, SSO_SECRET: secret },
  );
  expect(created.code, created.stderr).toBe(0);
  expect(JSON.parse(created.stdout).sasl).toEqual({
    mechanism: "oauthbearer",
    login: `OAUTHBEARER, OIDC client ${clientId} at ${inject("oidcTokenEndpoint")}, secret from $SSO_SECRET, scope kafka, extensions identityPoolId, logicalCluster`,
  });
  expect(config()).not.toContain(secret);
  // Without the variable, the run-time read says which one to set.
  const listed = await runCli(["simulate", "random-events", "sso", "--count", "1"], env);
  expect(listed.code).toBe(1);
  expect(listed.stderr).toContain("The OIDC client secret of stream sso comes from the environment variable SSO_SECRET, which is not set.");
});

it("says what a change of login does before it is made", async () => {
  const plan = await runCli(["update", "stream", "aiven", "--no-client-cert", "--no-ssl", "--dry-run"], env);
  expect(plan.code, plan.stderr).toBe(0);
  expect(plan.stderr).toMatch(/Client certificate: the certificate in .+, its key in the keychain -> none \(no TLS\)/);
});

it("refuses a login the provider does not hand out, saying which it does", async () => {
  const refused = await runCli(
    [
      "create",
      "stream",
      "hubs",
      "--provider",
      "event-hubs",
      "--bootstrap-servers",
      "ns.servicebus.windows.net:9093",
      "--client-cert",
      certs().cert,
      "--client-key",
      certs().key,
    ],
    env,
  );
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("Azure Event Hubs does not take a client certificate: use plain.");
});

it("takes the provider's user-and-password login when a user is given, and refuses half a login or two secrets on stdin", async () => {
  const plan = await runCli(["update", "stream", "aiven", "--provider", "msk", "--username", "reader", "--password-env", "MSK_PASSWORD", "--dry-run"], {
    ...env,
    MSK_PASSWORD: "not-shown",
  });
  expect(plan.code, plan.stderr).toBe(0);
  expect(plan.stderr).toContain("SASL: none -> scram-sha-512, user reader, password from $MSK_PASSWORD");
  expect(plan.stdout + plan.stderr).not.toContain("not-shown");

  const half = await runCli(["update", "stream", "sso", "--oauth-scope", "kafka.read"], env);
  expect(half.code).toBe(1);
  expect(half.stderr).toContain("--oauth-scope is part of a login: give the whole login, with --sasl-mechanism (or a --provider that offers it).");

  const two = await runCli(
    ["create", "stream", "two", "--provider", "aiven", "--bootstrap-servers", inject("kafkaMtlsBrokers"), "--username", "u", "--client-p12", certs().p12],
    env,
    [],
    "one-secret\n",
  );
  expect(two.code).toBe(1);
  expect(two.stderr).toContain("The SASL password and the certificate's password would all be read from stdin, which holds one.");
});

it("lists topics with any login: a stream's own, or given as options and kept nowhere", async () => {
  const ours = await runCli(["list", "topics", "--stream", "aiven"], env);
  expect(ours.code, ours.stderr).toBe(0);
  expect(ours.stdout.split("\n")).toContain(topic);

  const before = config();
  const given = await runCli(["list", "topics", ...oauthLogin()], { ...env, SSO_SECRET: secret });
  expect(given.code, given.stderr).toBe(0);
  expect(given.stdout.split("\n")).toContain(topic);
  expect(config()).toBe(before);

  // Over mTLS without a certificate, the cluster refuses: the error says so, with no topics listed.
  const bare = await runCli(["list", "topics", "--bootstrap-servers", inject("kafkaMtlsBrokers"), "--ca-file", certs().ca], env);
  expect(bare.code).toBe(1);
  expect(bare.stdout).toBe("");
  expect(bare.stderr).toMatch(/client certificate/i);

  const both = await runCli(["list", "topics", "--stream", "aiven", "--bootstrap-servers", inject("kafkaBrokers")], env);
  expect(both.code).toBe(1);
  expect(both.stderr).toContain("--stream uses the stream's own connection: leave out --bootstrap-servers.");
  const neither = await runCli(["list", "topics"], env);
  expect(neither.code).toBe(1);
  expect(neither.stderr).toContain("Say which cluster: --stream <name> for a stream's, or --bootstrap-servers host:port.");
});
