// The aws CLI (PyPI's awscli, in a cached venv) as the outside client a person would use against
// the store: revoking a key the way an administrator does, not through the SDK the app uses.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { AccessKey } from "../../main/core/stores/s3/credentials.js";
import { venvPython } from "./python-venv.js";

export const awsCliVersion = "1.46.3";

/** Runs `aws <args>` against `endpoint` with `key`; its JSON output parsed (undefined when it prints none). */
export async function awsCli(endpoint: string, key: AccessKey, args: readonly string[]): Promise<unknown> {
  const python = venvPython("aws-cli", [`awscli==${awsCliVersion}`]);
  const { stdout } = await promisify(execFile)(python, ["-m", "awscli", ...args, "--endpoint-url", endpoint, "--output", "json"], {
    env: { PATH: process.env.PATH ?? "", AWS_ACCESS_KEY_ID: key.accessKeyId, AWS_SECRET_ACCESS_KEY: key.secretAccessKey, AWS_DEFAULT_REGION: "us-east-1" },
  });
  return stdout.trim() ? JSON.parse(stdout) : undefined;
}
