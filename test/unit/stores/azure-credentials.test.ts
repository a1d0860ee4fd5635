// Azure credentials by their form: SAS URLs (Azure's host style and an emulator's path style), bare
// SAS tokens, and connection strings. What a SAS grants is checked offline; no message ever quotes
// its signature or an account key. Signatures and keys here are random per run.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseCredentials } from "../../../main/core/sinks/credentials-file.js";
import { planSink } from "../../../main/core/sinks/sink-options.js";
import { azureSetupDocument } from "../../../main/core/stores/azure/setup-doc.js";
import { providerOf } from "../../../main/core/stores/registry.js";

const sig = encodeURIComponent(randomBytes(32).toString("base64"));
const key = randomBytes(64).toString("base64");
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().replace(/\.\d+Z$/, "Z");
const token = (permissions = "cw", expires = inDays(90), extra = "sr=c") => `sv=2025-01-05&${extra}&sp=${permissions}&se=${encodeURIComponent(expires)}&spr=https&sig=${sig}`;
const failure = (text: string) => {
  try {
    parseCredentials(text, "pasted");
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a refusal");
};

describe("Azure credentials", () => {
  it("reads a container SAS URL: account from the host, container from the path", () => {
    const parsed = parseCredentials(`https://lakeacct.blob.core.windows.net/events?${token()}\n`, "pasted");
    expect(parsed).toMatchObject({ store: "AZURE", kind: "azure-sas", endpoint: "https://lakeacct.blob.core.windows.net", accountName: "lakeacct", container: "events", permissions: "cw" });
    expect(providerOf(parsed).describe(parsed)).toMatchObject({ sinkType: "AZURE", bucket: "events", warnings: [] });
  });

  it("reads an emulator's SAS URL, with the account in the path", () => {
    expect(parseCredentials(`http://127.0.0.1:10000/devstoreaccount1/events?${token()}`, "pasted")).toMatchObject({ endpoint: "http://127.0.0.1:10000/devstoreaccount1", accountName: "devstoreaccount1", container: "events" });
  });

  it("names the missing permission, an expired SAS and a blob SAS, never quoting the signature", () => {
    const messages = [
      failure(`https://acct1.blob.core.windows.net/events?${token("w")}`),
      failure(`https://acct1.blob.core.windows.net/events?${token("rl")}`),
      failure(`https://acct1.blob.core.windows.net/events?${token("cw", inDays(-1))}`),
      failure(`https://acct1.blob.core.windows.net/events/one.jsonl?${token()}`),
      failure(`https://acct1.blob.core.windows.net/events?${token("cw", inDays(9), "sr=b")}`),
    ];
    expect(messages[0]).toContain('without the create (c) permission (it grants "w")');
    expect(messages[1]).toContain("without the create (c) and write (w) permissions");
    expect(messages[2]).toContain("holds a SAS that expired on");
    expect(messages[3]).toContain("is a SAS URL for a single blob");
    expect(messages[4]).toContain("is a SAS for a single blob");
    for (const message of messages) expect(message).not.toContain(sig);
  });

  it("warns of a SAS that grants more, or expires within a month", () => {
    const wide = parseCredentials(`https://acct1.blob.core.windows.net/events?${token("rcwdl", inDays(10))}`, "pasted");
    const warnings = providerOf(wide).describe(wide).warnings ?? [];
    expect(warnings[0]).toContain("grants more than Streamdrop needs (rdl besides cw)");
    expect(warnings[1]).toMatch(/expires on \d{4}-\d{2}-\d{2}, in 10 days/);
  });

  it("takes a bare token only with the account's endpoint", async () => {
    const input = { name: "blobs", bucket: "events", credentials: { from: "text" as const, text: token(), label: "pasted" } };
    await expect(planSink(input)).rejects.toThrow("A SAS token alone does not say which storage account it is for");
    await expect(planSink({ ...input, endpoint: "https://lakeacct.blob.core.windows.net" })).resolves.toMatchObject({ type: "AZURE", accountName: "lakeacct", bucket: "events" });
  });

  it("reads connection strings: with the account key (warned about), with a SAS, and the development storage", () => {
    const keyed = parseCredentials(`DefaultEndpointsProtocol=https;AccountName=lakeacct;AccountKey=${key};EndpointSuffix=core.windows.net`, "pasted");
    expect(keyed).toMatchObject({ kind: "azure-connection-string", endpoint: "https://lakeacct.blob.core.windows.net", accountName: "lakeacct" });
    expect(providerOf(keyed).describe(keyed).warnings?.[0]).toContain("grants everything in the account");
    expect(parseCredentials(`BlobEndpoint=https://lakeacct.blob.core.windows.net/;SharedAccessSignature=${token("cw", inDays(90), "ss=b&srt=co")}`, "pasted")).toMatchObject({ kind: "azure-sas", accountName: "lakeacct" });
    expect(parseCredentials("UseDevelopmentStorage=true", "pasted")).toMatchObject({ accountName: "devstoreaccount1", endpoint: "http://127.0.0.1:10000/devstoreaccount1" });
    const broken = failure("DefaultEndpointsProtocol=https;AccountName=lakeacct");
    expect(broken).toContain('is a connection string without "AccountKey"');
  });

  it("keeps the secret out of the plan's record and view", async () => {
    const plan = await planSink({ name: "blobs", bucket: "events", credentials: { from: "text", text: `https://lakeacct.blob.core.windows.net/events?${token()}`, label: "pasted" } });
    const provider = providerOf(plan);
    const record = provider.record(plan, "sink/x", { key: "k", uri: "az://events/k" }, { id: "i", createdAt: "t", updatedAt: "t", lastValidation: { at: "t", key: "k" } });
    expect(JSON.stringify(record)).not.toContain(sig);
    expect(JSON.stringify(provider.view(plan))).not.toContain(sig);
    expect(record).toMatchObject({ type: "AZURE", authorization: "sas", accountName: "lakeacct" });
  });
});

describe("the Azure setup document", () => {
  it("gives a stored policy with create and write only, an expiry, the SAS URL and how to rotate it", () => {
    const doc = azureSetupDocument({ bucket: "events", accountName: "lakeacct", pathPrefix: "clicks", now: new Date("2026-12-01T00:00:00Z") });
    expect(doc).toContain("--name streamdrop-writer --permissions cw --expiry 2027-12-01T00:00Z");
    expect(doc).toContain("https://lakeacct.blob.core.windows.net/events?$(az storage container generate-sas");
    expect(doc).toContain("az storage container policy delete");
    expect(doc).toContain("cannot be limited to the prefix `clicks`");
    expect(doc).toContain("streamdrop create sink events events --credentials-file streamdrop-sas.txt --path-prefix clicks");
    expect(() => azureSetupDocument({ bucket: "Bad_Name" })).toThrow("an Azure Blob container name may contain only lowercase letters");
  });
});

describe("Azure credentials, at their edges", () => {
  it("tells the account from the host only on Azure's own hosts", () => {
    expect(parseCredentials(`http://azurite:10000/devstoreaccount1/events?${token()}`, "pasted")).toMatchObject({ accountName: "devstoreaccount1", container: "events", endpoint: "http://azurite:10000/devstoreaccount1" });
    expect(parseCredentials(`https://lakeacct.privatelink.blob.core.windows.net/events?${token()}`, "pasted")).toMatchObject({ accountName: "lakeacct", container: "events" });
    expect(failure(`https://lakeacct.blob.core.windows.net/ev%ZZents?${token()}`)).toContain("not validly escaped");
  });

  it("reads JSON as JSON first, whatever a comment in it says", () => {
    const json = `// default;AccountName=x\n{"AccessKey": {"AccessKeyId": "AKIAFAKEFAKEFAKE0001", "SecretAccessKey": "${key}"}}`;
    expect(parseCredentials(json, "pasted")).toMatchObject({ store: "S3", kind: "aws-access-key" });
  });

  it("refuses a BlobEndpoint that is not a plain URL, and an endpoint that contradicts the SAS", async () => {
    expect(failure(`BlobEndpoint=ftp://x/;SharedAccessSignature=${token()}`)).toContain('"BlobEndpoint" is not a plain http(s) URL');
    expect(failure(`AccountName=lakeacct;AccountKey=${key};BlobEndpoint=https://lakeacct.blob.core.windows.net/?x=1`)).toContain('"BlobEndpoint" is not a plain');
    const sasUrl = `https://lakeacct.blob.core.windows.net/events?${token("rcw")}`;
    await expect(planSink({ name: "b", bucket: "events", endpoint: "https://other.blob.core.windows.net", credentials: { from: "text", text: sasUrl, label: "pasted" } })).rejects.toThrow("The credentials are for https://lakeacct.blob.core.windows.net, not the endpoint https://other.blob.core.windows.net.");
    const plan = await planSink({ name: "b", bucket: "events", credentials: { from: "text", text: sasUrl, label: "pasted" } });
    expect(providerOf(plan).warnings(plan)[0]).toContain("grants more than Streamdrop needs (r besides cw)");
    await expect(planSink({ name: "b", bucket: "events", endpoint: "https://lakeacct.blob.core.windows.net/events", credentials: { from: "text", text: token(), label: "pasted" } })).rejects.toThrow("goes beyond the storage account");
  });
});
