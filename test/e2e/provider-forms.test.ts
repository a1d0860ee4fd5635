// The provider forms in Chromium, on the real core: each provider (common/kafka-providers.ts) shows
// only its logins and each login only its fields, with axe on every one; then against the stack's
// broker, a client certificate the cluster refuses (and an expired one, said before connecting)
// repaired from the message, a PKCS#12 file with its password, and an OIDC client the identity
// provider refuses and a token the cluster refuses, each in the core's words with the login's field
// offered. The harness proves no text shown names a CLI option.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { kafkaProviders, loginLabels, providerIds } from "../../common/kafka-providers.js";
import { stackClientP12Passphrase } from "../../stack/kafka.js";
import { oidcTokenEndpoint, setOidcClient, startOidc } from "../../stack/oidc.js";
import { stopProcessGroup } from "../../stack/processes.js";
import { kafka, uniqueName } from "../support/clients.js";
import { testCore, type TestCore } from "../support/core.js";
import { freePort } from "../support/ports.js";
import { openRenderer, type RendererHarness } from "../support/renderer-harness.js";

const topic = uniqueName("providers");
const clientId = uniqueName("window");
const clientSecret = uniqueName("secret");
const certs = () => inject("kafkaClientCerts");
let core: TestCore;
let harness: RendererHarness;
let page: Page;

beforeAll(async () => {
  core = testCore();
  harness = await openRenderer(core);
  page = harness.page;
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

// What the window showed when a step failed, for whoever reads the failure.
afterEach(async (context) => {
  if (context.task.result?.state === "fail") await harness?.screenshot(`failed-${context.task.name.slice(0, 40).replace(/\W+/g, "-")}`);
});

const form = () => page.getByRole("form", { name: "A new stream" });
const field = (label: string) => form().getByLabel(label, { exact: true });
const nav = (name: string) => page.getByRole("navigation", { name: "Main" }).getByRole("button", { name, exact: true });
const testConnection = () => form().getByRole("button", { name: "Test the connection" }).click();
const connected = () =>
  form()
    .getByText(/^Connected: \d+ topics?/)
    .waitFor({ timeout: 30_000 });

async function expectAccessible(screen: string) {
  expect(await harness.accessibilityProblems(), `axe on ${screen}`).toEqual([]);
  await harness.screenshot(screen);
}

/** A fresh "Add a stream" form, on this provider and login. */
async function newForm(provider: string, login?: string) {
  await nav("Streams").click();
  await page.getByRole("heading", { name: "Streams", exact: true }).waitFor();
  const add = page.getByRole("button", { name: "Add a stream" });
  if ((await add.getAttribute("aria-expanded")) === "true") await add.click();
  await add.click();
  await field("Provider").selectOption(provider);
  if (login) await field("Login").selectOption(login);
}

describe("a form per provider", () => {
  it("shows each provider's logins only, and each login's fields only, all accessible", { timeout: 120_000 }, async () => {
    await newForm("other");
    const providerOptions = await field("Provider").locator("option").allTextContents();
    expect(providerOptions).toEqual(providerIds.map((id) => kafkaProviders[id].label));
    for (const id of providerIds) {
      const provider = kafkaProviders[id];
      await field("Provider").selectOption(id);
      await expect(form().getByText(provider.help).isVisible()).resolves.toBe(true);
      await expect(field("Kafka bootstrap servers").getAttribute("placeholder")).resolves.toBe(provider.bootstrapHint);
      if (provider.logins.length > 1) {
        await expect(field("Login").locator("option").allTextContents()).resolves.toEqual(provider.logins.map((kind) => loginLabels[kind]));
      } else {
        await expect(form().getByText(`Login: ${loginLabels[provider.logins[0]!]}`).isVisible()).resolves.toBe(true);
      }
      for (const login of provider.logins) {
        if (provider.logins.length > 1) await field("Login").selectOption(login);
        const has = async (label: string) => (await field(label).count()) > 0;
        await expect(has("Connect with TLS")).resolves.toBe(!provider.tls && login !== "mtls");
        await expect(has("Token endpoint")).resolves.toBe(login === "oauthbearer");
        await expect(has("Logical cluster ID")).resolves.toBe(login === "oauthbearer" && id === "confluent");
        await expect(has("AWS region")).resolves.toBe(login === "aws-msk-iam");
        await expect(has("Client certificate file")).resolves.toBe(login === "mtls");
        await expect(has(provider.words?.password ?? "SASL password")).resolves.toBe(login === "plain" || login.startsWith("scram"));
        await expect(has("SASL user name")).resolves.toBe(
          (login === "plain" || login.startsWith("scram")) && provider.fixedUsername === undefined && provider.words?.username === undefined,
        );
        expect(await harness.accessibilityProblems(), `axe on ${id} ${login}`).toEqual([]);
      }
      await harness.screenshot(`provider-form-${id}`);
    }
  });
});

describe("a login the core refuses before connecting", () => {
  it("says what is wrong in the core's words, and offers the login's field", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "streamdrop-files-"));
    try {
      writeFileSync(join(dir, "service.cert"), "not a certificate\n");
      writeFileSync(join(dir, "service.key"), "not a key\n");
      await newForm("aiven");
      await field("Kafka bootstrap servers").fill("kafka-1-p.aivencloud.com:12345");
      await field("Client certificate file").setInputFiles(join(dir, "service.cert"));
      await field("Client key file").setInputFiles(join(dir, "service.key"));
      await form().getByText("Using service.key.").waitFor();
      await testConnection();
      const notPem = form().getByRole("alert").filter({ hasText: "The client key is not a PEM private key" });
      await notPem.waitFor({ timeout: 10_000 });
      await expectAccessible("provider-certificate-not-pem");
      const chooser = page.waitForEvent("filechooser");
      await notPem.getByRole("button", { name: "Choose the client certificate" }).click();
      await chooser;

      await field("Provider").selectOption("confluent");
      await field("Login").selectOption("oauthbearer");
      await field("Kafka bootstrap servers").fill("pkc-1.us-east-1.aws.confluent.cloud:9092");
      await field("Token endpoint").fill("http://idp.example.com/oauth2/token");
      await field("Client ID").fill("streamdrop");
      await field("Client secret").fill("client-secret");
      await field("Logical cluster ID").fill("lkc-abc123");
      await field("Identity pool ID").fill("pool-AbCd");
      await testConnection();
      const notHttps = form().getByRole("alert").filter({ hasText: "is not an https address" });
      await notHttps.waitFor({ timeout: 10_000 });
      await expectAccessible("provider-oauth-not-https");
      await notHttps.getByRole("button", { name: "Change the OAuth client" }).click();
      await expect.poll(() => field("Token endpoint").evaluate((input) => input === document.activeElement)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the errors a login can meet, repaired from where they show", () => {
  beforeAll(async () => {
    const admin = kafka(inject("kafkaBrokers")).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    await setOidcClient(clientId, { clientSecret, ttlSeconds: 300 });
  }, 60_000);

  it("a client certificate the cluster refuses, an expired one, then a good one and a PKCS#12 file", { timeout: 120_000 }, async () => {
    await newForm("other", "mtls");
    await field("Kafka bootstrap servers").fill(inject("kafkaMtlsBrokers"));
    await field("CA certificate (optional)").setInputFiles(certs().ca);
    await field("Client certificate file").setInputFiles(certs().foreignCert);
    await field("Client key file").setInputFiles(certs().foreignKey);
    await form().getByText("Using foreign-client.key.").waitFor();
    await testConnection();
    const refused = form().getByRole("alert").filter({ hasText: "refused the client certificate" });
    await refused.waitFor({ timeout: 30_000 });
    await expect(refused.textContent()).resolves.toContain(
      `Kafka at ${inject("kafkaMtlsBrokers")} refused the client certificate: the cluster does not trust the authority that issued it`,
    );
    await expectAccessible("provider-mtls-refused");

    // An expired certificate is said before any connection.
    await field("Client certificate file").setInputFiles(certs().expiredCert);
    await field("Client key file").setInputFiles(certs().expiredKey);
    await form().getByText("Using expired-client.key.").waitFor();
    await testConnection();
    const expired = form().getByRole("alert").filter({ hasText: "expired on 2020-02-01" });
    await expired.waitFor({ timeout: 10_000 });

    // The message's own button opens the certificate's chooser.
    const chooser = page.waitForEvent("filechooser");
    await expired.getByRole("button", { name: "Choose the client certificate" }).click();
    await (await chooser).setFiles(certs().cert);
    await field("Client key file").setInputFiles(certs().key);
    await form().getByText("Using client.key.").waitFor();
    await testConnection();
    await connected();

    // The same certificate as one PKCS#12 file, with its password.
    await form().getByLabel("One PKCS#12 file (.p12 or .pfx)").check();
    await field("PKCS#12 file").setInputFiles(certs().p12);
    await field("PKCS#12 password (optional)").fill("not-the-password");
    await testConnection();
    await form().getByRole("alert").filter({ hasText: "The PKCS#12 file's password is wrong" }).waitFor({ timeout: 10_000 });
    await field("PKCS#12 password (optional)").fill(stackClientP12Passphrase);
    await testConnection();
    await connected();

    await field("Topic").fill(topic);
    await field("Stream name").fill("mtls-window");
    await form().getByRole("button", { name: "Add the stream" }).click();
    const stream = page.getByRole("article", { name: "mtls-window" });
    await stream.waitFor({ timeout: 30_000 });
    await expect(stream.getByText(/streamdrop-client.*, valid until \d{4}-\d{2}-\d{2}$/).isVisible()).resolves.toBe(true);
    await expect(stream.getByText("its client certificate (key in the OS keychain)").isVisible()).resolves.toBe(true);
    expect(await page.content()).not.toContain(stackClientP12Passphrase);
    await expectAccessible("provider-mtls-added");
  });

  it("an OIDC client the identity provider refuses, then a token the cluster refuses", { timeout: 120_000 }, async () => {
    await newForm("other", "oauthbearer");
    await field("Kafka bootstrap servers").fill(inject("kafkaOauthBrokers"));
    await field("Connect with TLS").check();
    await field("CA certificate (optional)").setInputFiles(certs().ca);
    await field("Token endpoint").fill(inject("oidcTokenEndpoint"));
    await field("Client ID").fill(clientId);
    await field("Client secret").fill("not-the-secret");
    await field("Scope (optional)").fill("kafka");
    await testConnection();
    const refused = form()
      .getByRole("alert")
      .filter({ hasText: `refused OIDC client ${clientId}` });
    await refused.waitFor({ timeout: 30_000 });
    await expect(refused.textContent()).resolves.toContain("give the stream the client's current secret");
    await expectAccessible("provider-oauth-client-refused");
    await field("Client secret").fill(clientSecret);
    await testConnection();
    await connected();

    // Another identity provider's token, well formed, that the cluster does not trust.
    const dir = mkdtempSync(join(tmpdir(), "streamdrop-idp-"));
    const port = await freePort();
    const other = await startOidc({ port, keyFile: join(dir, "key.json"), logFile: join(dir, "oidc.log") });
    try {
      await setOidcClient(clientId, { clientSecret, ttlSeconds: 300 }, `http://127.0.0.1:${port}`);
      await field("Token endpoint").fill(oidcTokenEndpoint(port));
      await testConnection();
      const untrusted = form()
        .getByRole("alert")
        .filter({ hasText: `refused the token of OIDC client ${clientId}` });
      await untrusted.waitFor({ timeout: 30_000 });
      await expectAccessible("provider-oauth-token-refused");
      await untrusted.getByRole("button", { name: "Change the OAuth client" }).click();
      await expect.poll(() => field("Token endpoint").evaluate((input) => input === document.activeElement)).toBe(true);
    } finally {
      await stopProcessGroup(other.pid);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
