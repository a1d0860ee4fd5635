// The window's way of saying a fix (common/fixes.ts): in the app's own words, naming its fields
// and views. Views that can act on a fix (rotate a key, create the bucket) offer it as a button
// where the error shows; this text is the fallback everywhere else.
import type { Fix, Setting } from "../../../common/fixes";
import { fileKindFormats } from "../../../common/record-format";

export const fieldOf: Record<Setting, string> = {
  interval: "Interval",
  "max-batch": "Largest batch",
  workers: "Workers",
  sample: "Records to sample",
  "exporter-name": "Exporter name",
  "sink-name": "Sink name",
  "stream-name": "Stream name",
  "iam-user": "IAM user name",
  "bootstrap-servers": "Bootstrap servers",
  topic: "Topic",
  partitions: "Partitions",
  "path-prefix": "Path prefix",
  "path-template": "Folders by time",
  credentials: "Credentials",
  "sink-type": "Store",
  bucket: "Bucket name",
  endpoint: "Endpoint URL",
  "write-credentials-file": "Credentials file",
  "password-env": "Password",
  decode: "Decode with the registry",
  "schema-registry": "Schema Registry",
  "ca-file": "The cluster's CA certificate",
  "client-certificate": "The client certificate and key",
  "oidc-client": "The OAuth client (token endpoint, client ID and secret)",
  "aws-credentials": "The AWS credentials",
  "file-format": "File format",
  compression: "Compression",
  columns: "Columns",
};

export function fixText(fix: Fix): string {
  switch (fix.id) {
    case "set":
      return `Change the “${fieldOf[fix.setting]}” field.`;
    case "rotate-key":
      return `Rotate the key of ${fix.userName}: it gets a new key, the sink switches to it and the old key is deleted.`;
    case "other-iam-user":
      return "Or use another IAM user name.";
    case "create-bucket":
      return "Tick “Create the bucket” to have Streamdrop create it.";
    case "create-topic":
      return "Create it, or choose “Create a new topic”.";
    case "delete-with-exporters":
      return "Or delete the sink together with its exporters.";
    case "replace-credentials":
      return fix.sink ? `Replace the credentials of sink ${fix.sink} in Sinks.` : "Replace the sink's credentials in Sinks.";
    case "admin-credentials":
      return "Choose “Paste an admin access key”, or pick an AWS profile that has admin credentials.";
    case "list":
      return fix.what === "sinks"
        ? "Sinks lists the sinks there are."
        : fix.what === "streams"
          ? "Streams lists the streams there are."
          : "The dashboard lists the exporters there are.";
    case "default-credentials":
      return "Unlock the keychain of your desktop session, then try again.";
    case "delete-stream":
      return `Delete stream ${fix.name} in Streams first, or choose another name.`;
    case "delete-exporters":
      return `Delete ${fix.names.join(", ")} first.`;
    case "add-policy-statement":
      return `Allow ${fix.statement.Action.join(", ")} on ${[fix.statement.Resource].flat().join(", ")} in the policy of the sink's IAM user or role (in the AWS console).`;
    case "update-policy":
      return `Streamdrop made the IAM user of sink ${fix.sink}: let it update the user's policy${fix.compression ? ` to allow ${fileKindFormats[fix.compression].suffix} files` : ""} in Sinks, with admin credentials given once.`;
  }
}

/** A failure as the window shows it: the message, then what to do. */
export const windowMessage = (failure: { message: string; fixes?: readonly Fix[] }) => [failure.message, ...(failure.fixes ?? []).map(fixText)].join(" ");
