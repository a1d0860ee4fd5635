// An S3 sink as the config keeps it, and as a checked plan before it is validated.
import { z } from "zod";
import { sinkCommon } from "../../config/fields.js";
import type { PlanCommon } from "../sink-input.js";
import type { AccessKey } from "./credentials.js";

export const s3SinkRecord = z.object({
  ...sinkCommon,
  type: z.literal("S3"),
  bucket: z.string().min(3).max(63),
  /** S3-compatible stores; absent for AWS. */
  endpoint: z.string().url().optional(),
  forcePathStyle: z.boolean().optional(),
  /** The bucket's region: given by the user or found with GetBucketLocation. */
  region: z.string().min(1).optional(),
  assumeRoleArn: z.string().min(1).optional(),
  /** The IAM user Streamdrop's setup created for the sink: the one whose key the app may rotate. */
  iamUser: z.string().min(1).max(64).optional(),
});

export type S3SinkRecord = z.infer<typeof s3SinkRecord>;

/** A checked S3 sink, ready to validate; `accessKey` exists only in memory. */
export interface S3SinkPlan extends PlanCommon {
  type: "S3";
  forcePathStyle?: boolean;
  region?: string;
  assumeRoleArn?: string;
  keyUser?: KeyUser;
  /** Absent: the AWS default credential chain. */
  accessKey?: AccessKey;
}

/**
 * Whose key a plan's is, when the sink is to stay the app-made IAM user's: the setup made the key
 * for that user just now (`known`), or the key replaces the one of the sink's user and counts as
 * that user's only once STS says so (the provider's validate asks, its record keeps the answer).
 */
export interface KeyUser {
  iamUser: string;
  known: boolean;
}
