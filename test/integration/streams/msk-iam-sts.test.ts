// An MSK IAM token for an assumed role, through the stack's moto STS: the token carries the
// temporary credentials STS issued (not the base key), with their session token, and its SigV4
// signature recomputes with the temporary secret.
import { randomUUID } from "node:crypto";
import { CreateRoleCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { awsCredentialsFor, decodeMskToken, mskIamTokenSource, type AwsCredentials } from "../../../main/core/streams/logins/msk-iam-token.js";
import type { AwsLogin } from "../../../main/core/streams/logins/kafka-login.js";
import { iamClient } from "../../support/iam.js";
import { recomputedSignature } from "../../support/msk-signature.js";

const region = "eu-west-1";
// moto accepts any key while IAM enforcement is off (it is, in the shared stack).
const baseKey = { accessKeyId: "AKIAMSKSTSTEST000001", secretAccessKey: "msk-sts-test-base-secret" };
const roleName = `streamdrop-msk-${randomUUID().slice(0, 8)}`;
let aws: AwsLogin;

beforeAll(async () => {
  const endpoint = inject("s3Endpoint");
  process.env.AWS_ENDPOINT_URL_STS = endpoint;
  const { Role } = await iamClient(endpoint, baseKey).send(
    new CreateRoleCommand({
      RoleName: roleName,
      AssumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }] }),
    }),
  );
  aws = { accessKey: baseKey, assumeRoleArn: Role!.Arn! };
});

afterAll(() => {
  delete process.env.AWS_ENDPOINT_URL_STS;
});

it("signs with the role's temporary credentials from STS", async () => {
  // The credentials the token source gets, seen on their way: the role assumed through moto.
  const assumed = awsCredentialsFor(aws, "msk-sts-test", { region });
  const issued: AwsCredentials[] = [];
  const source = mskIamTokenSource(
    { region, aws },
    {
      credentials: async (options) => {
        const credentials = await assumed(options);
        issued.push(credentials);
        return credentials;
      },
    },
  );
  const token = await source.token();
  expect(issued).toHaveLength(1);
  const temporary = issued[0]!;
  expect(temporary.accessKeyId).not.toBe(baseKey.accessKeyId);
  expect(temporary.accessKeyId).toMatch(/^ASIA/);
  expect(temporary.sessionToken).toBeTruthy();
  expect(temporary.expiration!.getTime()).toBeGreaterThan(Date.now() + 15 * 60_000);

  const decoded = decodeMskToken(token.value);
  expect(decoded.accessKeyId).toBe(temporary.accessKeyId);
  expect(decoded.params.get("X-Amz-Credential")).toMatch(new RegExp(`^${temporary.accessKeyId}/\\d{8}/${region}/kafka-cluster/aws4_request$`));
  expect(decoded.params.get("X-Amz-Security-Token")).toBe(temporary.sessionToken);
  expect(decoded.expiresSeconds).toBe(900);
  expect(token.expiresAt).toBe(decoded.date.getTime() + 900_000);
  const decodedText = Buffer.from(token.value, "base64url").toString();
  expect(decodedText).not.toContain(baseKey.accessKeyId);
  expect(decodedText).not.toContain(temporary.secretAccessKey);

  const resign = (secretAccessKey: string) => recomputedSignature(token.value, { ...temporary, secretAccessKey });
  expect(await resign(temporary.secretAccessKey)).toBe(decoded.params.get("X-Amz-Signature"));
  expect(await resign(baseKey.secretAccessKey)).not.toBe(decoded.params.get("X-Amz-Signature"));

  // The next login reuses the kept token; the credentials are not fetched again.
  expect((await source.token()).value).toBe(token.value);
  expect(issued).toHaveLength(1);
});
