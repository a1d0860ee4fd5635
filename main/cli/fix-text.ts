// The CLI's way of saying a fix (common/fixes.ts): as its own options and commands.
import type { Fix, Setting } from "../../common/fixes.js";

export const optionOf: Record<Setting, string> = {
  interval: "--interval <seconds>",
  "max-batch": "--max-batch-mb <MiB>",
  workers: "--workers <n>",
  sample: "--sample <n>",
  "exporter-name": "--name <name>",
  "sink-name": "--sink <name>",
  "stream-name": "a different <name>",
  "iam-user": "--user <name>",
  "bootstrap-servers": "--bootstrap-servers host:port[,host:port]",
  topic: "--topic <topic>",
  partitions: "--partitions <n>",
  "path-prefix": "--path-prefix <prefix>",
  "path-template": "--path-template <folders>",
  credentials: "--credentials-file <file>",
  "sink-type": "--sink-type, or leave it out so the type follows the credentials",
  bucket: "the <bucket> argument",
  endpoint: "--endpoint <url>",
  "write-credentials-file": "--write-credentials-file <new file>",
  "password-env": "--password-env <variable>",
  decode: "--decode registry|none",
  "schema-registry": "--schema-registry <url> on create stream",
  "ca-file": "--ca-file <the cluster's CA certificate, PEM>",
  "client-certificate": "--client-cert <pem> --client-key <pem> (or --client-p12 <file>)",
  "oidc-client": "--oauth-token-endpoint <url> --oauth-client-id <id> (the secret is read from stdin, or --oauth-client-secret-env <variable>)",
  "aws-credentials": "--aws-profile <name>, --aws-credentials-file <file> or --aws-role-arn <arn>",
  "file-format": "--format jsonl|parquet",
  compression: "--compression <kind>",
  columns: "--columns '<name type, …>' (or --columns-file <file>)",
};

export function fixText(fix: Fix): string {
  switch (fix.id) {
    case "set":
      return `Set it with ${optionOf[fix.setting]}.`;
    case "rotate-key":
      return fix.sink
        ? `\`streamdrop rotate-key sink ${fix.sink}\` gives it a new key (the sink switches to it and the key it used before is deleted).`
        : "Run again with --rotate-key to give it a new key (the sink switches to it and the key it used before is deleted).";
    case "other-iam-user":
      return "Or choose another user with --user <name>.";
    case "create-bucket":
      return "Add --create-bucket to create it (in --region, default us-east-1).";
    case "create-topic":
      return "Create it, or add --create-topic [--partitions N].";
    case "delete-with-exporters":
      return "Or add --recursive to delete them with it.";
    case "replace-credentials":
      return `Store new ones with \`streamdrop create sink ${fix.sink ?? "<sink>"} ${fix.bucket ?? "<bucket>"} --credentials-file <file>\`.`;
    case "admin-credentials":
      return "Set AWS_PROFILE or use --profile, run `aws sso login`, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give --admin-credentials-file.";
    case "list":
      return `\`streamdrop list ${fix.what}\` shows the ones there are.`;
    case "default-credentials":
      return "On a server without a keychain, use --use-default-credentials for sinks (the AWS default credential chain).";
    case "delete-stream":
      return `Delete it first (streamdrop delete stream ${fix.name}) or choose another name.`;
    case "delete-exporters":
      return `Delete ${fix.names.join(", ")} first (streamdrop delete batch-exporter <name>).`;
    case "add-policy-statement":
      return `Add this statement to the policy of the credentials' IAM user or role: ${JSON.stringify(fix.statement)}`;
    case "update-policy":
      return `Streamdrop made the sink's IAM user, so \`streamdrop update-policy sink ${fix.sink}${fix.compression ? ` --compression ${fix.compression}` : ""}\` can give its policy what the exporters need (add --dry-run to see the difference first; admin credentials as for setup s3).`;
  }
}

/** An error as the CLI prints it: the message, then what to do. */
export const cliMessage = (error: { message: string; fixes?: readonly Fix[] }) => [error.message, ...(error.fixes ?? []).map(fixText)].join(" ");
