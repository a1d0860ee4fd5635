// Azure credentials by their form: SAS URLs (Azure's host style and an emulator's path style), bare
// SAS tokens, and connection strings. What a SAS grants is checked offline; no message ever quotes
// its signature or an account key. Signatures and keys here are random per run.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { StreamdropError } from "../../../main/core/errors.js";
import { parseCredentials } from "../../../main/core/sinks/credentials-file.js";
import { planSink } from "../../../main/core/sinks/sink-options.js";
import { azureSetupDocument } from "../../../main/core/stores/azure/setup-doc.js";
import { providerOf } from "../../../main/core/stores/registry.js";

const rawSig = randomBytes(32).toString("base64");
const sig = encodeURIComponent(rawSig);
const key = randomBytes(64).toString("base64");
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().replace(/\.\d+Z$/, "Z");
const token = (permissions = "cw", expires = inDays(90), extra = "sr=c") =>
  `sv=2025-01-05&${extra}&sp=${permissions}&se=${encodeURIComponent(expires)}&spr=https&sig=${sig}`;
/** An emulator speaks http: its SAS must allow it (Azure and Azurite refuse spr=https over http). */
const overHttp = (sas: string) => sas.replace("spr=https", "spr=https,http");
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
    expect(parsed).toMatchObject({
      store: "AZURE",
      kind: "azure-sas",
      endpoint: "https://lakeacct.blob.core.windows.net",
      accountName: "lakeacct",
      container: "events",
      permissions: "cw",
    });
    expect(providerOf(parsed).describe(parsed)).toMatchObject({ sinkType: "AZURE", bucket: "events", warnings: [] });
  });

  it("reads an emulator's SAS URL, with the account in the path", () => {
    expect(parseCredentials(`http://127.0.0.1:10000/devstoreaccount1/events?${overHttp(token())}`, "pasted")).toMatchObject({
      endpoint: "http://127.0.0.1:10000/devstoreaccount1",
      accountName: "devstoreaccount1",
      container: "events",
    });
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
    await expect(planSink({ ...input, endpoint: "https://lakeacct.blob.core.windows.net" })).resolves.toMatchObject({
      type: "AZURE",
      accountName: "lakeacct",
      bucket: "events",
    });
  });

  it("reads connection strings: with the account key (warned about), with a SAS, and the development storage", () => {
    const keyed = parseCredentials(`DefaultEndpointsProtocol=https;AccountName=lakeacct;AccountKey=${key};EndpointSuffix=core.windows.net`, "pasted");
    expect(keyed).toMatchObject({ kind: "azure-connection-string", endpoint: "https://lakeacct.blob.core.windows.net", accountName: "lakeacct" });
    expect(providerOf(keyed).describe(keyed).warnings?.[0]).toContain("grants everything in the account");
    expect(
      parseCredentials(`BlobEndpoint=https://lakeacct.blob.core.windows.net/;SharedAccessSignature=${token("cw", inDays(90), "ss=b&srt=co")}`, "pasted"),
    ).toMatchObject({ kind: "azure-sas", accountName: "lakeacct" });
    expect(parseCredentials("UseDevelopmentStorage=true", "pasted")).toMatchObject({
      accountName: "devstoreaccount1",
      endpoint: "http://127.0.0.1:10000/devstoreaccount1",
    });
    const broken = failure("DefaultEndpointsProtocol=https;AccountName=lakeacct");
    expect(broken).toContain('is a connection string without "AccountKey"');
  });

  it("keeps the secret out of the plan's record and view", async () => {
    const plan = await planSink({
      name: "blobs",
      bucket: "events",
      credentials: { from: "text", text: `https://lakeacct.blob.core.windows.net/events?${token()}`, label: "pasted" },
    });
    const provider = providerOf(plan);
    const record = provider.record(
      plan,
      "sink/x",
      { key: "k", uri: "az://events/k" },
      { id: "i", createdAt: "t", updatedAt: "t", lastValidation: { at: "t", key: "k" } },
    );
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
    expect(parseCredentials(`http://azurite:10000/devstoreaccount1/events?${overHttp(token())}`, "pasted")).toMatchObject({
      accountName: "devstoreaccount1",
      container: "events",
      endpoint: "http://azurite:10000/devstoreaccount1",
    });
    expect(parseCredentials(`https://lakeacct.privatelink.blob.core.windows.net/events?${token()}`, "pasted")).toMatchObject({
      accountName: "lakeacct",
      container: "events",
    });
    expect(failure(`https://lakeacct.blob.core.windows.net/ev%ZZents?${token()}`)).toContain("not validly escaped");
  });

  it("reads JSON as JSON first, whatever a comment in it says", () => {
    const json = `// default;AccountName=x\n{"AccessKey": {"AccessKeyId": "AKIAFAKEFAKEFAKE0001", "SecretAccessKey": "${key}"}}`;
    expect(parseCredentials(json, "pasted")).toMatchObject({ store: "S3", kind: "aws-access-key" });
  });

  it("refuses a BlobEndpoint that is not a plain URL, and an endpoint that contradicts the SAS", async () => {
    expect(failure(`BlobEndpoint=ftp://x/;SharedAccessSignature=${token()}`)).toContain('"BlobEndpoint" is not a plain http(s) URL');
    expect(failure(`AccountName=lakeacct;AccountKey=${key};BlobEndpoint=https://lakeacct.blob.core.windows.net/?x=1`)).toContain(
      '"BlobEndpoint" is not a plain',
    );
    const sasUrl = `https://lakeacct.blob.core.windows.net/events?${token("rcw")}`;
    await expect(
      planSink({ name: "b", bucket: "events", endpoint: "https://other.blob.core.windows.net", credentials: { from: "text", text: sasUrl, label: "pasted" } }),
    ).rejects.toThrow("The credentials are for https://lakeacct.blob.core.windows.net, not the endpoint https://other.blob.core.windows.net.");
    const plan = await planSink({ name: "b", bucket: "events", credentials: { from: "text", text: sasUrl, label: "pasted" } });
    expect(providerOf(plan).warnings(plan)[0]).toContain("grants more than Streamdrop needs (r besides cw)");
    await expect(
      planSink({
        name: "b",
        bucket: "events",
        endpoint: "https://lakeacct.blob.core.windows.net/events",
        credentials: { from: "text", text: token(), label: "pasted" },
      }),
    ).rejects.toThrow("goes beyond the storage account");
  });
});

// Issue #31: credentials an adversarial probe found passing the offline check (and a dry run),
// then blamed on the network by a real create; and their neighbours. Each is refused offline,
// naming the part that is wrong, never quoting the signature or the account key.
describe("Azure credentials that are malformed", () => {
  const base = (permissions = "cw") => `sv=2025-01-05&sr=c&sp=${permissions}&se=${encodeURIComponent(inDays(90))}`;
  const sasWith = (fields: string) => `https://acct1.blob.core.windows.net/events?${fields}`;
  const keyed = (parts: string) => `${parts};AccountKey=${key}`;
  /** The refusal of `text`: a credentials error (no network was asked) whose message names `part` and never a secret. */
  const refusedNaming = (text: string, part: string) => {
    let refusal: unknown;
    try {
      parseCredentials(text, "pasted");
    } catch (error) {
      refusal = error;
    }
    expect(refusal, text).toBeInstanceOf(StreamdropError);
    expect((refusal as StreamdropError).code).toBe("credentials");
    const message = (refusal as Error).message;
    expect(message).toContain(part);
    expect(message).toMatch(/Copy|Set|Use|Give|Generate|give/);
    for (const secret of [sig, decodeURIComponent(sig), key]) expect(message).not.toContain(secret);
    return message;
  };

  it("refuses each credential the probe found, as a dry run plans it, naming the part", async () => {
    const probes: Array<[string, string]> = [
      [
        `DefaultEndpointsProtocol=ftp;AccountName=acct1;AccountKey=${key}`,
        '"DefaultEndpointsProtocol" is neither https nor http. Set DefaultEndpointsProtocol=https',
      ],
      [
        `DefaultEndpointsProtocol=https;AccountName=acct1;AccountKey=${key};EndpointSuffix=evil.example/x?y=`,
        '"EndpointSuffix" is not a host name suffix such as core.windows.net (letters, digits, hyphens and dots only: no port, path, query or "@")',
      ],
      [
        `DefaultEndpointsProtocol=https;AccountName=ac/ct;AccountKey=${key}`,
        '"AccountName" is not a storage account name: Azure\'s are 3 to 24 lowercase letters and digits',
      ],
      [sasWith(`${base()}&sig=${sig}%ZZ`), 'holds a SAS whose "sig" is not validly percent-encoded'],
      [sasWith(`sv=2025-01-05&sr=c&sp=cw&se=99999-01-01&sig=${sig}`), 'holds a SAS whose expiry "se" is not a UTC time such as 2026-12-31T23:59:59Z'],
    ];
    for (const [text, message] of probes) {
      refusedNaming(text, message);
      // `create sink --dry-run` plans the sink offline: it refuses them too, before any network.
      await expect(planSink({ name: "blobs", bucket: "events", credentials: { from: "text", text, label: "pasted" } })).rejects.toThrow(message);
    }
  });

  it.each([
    ["file", "DefaultEndpointsProtocol=file"],
    ["an empty protocol", "DefaultEndpointsProtocol="],
    ["a protocol with its colon", "DefaultEndpointsProtocol=https:"],
    ["a protocol with a host", "DefaultEndpointsProtocol=https://evil.example/"],
  ])("refuses %s as DefaultEndpointsProtocol", (_what, part) => {
    refusedNaming(keyed(`${part};AccountName=acct1`), '"DefaultEndpointsProtocol" is neither https nor http');
  });

  it.each([
    "evil.example:8443",
    "evil.example/x",
    "user@evil.example",
    "evil.example?x=1",
    "evil.example#x",
    "core.windows.net.",
    ".core.windows.net",
    "core..windows.net",
    "10.0.0.1",
    "",
    "core windows.net",
    "evil_example.net",
  ])("refuses EndpointSuffix=%j", (suffix) => {
    refusedNaming(keyed(`AccountName=acct1;EndpointSuffix=${suffix}`), '"EndpointSuffix" is not a host name suffix');
  });

  it("refuses an EndpointSuffix that starts with blob. (the suffix is what follows it)", () => {
    refusedNaming(keyed("AccountName=acct1;EndpointSuffix=blob.core.windows.net"), '"EndpointSuffix" starts with "blob."');
  });

  it.each(["ac/ct", "AcctOne", "ab", "a".repeat(25), "acct-1", "acct.evil.example", "acct@evil", "acct:80", "acct%2F1"])("refuses AccountName=%j", (name) => {
    refusedNaming(keyed(`AccountName=${name}`), '"AccountName" is not a storage account name');
  });

  it("refuses an account key that is not base64 or was cut short, naming it only; an emulator's may be short", () => {
    expect(parseCredentials("AccountName=account1;AccountKey=a2V5MQ==;BlobEndpoint=http://127.0.0.1:10000/account1", "pasted")).toMatchObject({
      accountName: "account1",
    });
    for (const broken of ["not-base64!", key.slice(0, -2), key.slice(0, 80), `${key.slice(0, 40)} ${key.slice(40)}`]) {
      const message = refusedNaming(`AccountName=acct1;AccountKey=${broken}`, '"AccountKey" is not the base64 of an account key');
      expect(message).not.toContain(broken);
    }
  });

  it.each([
    ["a container in its path", "https://acct1.blob.core.windows.net/events", '"BlobEndpoint" goes beyond the storage account'],
    ["a container after the emulator's account", "http://127.0.0.1:10000/devstoreaccount1/events", '"BlobEndpoint" goes beyond the storage account'],
    [
      "an account outside Azure's rule in the path",
      "http://127.0.0.1:10000/Dev_Account",
      '"BlobEndpoint" names a storage account (the first folder of its path) that is not 3 to 24 lowercase',
    ],
    ["an escaped slash in the account", "http://127.0.0.1:10000/ac%2Fct", '"BlobEndpoint" names a storage account'],
    ["a user name", "https://me:pw@acct1.blob.core.windows.net", '"BlobEndpoint" is not a plain http(s) URL'],
    ["a fragment", "https://acct1.blob.core.windows.net/#x", '"BlobEndpoint" is not a plain http(s) URL'],
    ["another scheme", "javascript:alert(1)", '"BlobEndpoint" is not a plain http(s) URL'],
    [
      "another account than AccountName",
      "https://other1.blob.core.windows.net/",
      '"AccountName" (acct1) is not the account its "BlobEndpoint" is for (other1)',
    ],
  ])("refuses a BlobEndpoint with %s", (_what, endpoint, message) => {
    refusedNaming(keyed(`AccountName=acct1;BlobEndpoint=${endpoint}`), message);
  });

  it("refuses a connection string that gives a part twice", () => {
    refusedNaming(keyed("AccountName=acct1;accountname=other1"), 'gives "accountname" twice');
  });

  it.each([
    ["a truncated escape", `&sig=${sig.slice(0, -1)}`, '"sig" is not validly percent-encoded'],
    ["an escape that is not UTF-8", `&sig=${sig}%FF`, '"sig" is not validly percent-encoded'],
    ["a malformed escape in another field", `&sig=${sig}&skoid=%G1`, '"skoid" is not validly percent-encoded'],
    ["a signature that is not base64", "&sig=not-a-signature", 'signature "sig" is not 44 base64 characters'],
    // Cut before it is escaped: a cut inside a %2B escape would be another refusal.
    ["a signature cut short", `&sig=${encodeURIComponent(rawSig.slice(0, 20))}`, 'signature "sig" is not 44 base64 characters'],
    ["a signature whose + was not escaped", `&sig=${Buffer.alloc(32, 0xfb).toString("base64")}`, 'a "+" in it must be written %2B'],
    ["an empty signature", "&sig=", 'it needs at least "sv" and "sig"'],
    ["two signatures", `&sig=${sig}&sig=${sig}`, 'gives "sig" twice'],
  ])("refuses a SAS with %s", (_what, tail, message) => {
    refusedNaming(sasWith(`${base()}${tail}`), message);
  });

  it.each([
    ["a month 13", "sv=2025-13-01", 'service version "sv" is not a date'],
    ["a word", "sv=latest", 'service version "sv" is not a date'],
    ["a time", "sv=2025-01-05T00:00:00Z", 'service version "sv" is not a date'],
  ])("refuses a service version with %s", (_what, version, message) => {
    refusedNaming(sasWith(`${version}&sr=c&sp=cw&se=${encodeURIComponent(inDays(90))}&sig=${sig}`), message);
  });

  it.each([
    "99999-01-01",
    "2030-02-30",
    "2030-01-01T24:00:00Z",
    "2030-01-01T10:60Z",
    "2030-01-01T10:00:00",
    "2030-01-01T10:00:00+01:00",
    "2030-1-1",
    "tomorrow",
    "",
  ])("refuses an expiry se=%j", (expiry) => {
    refusedNaming(sasWith(`sv=2025-01-05&sr=c&sp=cw&se=${encodeURIComponent(expiry)}&sig=${sig}`), 'expiry "se" is not a UTC time');
  });

  it("refuses a start that is not a time, after the expiry, or still ahead", () => {
    const withStart = (start: string, expiry = inDays(90)) =>
      sasWith(`sv=2025-01-05&sr=c&sp=cw&st=${encodeURIComponent(start)}&se=${encodeURIComponent(expiry)}&sig=${sig}`);
    refusedNaming(withStart("yesterday"), 'start "st" is not a UTC time');
    refusedNaming(withStart(inDays(91)), "no earlier than it expires (se, ");
    refusedNaming(withStart(inDays(90)), "no earlier than it expires (se, ");
    refusedNaming(withStart(inDays(2)), "is valid only from 20");
  });

  it.each([
    ["a letter Azure does not know", "cwz", 'permissions "sp" have letters Azure does not know (z)'],
    ["capital letters", "CW", 'permissions "sp" have letters Azure does not know (CW)'],
    ["nothing", "", 'permissions "sp" are empty'],
  ])("refuses permissions with %s", (_what, permissions, message) => {
    refusedNaming(sasWith(`${base(permissions)}&sig=${sig}`), message);
  });

  it("refuses a SAS that says neither its permissions or expiry nor a stored access policy", () => {
    refusedNaming(sasWith(`sv=2025-01-05&sr=c&se=${encodeURIComponent(inDays(90))}&sig=${sig}`), 'neither permissions "sp" nor a stored access policy "si"');
    refusedNaming(sasWith(`sv=2025-01-05&sr=c&sp=cw&sig=${sig}`), 'neither an expiry "se" nor a stored access policy "si"');
  });

  it("refuses a SAS for another resource, and account SASes that cannot create blobs", () => {
    refusedNaming(sasWith(`${base()}&sr=%3Cscript%3E&sig=${sig}`.replace("sr=c&", "")), "is a SAS for another resource");
    const account = (services: string) =>
      `https://acct1.blob.core.windows.net/?sv=2025-01-05&${services}&sp=cw&se=${encodeURIComponent(inDays(90))}&sig=${sig}`;
    refusedNaming(account("ss=q&srt=o"), 'without the Blob service (b) among its services "ss"');
    refusedNaming(account("ss=bz&srt=o"), 'services "ss" have letters Azure does not know (z)');
    refusedNaming(account("ss=b&srt=sc"), 'without objects (o) among its resource types "srt"');
    refusedNaming(account("srt=o"), 'without the Blob service (b) among its services "ss"');
    refusedNaming(account("ss=b"), 'without objects (o) among its resource types "srt"');
  });

  it("refuses protocols Azure does not take, and https-only over http", async () => {
    refusedNaming(sasWith(`${base()}&spr=http&sig=${sig}`), 'protocols "spr" are neither "https" nor "https,http"');
    refusedNaming(`http://127.0.0.1:10000/devstoreaccount1/events?${base()}&spr=https&sig=${sig}`, "may be used over https only");
    const bare = `${base()}&spr=https&sig=${sig}`;
    await expect(
      planSink({
        name: "b",
        bucket: "events",
        endpoint: "http://127.0.0.1:10000/devstoreaccount1",
        credentials: { from: "text", text: bare, label: "pasted" },
      }),
    ).rejects.toThrow("The SAS may be used over https only");
  });

  it("refuses SAS URLs that point elsewhere than a storage account", async () => {
    const tail = `${base()}&sig=${sig}`;
    refusedNaming(
      `http://127.0.0.1:10000/ac%2Fct/events?${tail}`,
      "storage account (the first folder of its path) is not 3 to 24 lowercase letters and digits",
    );
    refusedNaming(`http://127.0.0.1:10000/DevAccount/events?${tail}`, "storage account (the first folder of its path)");
    refusedNaming(`https://me:pw@acct1.blob.core.windows.net/events?${tail}`, "with a user name or password before its host");
    refusedNaming(`https://acct1.blob.core.windows.net/events?${tail}#more`, 'with a "#" in it');
    refusedNaming(`${tail.replace("sig=", 'sig="')}`, "characters a URL's query cannot hold");
    // A bare token's account is the endpoint's: it must name one too.
    await expect(
      planSink({ name: "b", bucket: "events", endpoint: "https://ac/ct", credentials: { from: "text", text: tail, label: "pasted" } }),
    ).rejects.toThrow("does not name a storage account (3 to 24 lowercase letters and digits)");
  });
});

describe("Azure credentials in every valid form, still taken", () => {
  const expiry = encodeURIComponent(inDays(90));
  it("takes development storage, Azurite's full string and privatelink endpoints", () => {
    expect(parseCredentials("UseDevelopmentStorage=true", "pasted")).toMatchObject({
      kind: "azure-connection-string",
      endpoint: "http://127.0.0.1:10000/devstoreaccount1",
    });
    const azurite =
      "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";
    expect(parseCredentials(azurite, "pasted")).toMatchObject({
      kind: "azure-connection-string",
      endpoint: "http://127.0.0.1:10000/devstoreaccount1",
      accountName: "devstoreaccount1",
    });
    expect(
      parseCredentials(`AccountName=lakeacct;AccountKey=${key};BlobEndpoint="https://lakeacct.privatelink.blob.core.windows.net/"`, "pasted"),
    ).toMatchObject({ endpoint: "https://lakeacct.privatelink.blob.core.windows.net", accountName: "lakeacct" });
    expect(parseCredentials(`BlobEndpoint=https://lakeacct.privatelink.blob.core.windows.net/;SharedAccessSignature=${token()}`, "pasted")).toMatchObject({
      kind: "azure-sas",
      accountName: "lakeacct",
    });
  });

  it.each([
    ["core.chinacloudapi.cn", "https://lakeacct.blob.core.chinacloudapi.cn"],
    ["core.usgovcloudapi.net", "https://lakeacct.blob.core.usgovcloudapi.net"],
    ["local.azurestack.external", "https://lakeacct.blob.local.azurestack.external"],
  ])("takes the suffix %s", (suffix, endpoint) => {
    expect(parseCredentials(`DefaultEndpointsProtocol=HTTPS;AccountName=lakeacct;AccountKey=${key};EndpointSuffix=${suffix}`, "pasted")).toMatchObject({
      endpoint,
    });
  });

  it("takes a SAS with a stored access policy, with or without its own expiry", () => {
    const policy = parseCredentials(`https://lakeacct.blob.core.windows.net/events?sv=2025-01-05&sr=c&si=streamdrop-writer&sig=${sig}`, "pasted");
    expect(policy).toMatchObject({ kind: "azure-sas", container: "events" });
    expect(policy).not.toHaveProperty("permissions");
    expect(
      parseCredentials(`https://lakeacct.blob.core.windows.net/events?sv=2025-01-05&sr=c&si=streamdrop-writer&se=${expiry}&sig=${sig}`, "pasted"),
    ).toMatchObject({ expiresOn: expect.any(String) });
  });

  it.each([
    ["2030-01-01", "2030-01-01T00:00:00.000Z"],
    ["2030-01-01T10:20Z", "2030-01-01T10:20:00.000Z"],
    ["2030-01-01T10:20:30Z", "2030-01-01T10:20:30.000Z"],
    ["2030-01-01T10:20:30.1234567Z", "2030-01-01T10:20:30.123Z"],
    ["2028-02-29", "2028-02-29T00:00:00.000Z"],
  ])("takes the expiry se=%s", (se, expiresOn) => {
    expect(
      parseCredentials(`https://lakeacct.blob.core.windows.net/events?sv=2025-01-05&sr=c&sp=cw&se=${encodeURIComponent(se)}&sig=${sig}`, "pasted"),
    ).toMatchObject({ expiresOn });
  });

  it("takes a start in the past or within clock skew, an escaped + in the signature, account SASes and both protocols", () => {
    const url = (fields: string) =>
      `https://lakeacct.blob.core.windows.net/events?sv=2025-01-05&${fields}&sig=${encodeURIComponent(Buffer.alloc(32, 0xfb).toString("base64"))}`;
    expect(parseCredentials(url(`sr=c&sp=cw&st=${encodeURIComponent(inDays(-1))}&se=${expiry}`), "pasted")).toMatchObject({ permissions: "cw" });
    expect(parseCredentials(url(`sr=c&sp=cw&st=${encodeURIComponent(new Date(Date.now() + 5 * 60_000).toISOString())}&se=${expiry}`), "pasted")).toMatchObject({
      permissions: "cw",
    });
    expect(
      parseCredentials(`https://lakeacct.blob.core.windows.net/?sv=2025-01-05&ss=bfqt&srt=sco&sp=rwdlacupiytfx&se=${expiry}&spr=https&sig=${sig}`, "pasted"),
    ).toMatchObject({ kind: "azure-sas", accountName: "lakeacct" });
    expect(
      parseCredentials(`http://127.0.0.1:10000/devstoreaccount1/events?sv=2025-01-05&sr=c&sp=cw&se=${expiry}&spr=https,http&sig=${sig}`, "pasted"),
    ).toMatchObject({ accountName: "devstoreaccount1" });
  });
});
