// The AWS SDK's default chain and assumed roles are made on their first call: a sink (or an MSK
// login) with a static key never loads @aws-sdk/credential-providers, which keeps it out of an
// idle exporter worker's memory. Once made, one provider answers every call, with the properties
// the SDK passes, so its own cache works as before.
import { beforeEach, expect, it, vi } from "vitest";
import { credentialsProvider } from "../../../../main/core/stores/s3/credentials-provider.js";
import { nodeProviderChain, temporaryCredentials } from "../../../../main/core/stores/s3/credential-chain.js";

const sdk = vi.hoisted(() => ({ loads: 0, failNext: false, made: [] as Array<{ kind: string; options: unknown; calls: unknown[] }> }));

vi.mock("@aws-sdk/credential-providers", () => {
  sdk.loads += 1;
  const provider = (kind: string) => (options: unknown) => {
    if (sdk.failNext) {
      sdk.failNext = false;
      throw new Error("Cannot find package '@aws-sdk/credential-sso'");
    }
    const made = { kind, options, calls: [] as unknown[] };
    sdk.made.push(made);
    return async (properties?: unknown) => {
      made.calls.push(properties);
      return { accessKeyId: `${kind}-key`, secretAccessKey: "secret" };
    };
  };
  return { fromNodeProviderChain: provider("chain"), fromTemporaryCredentials: provider("role") };
});

beforeEach(() => {
  sdk.made.length = 0;
});

it("gives a sink's static key as it is, loading no provider", () => {
  const key = { accessKeyId: "AKIA", secretAccessKey: "secret" };
  expect(credentialsProvider({ bucket: "b" }, key, "session")).toEqual(key);
  expect(sdk.loads).toBe(0);
});

it("makes the default chain on its first call, once, and hands it every call's properties", async () => {
  const chain = nodeProviderChain({ profile: "dev" });
  expect(sdk.made).toEqual([]);
  const [first, second] = await Promise.all([chain({ forceRefresh: true }), chain()]);
  expect(first).toEqual({ accessKeyId: "chain-key", secretAccessKey: "secret" });
  expect(second).toEqual(first);
  expect(sdk.made).toEqual([{ kind: "chain", options: { profile: "dev" }, calls: [{ forceRefresh: true }, undefined] }]);
  expect(sdk.loads).toBe(1);
});

it("assumes a sink's role over its static key through one provider made when first asked", async () => {
  const provider = credentialsProvider({ bucket: "b", assumeRoleArn: "arn:aws:iam::1:role/r" }, { accessKeyId: "AKIA", secretAccessKey: "s" }, "streamdrop x");
  expect(typeof provider).toBe("function");
  expect(sdk.made).toEqual([]);
  const callerClientConfig = { region: "eu-west-1" };
  await (provider as (properties: object) => Promise<unknown>)({ callerClientConfig });
  expect(sdk.made).toMatchObject([
    {
      kind: "role",
      options: { masterCredentials: { accessKeyId: "AKIA" }, params: { RoleArn: "arn:aws:iam::1:role/r", RoleSessionName: "streamdrop-x" } },
      calls: [{ callerClientConfig }],
    },
  ]);
});

it("makes the provider again on the next call when making it failed", async () => {
  const role = temporaryCredentials({ params: { RoleArn: "arn:aws:iam::1:role/r" } });
  sdk.failNext = true;
  await expect(role()).rejects.toThrow("Cannot find package '@aws-sdk/credential-sso'");
  await expect(role()).resolves.toEqual({ accessKeyId: "role-key", secretAccessKey: "secret" });
  expect(sdk.made).toHaveLength(1);
});
