// The Schema Registry's login through IPC (issue #35): the contract takes `oauth` (the stream's OAuth
// client, with Confluent Cloud's registry logical cluster) but never with a user or password, and
// "Test the registry" takes the stream's drafted login, so an OAuth registry is tested before the
// stream exists; the handlers hand `oauth` on to the core, and a saved stream's view says it.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { inputSchemas } from "../../../preload/contract.js";
import type { Core } from "../../../main/core/index.js";
import type { StreamRecord } from "../../../main/core/config/schema.js";
import type { RegistryConnection } from "../../../main/core/schemas/registry-client.js";
import { createHandlers } from "../../../main/ipc/handlers.js";

const tested = vi.hoisted(() => ({ connections: [] as unknown[] }));
vi.mock("../../../main/core/schemas/registry-settings.js", async (original) => ({
  ...(await original<typeof import("../../../main/core/schemas/registry-settings.js")>()),
  // No registry is asked: the connection the handler built is kept.
  testRegistry: async (connection: RegistryConnection) => {
    tested.connections.push(connection);
    return { subjects: 2 };
  },
}));

const url = "https://psrc-1.us-east-1.aws.confluent.cloud";
const oauthLogin = {
  mechanism: "oauthbearer" as const,
  tokenEndpoint: "https://idp.example.com/oauth2/token",
  clientId: "streamdrop",
  clientSecret: "s3cret",
  extensions: { logicalCluster: "lkc-1", identityPoolId: "pool-AbCd" },
};
const record = {
  id: "s1",
  name: "clicks",
  topic: "clicks",
  bootstrapServers: ["b:9092"],
  ssl: true,
  createdAt: "2026-01-01T00:00:00.000Z",
  schemaRegistry: { url, oauth: { logicalCluster: "lsrc-1" } },
} as StreamRecord;

function handlers() {
  const create = vi.fn(async () => record);
  const core = { streams: { create }, exporters: { list: async () => [] } } as unknown as Core;
  const made = createHandlers({
    appInfo: { name: "Streamdrop", version: "0", dataDir: "/data" } as never,
    core,
    engine: { statuses: () => [], nudge: async () => {} } as never,
    settings: { openAtLogin: () => false, setOpenAtLogin: () => {} },
    openExternal: async () => {},
  });
  return { made, create };
}

beforeEach(() => {
  tested.connections = [];
});

describe("the contract's registry login", () => {
  const test = inputSchemas["streams:testRegistry"];
  const create = inputSchemas["streams:create"];

  it("takes oauth, with or without a logical cluster, and the stream's drafted login for a test", () => {
    expect(test.safeParse({ url, oauth: { logicalCluster: "lsrc-1" }, sasl: oauthLogin }).success).toBe(true);
    expect(test.safeParse({ url, oauth: {} }).success).toBe(true);
    expect(test.safeParse({ url, username: "KEY", password: "SECRET", sasl: { mechanism: "plain", username: "u", password: "p" } }).success).toBe(true);
    expect(create.safeParse({ name: "clicks", bootstrapServers: "b:9092", sasl: oauthLogin, schemaRegistry: { url, oauth: {} } }).success).toBe(true);
  });

  it("refuses oauth together with a user or a password, an empty or unknown oauth field, and a login anywhere but a test", () => {
    expect(test.safeParse({ url, oauth: {}, username: "KEY" }).success).toBe(false);
    expect(test.safeParse({ url, oauth: {}, username: "KEY", password: "SECRET" }).success).toBe(false);
    expect(test.safeParse({ url, oauth: {}, password: "SECRET" }).success).toBe(false);
    expect(test.safeParse({ url, oauth: { logicalCluster: "" } }).success).toBe(false);
    expect(test.safeParse({ url, oauth: { logicalCluster: "lsrc-1", identityPoolId: "pool-1" } }).success).toBe(false);
    expect(test.safeParse({ url, sasl: { mechanism: "oauthbearer", clientId: "c" } }).success).toBe(false);
    expect(create.safeParse({ name: "clicks", bootstrapServers: "b:9092", schemaRegistry: { url, oauth: {}, username: "KEY" } }).success).toBe(false);
    expect(inputSchemas["streams:update"].safeParse({ name: "clicks", schemaRegistry: { url, oauth: {}, username: "KEY", password: "S" } }).success).toBe(
      false,
    );
    expect(create.safeParse({ name: "clicks", bootstrapServers: "b:9092", schemaRegistry: { url, sasl: oauthLogin } }).success).toBe(false);
  });
});

describe("the registry handlers", () => {
  it("test an OAuth registry with the stream's drafted OAuth client, its identity pool and the registry's logical cluster", async () => {
    const { made } = handlers();
    expect(await made["streams:testRegistry"]({ url: `${url}/`, oauth: { logicalCluster: "lsrc-1" }, sasl: oauthLogin })).toEqual({ subjects: 2 });
    expect(tested.connections).toEqual([
      {
        url,
        oauth: {
          client: {
            tokenEndpoint: oauthLogin.tokenEndpoint,
            clientId: "streamdrop",
            clientSecret: "s3cret",
            extensions: { logicalCluster: "lkc-1", identityPoolId: "pool-AbCd" },
          },
          logicalCluster: "lsrc-1",
          identityPoolId: "pool-AbCd",
        },
      },
    ]);
  });

  it("refuse an OAuth registry without the stream's OAuth login, before asking it", async () => {
    const { made } = handlers();
    await expect(made["streams:testRegistry"]({ url, oauth: {} })).rejects.toMatchObject({
      code: "invalid-input",
      message: expect.stringContaining("does not log in with OAuth"),
      fixes: [{ id: "set", setting: "schema-registry" }],
    });
    await expect(made["streams:testRegistry"]({ url, oauth: {}, sasl: { mechanism: "plain", username: "u", password: "p" } })).rejects.toMatchObject({
      code: "invalid-input",
    });
    expect(tested.connections).toEqual([]);
  });

  it("test a registry with a user and password as before, the stream's login aside", async () => {
    const { made } = handlers();
    await made["streams:testRegistry"]({ url, username: "KEY", password: "SECRET", sasl: { mechanism: "plain", username: "u", password: "p" } });
    expect(tested.connections).toEqual([{ url, username: "KEY", password: "SECRET" }]);
  });

  it("hand oauth on to the core, and show that the saved registry logs in with the stream's OAuth client", async () => {
    const { made, create } = handlers();
    const info = await made["streams:create"]({
      name: "clicks",
      bootstrapServers: "b:9092",
      sasl: oauthLogin,
      schemaRegistry: { url, oauth: { logicalCluster: "lsrc-1" } },
    });
    expect(create).toHaveBeenCalledWith(expect.objectContaining({ schemaRegistry: { url, oauth: { logicalCluster: "lsrc-1" } } }));
    expect(info.schemaRegistry).toEqual({ url, customCa: false, oauth: { logicalCluster: "lsrc-1" } });
    await made["streams:create"]({ name: "clicks", bootstrapServers: "b:9092", sasl: oauthLogin, schemaRegistry: { url, oauth: {} } });
    expect(create).toHaveBeenLastCalledWith(expect.objectContaining({ schemaRegistry: { url, oauth: {} } }));
  });
});
