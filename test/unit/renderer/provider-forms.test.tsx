// @vitest-environment jsdom
// The Streams view's provider forms, with a fake API behind the store: each provider shows only the
// logins it offers (common/kafka-providers.ts) and each login only its fields; "Test the connection"
// sends the whole login as the contract takes it; a failure's fixes offer the login's field; a
// saved stream shows who logs in and its client certificate, and keeps its login while changed.
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kafkaProviders, loginLabels, providerIds, type LoginKind, type ProviderId } from "../../../common/kafka-providers.js";
import type { StreamInfo } from "../../../preload/contract.js";
import { StreamsView } from "../../../renderer/src/components/StreamsView.js";
import { parseExtensionLines, providerFor } from "../../../renderer/src/components/login-input.js";
import { useStore } from "../../../renderer/src/store/index.js";
import { fakeApi, type FakeApi } from "../../support/fake-api.js";

let api: FakeApi;

beforeEach(() => {
  api = fakeApi({ "streams:topics": ["orders"], "streams:list": [] }, []);
  useStore.setState({ ...useStore.getInitialState(), loaded: true }, true);
});
afterEach(cleanup);

const form = () => within(screen.getByRole("form", { name: "A new stream" }));
const openForm = () => {
  render(<StreamsView />);
  fireEvent.click(screen.getByRole("button", { name: "Add a stream" }));
};
const choose = (label: string, value: string) => fireEvent.change(form().getByLabelText(label), { target: { value } });
const type = (label: string, value: string) => fireEvent.change(form().getByLabelText(label), { target: { value } });
const chooseFile = (label: string, file: File) => fireEvent.change(form().getByLabelText(label), { target: { files: [file] } });
/** Tests the connection, and returns what streams:topics was given. */
async function tested(): Promise<unknown> {
  const button = form().getByRole("button", { name: "Test the connection" });
  expect((button as HTMLButtonElement).disabled).toBe(false);
  fireEvent.click(button);
  await waitFor(() => expect(api.invoke.mock.calls.some(([channel]) => channel === "streams:topics")).toBe(true));
  return api.invoke.mock.calls.find(([channel]) => channel === "streams:topics")![1];
}

/** Labels of the fields each login has, and of no other login. */
const fieldsOf: Record<LoginKind, (provider: ProviderId) => string[]> = {
  none: () => [],
  plain: (provider) => passwordFields(provider),
  "scram-sha-256": (provider) => passwordFields(provider),
  "scram-sha-512": (provider) => passwordFields(provider),
  oauthbearer: (provider) => [
    "Token endpoint",
    "Client ID",
    "Client secret",
    "Scope (optional)",
    ...(provider === "confluent" ? ["Logical cluster ID", "Identity pool ID"] : ["SASL extensions (optional)"]),
  ],
  "aws-msk-iam": () => ["AWS region", "AWS default credentials", "An access key", "AWS profile (optional)", "Role to assume (optional)"],
  mtls: () => ["A certificate file and a key file (PEM)", "One PKCS#12 file (.p12 or .pfx)", "Client certificate file", "Client key file"],
};
const passwordFields = (provider: ProviderId) => {
  const { words, fixedUsername } = kafkaProviders[provider];
  return [...(fixedUsername ? [] : [words?.username ?? "SASL user name"]), words?.password ?? "SASL password"];
};
const everyField = [...new Set(providerIds.flatMap((provider) => Object.values(fieldsOf).flatMap((fields) => fields(provider))))];

describe("each provider's form", () => {
  it("offers the providers of common/kafka-providers.ts, and each provider's help and bootstrap hint", () => {
    openForm();
    const options = within(form().getByLabelText("Provider")).getAllByRole("option");
    expect(options.map((option) => option.textContent)).toEqual(providerIds.map((id) => kafkaProviders[id].label));
    for (const id of providerIds) {
      choose("Provider", id);
      expect(form().getByText(kafkaProviders[id].help)).toBeTruthy();
      expect(form().getByLabelText("Kafka bootstrap servers").getAttribute("placeholder")).toBe(kafkaProviders[id].bootstrapHint);
    }
  });

  for (const provider of providerIds) {
    it(`${kafkaProviders[provider].label}: only its logins, each with only its fields`, () => {
      openForm();
      choose("Provider", provider);
      const { logins, tls } = kafkaProviders[provider];
      if (logins.length > 1) {
        const options = within(form().getByLabelText("Login")).getAllByRole("option");
        expect(options.map((option) => option.textContent)).toEqual(logins.map((kind) => loginLabels[kind]));
      } else {
        expect(form().queryByLabelText("Login")).toBeNull();
        expect(form().getByText(`Login: ${loginLabels[logins[0]!]}`)).toBeTruthy();
      }
      for (const login of logins) {
        if (logins.length > 1) choose("Login", login);
        const shown = fieldsOf[login](provider);
        for (const label of everyField) expect(form().queryByLabelText(label) !== null, `${provider} ${login}: ${label}`).toBe(shown.includes(label));
        // TLS is a choice only where the provider does not always speak it, and a client certificate does not need it.
        expect(form().queryByLabelText("Connect with TLS") !== null, `${provider} ${login}: TLS`).toBe(!tls && login !== "mtls");
        expect(form().queryByLabelText("CA certificate (optional)") !== null).toBe(tls || login === "mtls");
      }
    });
  }
});

describe("the input each form builds", () => {
  it("Azure Event Hubs: SASL PLAIN as $ConnectionString, with the connection string as password, over TLS", async () => {
    openForm();
    choose("Provider", "event-hubs");
    expect(form().queryByLabelText("SASL user name")).toBeNull();
    type("Kafka bootstrap servers", "ns.servicebus.windows.net:9093");
    type("Connection string", "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=abc");
    expect(await tested()).toEqual({
      bootstrapServers: "ns.servicebus.windows.net:9093",
      ssl: true,
      sasl: {
        mechanism: "plain",
        username: "$ConnectionString",
        password: "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=abc",
      },
    });
  });

  it("Confluent Cloud: an API key and secret, or OAuth with its two extensions", async () => {
    openForm();
    choose("Provider", "confluent");
    // The local default makes no sense at a managed service: its hint shows instead.
    expect((form().getByLabelText("Kafka bootstrap servers") as HTMLInputElement).value).toBe("");
    type("Kafka bootstrap servers", "pkc-1.us-east-1.aws.confluent.cloud:9092");
    type("API key", "KEY1");
    type("API secret", "s3cret");
    expect(await tested()).toMatchObject({ ssl: true, sasl: { mechanism: "plain", username: "KEY1", password: "s3cret" } });

    api.invoke.mockClear();
    choose("Login", "oauthbearer");
    type("Token endpoint", "https://idp.example.com/oauth2/token");
    type("Client ID", "streamdrop");
    type("Client secret", "client-s3cret");
    // The logical cluster is needed; the identity pool is not (pools matched by the token's claims).
    expect((form().getByRole("button", { name: "Test the connection" }) as HTMLButtonElement).disabled).toBe(true);
    type("Logical cluster ID", "lkc-abc123");
    expect((form().getByRole("button", { name: "Test the connection" }) as HTMLButtonElement).disabled).toBe(false);
    type("Identity pool ID", "pool-AbCd");
    expect(await tested()).toEqual({
      bootstrapServers: "pkc-1.us-east-1.aws.confluent.cloud:9092",
      ssl: true,
      sasl: {
        mechanism: "oauthbearer",
        tokenEndpoint: "https://idp.example.com/oauth2/token",
        clientId: "streamdrop",
        clientSecret: "client-s3cret",
        extensions: { logicalCluster: "lkc-abc123", identityPoolId: "pool-AbCd" },
      },
    });
  });

  it("Other Kafka: OAuth with free name=value extensions and a scope, TLS as chosen", async () => {
    openForm();
    choose("Provider", "other");
    choose("Login", "oauthbearer");
    type("Token endpoint", "http://127.0.0.1:8080/token");
    type("Client ID", "c");
    type("Client secret", "s");
    type("Scope (optional)", "kafka");
    type("SASL extensions (optional)", "not a pair");
    expect(form().getByText(/is not name=value/)).toBeTruthy();
    expect((form().getByRole("button", { name: "Test the connection" }) as HTMLButtonElement).disabled).toBe(true);
    type("SASL extensions (optional)", "traceId=abc\n\nregion = eu");
    expect(await tested()).toEqual({
      bootstrapServers: "127.0.0.1:9092",
      ssl: false,
      sasl: {
        mechanism: "oauthbearer",
        tokenEndpoint: "http://127.0.0.1:8080/token",
        clientId: "c",
        clientSecret: "s",
        scope: "kafka",
        extensions: { traceId: "abc", region: "eu" },
      },
    });
  });

  it("Amazon MSK: IAM with the default credentials (a profile, a role), or an access key", async () => {
    openForm();
    choose("Provider", "msk");
    type("Kafka bootstrap servers", "b-1.c.kafka.eu-west-1.amazonaws.com:9098");
    type("AWS region", "eu-west-1");
    type("AWS profile (optional)", "prod");
    type("Role to assume (optional)", "arn:aws:iam::123456789012:role/reader");
    expect(await tested()).toEqual({
      bootstrapServers: "b-1.c.kafka.eu-west-1.amazonaws.com:9098",
      ssl: true,
      sasl: { mechanism: "aws-msk-iam", region: "eu-west-1", profile: "prod", assumeRoleArn: "arn:aws:iam::123456789012:role/reader" },
    });

    api.invoke.mockClear();
    fireEvent.click(form().getByLabelText("An access key"));
    expect(form().queryByLabelText("AWS profile (optional)")).toBeNull();
    type("Access key ID", "AKIAEXAMPLE");
    type("Secret access key", "wJalr");
    expect(await tested()).toMatchObject({
      sasl: {
        mechanism: "aws-msk-iam",
        region: "eu-west-1",
        accessKey: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "wJalr" },
        assumeRoleArn: "arn:aws:iam::123456789012:role/reader",
      },
    });
    expect((api.invoke.mock.calls.find(([channel]) => channel === "streams:topics")![1] as { sasl: object }).sasl).not.toHaveProperty("profile");
  });

  it("Aiven: the CA, the certificate and the key as PEM; or one PKCS#12 file as base64 with its password", async () => {
    openForm();
    choose("Provider", "aiven");
    expect((form().getByLabelText("Login") as HTMLSelectElement).value).toBe("mtls");
    type("Kafka bootstrap servers", "kafka-1-p.aivencloud.com:12345");
    chooseFile("CA certificate (optional)", new File(["-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n"], "ca.pem"));
    chooseFile("Client certificate file", new File(["-----BEGIN CERTIFICATE-----\nME\n-----END CERTIFICATE-----\n"], "service.cert"));
    await form().findByText("Using service.cert.");
    expect((form().getByRole("button", { name: "Test the connection" }) as HTMLButtonElement).disabled).toBe(true);
    chooseFile("Client key file", new File(["-----BEGIN PRIVATE KEY-----\nK\n-----END PRIVATE KEY-----\n"], "service.key"));
    await form().findByText("Using service.key.");
    await form().findByText("Using ca.pem.");
    expect(await tested()).toEqual({
      bootstrapServers: "kafka-1-p.aivencloud.com:12345",
      ssl: true,
      caPem: "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n",
      clientCertificate: {
        format: "pem",
        cert: "-----BEGIN CERTIFICATE-----\nME\n-----END CERTIFICATE-----\n",
        privateKey: "-----BEGIN PRIVATE KEY-----\nK\n-----END PRIVATE KEY-----\n",
      },
    });

    api.invoke.mockClear();
    fireEvent.click(form().getByLabelText("One PKCS#12 file (.p12 or .pfx)"));
    const bytes = new Uint8Array([0x30, 0x82, 0x00, 0xff, 0xfe, 0x01]);
    chooseFile("PKCS#12 file", new File([bytes], "client.p12"));
    await form().findByText("Using client.p12.");
    type("PKCS#12 password (optional)", "changeit");
    expect(await tested()).toMatchObject({
      clientCertificate: { format: "pkcs12", p12Base64: Buffer.from(bytes).toString("base64"), password: "changeit" },
    });
  });

  it("Redpanda Cloud: SCRAM over TLS, SHA-256 or SHA-512", async () => {
    openForm();
    choose("Provider", "redpanda");
    type("Kafka bootstrap servers", "seed-1.x.fmc.prd.cloud.redpanda.com:9092");
    choose("Login", "scram-sha-512");
    type("SASL user name", "me");
    type("SASL password", "pw");
    expect(await tested()).toEqual({
      bootstrapServers: "seed-1.x.fmc.prd.cloud.redpanda.com:9092",
      ssl: true,
      sasl: { mechanism: "scram-sha-512", username: "me", password: "pw" },
    });
  });
});

describe("a failure's fixes", () => {
  it("offer the login's field: the client certificate's chooser, the OAuth client, the AWS credentials", async () => {
    api = fakeApi(
      {
        "streams:topics": (input: { sasl?: { mechanism: string } }) => ({
          failure: {
            code: "credentials",
            message: `Kafka at b:9092 refused it (${input.sasl?.mechanism ?? "certificate"}).`,
            fixes: [
              { id: "set", setting: "client-certificate" },
              { id: "set", setting: "oidc-client" },
              { id: "set", setting: "aws-credentials" },
            ],
          },
        }),
      },
      [],
    );
    openForm();
    choose("Provider", "other");
    choose("Login", "plain");
    type("SASL user name", "me");
    type("SASL password", "pw");
    fireEvent.click(form().getByRole("button", { name: "Test the connection" }));
    const alert = await form().findByRole("alert");
    expect(alert.textContent).toContain("Kafka at b:9092 refused it (plain).");
    // No CLI option reaches the window.
    expect(document.body.textContent).not.toMatch(/--[a-z]/);

    fireEvent.click(within(alert).getByRole("button", { name: "Change the OAuth client" }));
    expect((form().getByLabelText("Login") as HTMLSelectElement).value).toBe("oauthbearer");
    await waitFor(() => expect(document.activeElement).toBe(form().getByLabelText("Token endpoint")));

    fireEvent.click(within(alert).getByRole("button", { name: "Change the AWS credentials" }));
    expect((form().getByLabelText("Login") as HTMLSelectElement).value).toBe("aws-msk-iam");
    await waitFor(() => expect(document.activeElement).toBe(form().getByLabelText("AWS default credentials")));

    const chooser = new Promise<void>((resolve) => {
      const listener = (event: Event) => {
        if ((event.target as HTMLInputElement).type === "file") {
          document.removeEventListener("click", listener, true);
          resolve();
        }
      };
      document.addEventListener("click", listener, true);
    });
    fireEvent.click(within(alert).getByRole("button", { name: "Choose the client certificate" }));
    expect((form().getByLabelText("Login") as HTMLSelectElement).value).toBe("mtls");
    await chooser;
  });

  it("shows an MSK permission's statement to add, ready to copy", async () => {
    const statement = { Effect: "Allow" as const, Action: ["kafka-cluster:ReadData"], Resource: "arn:aws:kafka:eu-west-1:1:topic/c/*" };
    api = fakeApi(
      { "streams:topics": { failure: { code: "credentials", message: "Access denied.", fixes: [{ id: "add-policy-statement", statement }] } } },
      [],
    );
    openForm();
    choose("Provider", "msk");
    type("Kafka bootstrap servers", "b-1.c.kafka.eu-west-1.amazonaws.com:9098");
    type("AWS region", "eu-west-1");
    fireEvent.click(form().getByRole("button", { name: "Test the connection" }));
    const alert = await form().findByRole("alert");
    expect(within(alert).getByLabelText("The statement to add").textContent).toContain("kafka-cluster:ReadData");
    expect(within(alert).getByRole("button", { name: "Copy the statement" })).toBeTruthy();
  });
});

const saved: StreamInfo = {
  name: "clicks",
  topic: "clicks",
  bootstrapServers: ["pkc-1.us-east-1.aws.confluent.cloud:9092"],
  ssl: true,
  customCa: false,
  sasl: { mechanism: "oauthbearer", who: "OIDC client streamdrop" },
  exporters: [],
};

describe("a saved stream", () => {
  it("shows who logs in, and its client certificate with a warning near expiry", () => {
    useStore.setState({
      streams: [
        saved,
        {
          ...saved,
          name: "aiven",
          bootstrapServers: ["kafka-1-p.aivencloud.com:12345"],
          sasl: undefined,
          clientCertificate: {
            subject: "CN=streamdrop",
            expiresAt: "2027-01-01T00:00:00.000Z",
            warning: "The client certificate (CN=streamdrop) expires on 2027-01-01, in 26 days.",
          },
        } as StreamInfo,
      ],
    });
    render(<StreamsView />);
    const oauth = screen.getByRole("article", { name: "clicks" });
    expect(within(oauth).getByText("OAuth as OIDC client streamdrop (client secret in the OS keychain)")).toBeTruthy();
    const aiven = screen.getByRole("article", { name: "aiven" });
    expect(within(aiven).getByText("CN=streamdrop, valid until 2027-01-01")).toBeTruthy();
    expect(within(aiven).getByRole("alert").textContent).toContain("expires on 2027-01-01, in 26 days.");
  });

  it("keeps its login while nothing of it is typed again, and replaces it when all of it is", async () => {
    api = fakeApi({ "streams:update": (input: { name: string }) => ({ ...saved, name: input.name }), "streams:list": [saved] }, []);
    useStore.setState({ streams: [saved] });
    render(<StreamsView />);
    fireEvent.click(screen.getByRole("button", { name: "Change the connection" }));
    const edit = within(screen.getByRole("form", { name: "The connection of clicks" }));
    // Its provider, from its servers; its login, from the stream.
    expect((edit.getByLabelText("Provider") as HTMLSelectElement).value).toBe("confluent");
    expect((edit.getByLabelText("Login") as HTMLSelectElement).value).toBe("oauthbearer");
    fireEvent.change(edit.getByLabelText("Kafka bootstrap servers"), { target: { value: "pkc-2.us-east-1.aws.confluent.cloud:9092" } });
    fireEvent.click(edit.getByRole("button", { name: "Save the connection" }));
    await waitFor(() => expect(api.invoke.mock.calls.some(([channel]) => channel === "streams:update")).toBe(true));
    expect(api.invoke.mock.calls.find(([channel]) => channel === "streams:update")![1]).toEqual({
      name: "clicks",
      bootstrapServers: "pkc-2.us-east-1.aws.confluent.cloud:9092",
      ssl: true,
    });

    // Half a new login cannot be saved; a whole one replaces the old.
    api.invoke.mockClear();
    fireEvent.click(screen.getByRole("button", { name: "Change the connection" }));
    const again = within(screen.getByRole("form", { name: "The connection of clicks" }));
    fireEvent.change(again.getByLabelText("Login"), { target: { value: "plain" } });
    fireEvent.change(again.getByLabelText("API key"), { target: { value: "KEY2" } });
    expect((again.getByRole("button", { name: "Save the connection" }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(again.getByLabelText("API secret"), { target: { value: "s2" } });
    fireEvent.click(again.getByRole("button", { name: "Save the connection" }));
    await waitFor(() => expect(api.invoke.mock.calls.some(([channel]) => channel === "streams:update")).toBe(true));
    expect(api.invoke.mock.calls.find(([channel]) => channel === "streams:update")![1]).toMatchObject({
      sasl: { mechanism: "plain", username: "KEY2", password: "s2" },
    });
  });
});

describe("a saved stream's client certificate", () => {
  it("stays while no file is chosen again, and goes when another login replaces it", async () => {
    const aiven: StreamInfo = {
      ...saved,
      name: "aiven",
      bootstrapServers: ["kafka-1-p.aivencloud.com:12345"],
      clientCertificate: { subject: "CN=streamdrop", expiresAt: "2030-01-01T00:00:00.000Z" },
    };
    delete aiven.sasl;
    api = fakeApi({ "streams:update": aiven, "streams:list": [aiven] }, []);
    useStore.setState({ streams: [aiven] });
    render(<StreamsView />);
    fireEvent.click(screen.getByRole("button", { name: "Change the connection" }));
    let edit = within(screen.getByRole("form", { name: "The connection of aiven" }));
    expect((edit.getByLabelText("Provider") as HTMLSelectElement).value).toBe("aiven");
    expect((edit.getByLabelText("Login") as HTMLSelectElement).value).toBe("mtls");
    fireEvent.click(edit.getByRole("button", { name: "Save the connection" }));
    await waitFor(() => expect(api.invoke.mock.calls.some(([channel]) => channel === "streams:update")).toBe(true));
    expect(api.invoke.mock.calls.find(([channel]) => channel === "streams:update")![1]).toEqual({
      name: "aiven",
      bootstrapServers: "kafka-1-p.aivencloud.com:12345",
      ssl: true,
    });

    api.invoke.mockClear();
    fireEvent.click(screen.getByRole("button", { name: "Change the connection" }));
    edit = within(screen.getByRole("form", { name: "The connection of aiven" }));
    fireEvent.change(edit.getByLabelText("Login"), { target: { value: "scram-sha-256" } });
    fireEvent.change(edit.getByLabelText("SASL user name"), { target: { value: "avnadmin" } });
    fireEvent.change(edit.getByLabelText("SASL password"), { target: { value: "pw" } });
    fireEvent.click(edit.getByRole("button", { name: "Save the connection" }));
    await waitFor(() => expect(api.invoke.mock.calls.some(([channel]) => channel === "streams:update")).toBe(true));
    expect(api.invoke.mock.calls.find(([channel]) => channel === "streams:update")![1]).toMatchObject({
      sasl: { mechanism: "scram-sha-256", username: "avnadmin", password: "pw" },
      clientCertificate: null,
    });
  });
});

describe("the form's rules", () => {
  it("guesses a saved cluster's provider from its servers, among those offering its login", () => {
    expect(providerFor("pkc-1.us-east-1.aws.confluent.cloud:9092", "plain")).toBe("confluent");
    expect(providerFor("b-1.c.kafka.us-east-1.amazonaws.com:9098", "aws-msk-iam")).toBe("msk");
    expect(providerFor("b-1.c.kafka.us-east-1.amazonaws.com:9096", "plain")).toBe("other");
    expect(providerFor("ns.servicebus.windows.net:9093", "plain")).toBe("event-hubs");
    expect(providerFor("kafka-1-p.aivencloud.com:12345")).toBe("aiven");
    expect(providerFor("127.0.0.1:9092")).toBe("other");
    expect(providerFor(undefined)).toBe("other");
  });

  it("reads extensions as name=value lines", () => {
    expect(parseExtensionLines(" a = b \n\nc=d=e")).toEqual({ extensions: { a: "b", c: "d=e" } });
    expect(parseExtensionLines("a=")).toMatchObject({ problem: expect.stringContaining("is not name=value") });
  });
});
