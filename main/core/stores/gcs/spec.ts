// What a Cloud Storage worker is given to write with.
import type { ServiceAccountKey } from "./credentials.js";

export interface GcsStorageSpec {
  type: "GCLOUD";
  bucket: string;
  prefix?: string;
  endpoint?: string;
  serviceAccount: ServiceAccountKey;
}
