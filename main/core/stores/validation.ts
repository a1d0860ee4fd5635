// What validating a sink proves, whatever the store: an empty `.strm_test_<uuid>.jsonl` was
// written where files will go, with exactly the permission exporters use.
import { randomUUID } from "node:crypto";

export interface ValidationResult {
  /** S3 only: the bucket's region, found or confirmed. */
  region?: string;
  key: string;
  uri: string;
}

export const validationFileName = (uuid = randomUUID()) => `.strm_test_${uuid}.jsonl`;
