// What an S3 worker is given to write with.
import type { AccessKey } from "./credentials.js";

export interface S3StorageSpec {
  type: "S3";
  bucket: string;
  prefix?: string;
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  assumeRoleArn?: string;
  /** Absent: the AWS default credential chain. */
  accessKey?: AccessKey;
  /** The IAM user the app made for the sink: a refusal then offers to mend its key or policy (validate.ts's fixes). */
  ownUser?: { sink: string; userName: string };
}
