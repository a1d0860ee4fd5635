// IAM identities for tests against moto: users with given policies, their keys written as
// `aws iam create-access-key` prints them. Keys are moto's, valid only for that moto process.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import type { AccessKey } from "../../main/core/stores/s3/credentials.js";

export type Statement = { Effect: "Allow" | "Deny"; Action: string | string[]; Resource: string | string[] };

export interface TestUser {
  key: AccessKey;
  /** The create-access-key JSON, saved for `--credentials-file`. */
  credentialsFile: string;
}

export function iamClient(endpoint: string, credentials: AccessKey): IAMClient {
  return new IAMClient({ endpoint, region: "us-east-1", credentials });
}

export async function createUser(iam: IAMClient, dir: string, userName: string, statements: Statement[]): Promise<TestUser> {
  await iam.send(new CreateUserCommand({ UserName: userName }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: userName,
      PolicyName: "test-policy",
      PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
    }),
  );
  const { AccessKey: created } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  const credentialsFile = join(dir, `${userName}.json`);
  writeFileSync(credentialsFile, JSON.stringify({ AccessKey: created }, null, 4), { mode: 0o600 });
  return { key: { accessKeyId: created!.AccessKeyId!, secretAccessKey: created!.SecretAccessKey! }, credentialsFile };
}
