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
}
