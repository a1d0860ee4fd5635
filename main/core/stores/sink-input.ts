// What a store's provider is handed and hands back, as types: the user's input for a sink, what
// every checked sink has, and a sink as the front ends see it. They sit here, below the providers
// (stores/*/) and the services that call them (sinks/), so neither depends on the other for them.
import type { SinkPlacement, StoreType } from "../../../common/stores.js";
import type { AccessKey } from "./s3/credentials.js";

export type CredentialsInput =
  | { from: "file"; path: string }
  /** Pasted or dropped JSON (the app's wizard); `label` names it in messages. */
  | { from: "text"; text: string; label: string }
  /** A key made moments ago (the AWS setup), held in memory only. */
  | { from: "access-key"; accessKey: AccessKey }
  | { from: "default-chain" };

export interface SinkInput {
  name: string;
  bucket: string;
  credentials: CredentialsInput;
  /** Overrides the type the credentials imply (`--sink-type`, as in the strm CLI). */
  sinkType?: StoreType;
  endpoint?: string;
  region?: string;
  assumeRoleArn?: string;
  pathPrefix?: string;
  /** Set by the AWS setup: the IAM user it made for this sink. */
  iamUser?: string;
}

/** What every checked sink has, whatever its store. */
export interface PlanCommon {
  name: string;
  bucket: string;
  endpoint?: string;
  pathPrefix?: string;
}

export interface SinkView {
  ref: { name: string };
  sinkType: StoreType;
  bucket: { bucketName: string } & SinkPlacement;
  createdAt: string;
  updatedAt: string;
  lastValidationFile?: string;
}
