// A Cloud Storage sink as the config keeps it (its key in the keychain), and as a checked plan.
import { z } from "zod";
import { keychainRef, sinkCommon } from "../../config/fields.js";
import type { PlanCommon } from "../sink-input.js";
import type { ServiceAccountKey } from "./credentials.js";

export const gcsSinkRecord = z.object({
  ...sinkCommon,
  type: z.literal("GCLOUD"),
  bucket: z.string().min(3).max(222),
  /** A Cloud Storage emulator or private endpoint; absent for Google's own. */
  endpoint: z.string().url().optional(),
  projectId: z.string().min(1),
  /** The service account's email: not secret, and what the user grants the bucket role to. */
  clientEmail: z.string().min(1),
  credentials: keychainRef,
});

export type GcsSinkRecord = z.infer<typeof gcsSinkRecord>;

/** A checked Cloud Storage sink; the key exists only in memory until it goes to the keychain. */
export interface GcsSinkPlan extends PlanCommon {
  type: "GCLOUD";
  serviceAccount: ServiceAccountKey;
}
