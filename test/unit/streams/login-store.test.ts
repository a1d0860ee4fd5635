// Every kind of login passes through the same few functions between what a person gives, what the
// config keeps and what a client uses: secrets go to the keychain (or stay in the environment),
// references to the config, and the words about a login never hold a secret.
import { describe, expect, it } from "vitest";
import { memoryKeychain } from "../../support/memory-keychain.js";
import { keepLogin, loginAccounts, loginOf, loginText, resolveLogin, type SaslInput } from "../../../main/core/streams/logins/login-store.js";

const oauth: SaslInput = {
  mechanism: "oauthbearer",
  tokenEndpoint: "https://idp.example/oauth2/token",
  clientId: "exporter",
  clientSecret: { from: "value", value: "very-secret" },
  scope: "kafka",
  extensions: { logicalCluster: "lkc-abc12", identityPoolId: "pool-XyZ" },
};
const msk: SaslInput = {
  mechanism: "aws-msk-iam",
  region: "eu-west-1",
  accessKey: { accessKeyId: "AKIAEXAMPLEEXAMPLE", secretAccessKey: "aws-secret" },
  assumeRoleArn: "arn:aws:iam::123456789012:role/exporter",
};

describe("the login store", () => {
  let counter = 0;
  const account = () => `stream/x/${(counter += 1)}`;

  it("keeps an OIDC client's secret in the keychain, the rest in the record, and reads it back", async () => {
    const secrets = memoryKeychain();
    const login = resolveLogin(oauth);
    const { record, accounts } = await keepLogin(oauth, login, account, secrets);
    expect(JSON.stringify(record)).not.toContain("very-secret");
    expect(record).toMatchObject({ mechanism: "oauthbearer", clientId: "exporter", clientSecret: { source: "keychain" }, extensions: oauth.extensions });
    expect([...secrets.entries.values()]).toEqual(["very-secret"]);
    expect(loginAccounts(record)).toEqual(accounts);
    expect(await loginOf(record, secrets, "s")).toEqual(login);
  });

  it("keeps an MSK access key in the keychain, and the default chain as nothing at all", async () => {
    const secrets = memoryKeychain();
    const { record } = await keepLogin(msk, resolveLogin(msk), account, secrets);
    expect(JSON.stringify(record)).not.toContain("aws-secret");
    expect(await loginOf(record, secrets, "s")).toMatchObject({ aws: { accessKey: msk.mechanism === "aws-msk-iam" ? msk.accessKey : undefined } });
    const chain: SaslInput = { mechanism: "aws-msk-iam", region: "us-east-1", profile: "prod" };
    const kept = await keepLogin(chain, resolveLogin(chain), account, secrets);
    expect(kept.record).toEqual({ mechanism: "aws-msk-iam", region: "us-east-1", credentials: { source: "default-chain" }, profile: "prod" });
    expect(kept.accounts).toEqual([]);
  });

  it("reads a secret from the environment at run time, storing nothing", async () => {
    const secrets = memoryKeychain();
    process.env.STREAMDROP_TEST_OIDC_SECRET = "from-env";
    const input: SaslInput = { ...oauth, clientSecret: { from: "env", variable: "STREAMDROP_TEST_OIDC_SECRET" } } as SaslInput;
    const { record } = await keepLogin(input, resolveLogin(input), account, secrets);
    expect(secrets.entries.size).toBe(0);
    expect(await loginOf(record, secrets, "s")).toMatchObject({ oidc: { clientSecret: "from-env" } });
    delete process.env.STREAMDROP_TEST_OIDC_SECRET;
    await expect(loginOf(record, secrets, "orders")).rejects.toThrow(
      "The OIDC client secret of stream orders comes from the environment variable STREAMDROP_TEST_OIDC_SECRET, which is not set.",
    );
  });

  it("refuses what a login cannot work with, naming it", () => {
    expect(() => resolveLogin({ ...oauth, tokenEndpoint: "http://idp.example/token" } as SaslInput)).toThrow("is not an https address");
    expect(() => resolveLogin({ ...oauth, tokenEndpoint: "http://127.0.0.1:8080/token" } as SaslInput)).not.toThrow();
    expect(() => resolveLogin({ ...oauth, extensions: { "logical-cluster": "x" } } as SaslInput)).toThrow(
      'SASL extension name "logical-cluster" is not allowed',
    );
    expect(() => resolveLogin({ ...oauth, extensions: { auth: "x" } } as SaslInput)).toThrow("not allowed");
    expect(() => resolveLogin({ ...msk, region: "Ireland" } as SaslInput)).toThrow('"Ireland" is not an AWS region');
    expect(() => resolveLogin({ ...msk, assumeRoleArn: "exporter" } as SaslInput)).toThrow("is not an IAM role ARN");
    expect(() => resolveLogin({ mechanism: "plain", username: " ", password: { from: "value", value: "x" } })).toThrow("The SASL user name is empty");
  });

  it("words every login without its secret", async () => {
    const secrets = memoryKeychain();
    for (const input of [oauth, msk, { mechanism: "scram-sha-512", username: "u", password: { from: "value", value: "pw-secret" } } as SaslInput]) {
      const { record } = await keepLogin(input, resolveLogin(input), account, secrets);
      for (const text of [loginText(input), loginText(record)]) {
        expect(text).not.toMatch(/very-secret|aws-secret|pw-secret/);
      }
    }
    expect(loginText(oauth)).toBe(
      "OAUTHBEARER, OIDC client exporter at https://idp.example/oauth2/token, secret new (kept in the keychain), scope kafka, extensions identityPoolId, logicalCluster",
    );
  });
});
