// An Azure Blob Storage sink as the config keeps it (its SAS or key in the keychain), and as a
// checked plan. The bucket is the container.
import { z } from "zod";
import { isoTime, keychainRef, sinkCommon } from "../../config/fields.js";
import type { PlanCommon } from "../sink-input.js";
import type { AzureSecret } from "./spec.js";

export const azureSinkRecord = z.object({
  ...sinkCommon,
  type: z.literal("AZURE"),
  bucket: z.string().min(3).max(63),
  /** The blob service URL: `https://<account>.blob.core.windows.net`, or an emulator's `…/<account>`. */
  endpoint: z.string().url(),
  accountName: z.string().min(1),
  /** What the keychain holds: a SAS (least privilege), or the account key (everything). */
  authorization: z.enum(["sas", "account-key"]),
  /** When the SAS expires, if it says (not secret: shown so the user replaces it in time). */
  sasExpiresOn: isoTime.optional(),
  credentials: keychainRef,
});

export type AzureSinkRecord = z.infer<typeof azureSinkRecord>;

/** A checked Azure sink; its secret exists only in memory until it goes to the keychain. */
export interface AzureSinkPlan extends PlanCommon {
  type: "AZURE";
  endpoint: string;
  accountName: string;
  secret: AzureSecret;
  sasExpiresOn?: string;
  /** What the SAS says it grants, for the warning when it is more than cw (not kept in the record). */
  sasPermissions?: string;
}
