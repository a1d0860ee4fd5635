// What a person can do about an error, as data. A core error's message says what is wrong in
// words any front end can show; its fixes say what to do, and each front end renders them its own
// way: the CLI as options and commands (main/cli/fix-text.ts), the window as buttons and field
// names (renderer/src/components/fix-text.ts). So no option name of the CLI reaches the window.
import type { FileKind } from "./record-format.js";

/** Settings a person gives: the CLI names its option, the window its field. */
export const settings = [
  "interval",
  "max-batch",
  "workers",
  "sample",
  "exporter-name",
  "sink-name",
  "stream-name",
  "iam-user",
  "bootstrap-servers",
  "topic",
  "partitions",
  "path-prefix",
  "path-template",
  "credentials",
  "sink-type",
  "bucket",
  "endpoint",
  "write-credentials-file",
  "password-env",
  "decode",
  "schema-registry",
  "ca-file",
  /** A client certificate for mutual TLS (with its key, or a PKCS#12 file). */
  "client-certificate",
  /** An OAUTHBEARER login's OIDC client (token endpoint, client id and secret). */
  "oidc-client",
  /** An MSK IAM login's AWS credentials. */
  "aws-credentials",
  /** JSON Lines or Parquet. */
  "file-format",
  "compression",
  /** A Parquet exporter's columns. */
  "columns",
] as const;
export type Setting = (typeof settings)[number];

/** An AWS IAM policy statement, as a policy document holds it. */
export interface PolicyStatement {
  Effect: "Allow";
  Action: string[];
  Resource: string | string[];
}

export type Fix =
  /** Give or change this setting. */
  | { id: "set"; setting: Setting }
  /**
   * Give the app-made IAM user a new access key; the sink switches to it and the old key is
   * deleted. `sink`: an existing sink of that user's (else it is the setup being run again).
   */
  | { id: "rotate-key"; userName: string; sink?: string }
  /** Use another IAM user name for the sink's writer. */
  | { id: "other-iam-user"; userName: string }
  /** Create the bucket as part of the setup. */
  | { id: "create-bucket" }
  /** Create the topic with the stream. */
  | { id: "create-topic" }
  /** Delete the sink together with the exporters that write to it. */
  | { id: "delete-with-exporters" }
  /** Store new credentials for this sink. */
  | { id: "replace-credentials"; sink?: string; bucket?: string }
  /** Admin credentials for the setup: a profile, a signed-in session, environment keys or a pasted key. */
  | { id: "admin-credentials" }
  /** See what exists. */
  | { id: "list"; what: "sinks" | "streams" | "batch-exporters" }
  /** On a machine without a keychain: sinks on the AWS default credential chain. */
  | { id: "default-credentials" }
  /** Delete the stream of this name first. */
  | { id: "delete-stream"; name: string }
  /** Delete the exporters that use the stream first. */
  | { id: "delete-exporters"; names: string[] }
  /** Add this statement to the policy of the credentials (AWS refused a write it would allow). */
  | { id: "add-policy-statement"; statement: PolicyStatement }
  /**
   * Let Streamdrop put the policy the sink's exporters need on the IAM user it made for the sink
   * (admin credentials, once); `compression`: one more an exporter is about to write.
   */
  | { id: "update-policy"; sink: string; compression?: FileKind };

export type FixId = Fix["id"];
