// The fields several records share, so each store's record (stores/<store>/record.ts) is built
// from the same parts as the rest of the config.
import { z } from "zod";

export const isoTime = z.string().datetime({ offset: true });
export const name = z.string().min(1).max(100);

/** Where a secret comes from. The keychain account holds it; the others hold nothing at all. */
export const secretRef = z.discriminatedUnion("source", [
  z.object({ source: z.literal("keychain"), account: z.string().min(1) }),
  z.object({ source: z.literal("default-chain") }),
  z.object({ source: z.literal("env"), variable: z.string().min(1) }),
]);

/** A secret that can only live in the keychain (a store without a default chain). */
export const keychainRef = z.object({ source: z.literal("keychain"), account: z.string().min(1) });

/** What every sink has, whatever its store. */
export const sinkCommon = {
  id: z.string().uuid(),
  name,
  /** Where the sink's credentials may write; exporters on the sink stay within it. */
  pathPrefix: z.string().min(1).optional(),
  credentials: secretRef,
  createdAt: isoTime,
  updatedAt: isoTime,
  /** The last validation file written with the current credentials. */
  lastValidation: z.object({ at: isoTime, key: z.string() }).optional(),
};
