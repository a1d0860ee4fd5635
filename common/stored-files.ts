// The files an exporter stores, as the core records them and the output files view shows them:
// each file's line in the export log (main/core/exporters/export-log.ts), the offset ranges it
// holds, and the first lines of a stored file (main/core/stores/preview.ts).

/** One partition's part of a batch: its first and last offset (inclusive). */
export interface OffsetRange {
  partition: number;
  /** First and last offset in the batch (inclusive). */
  first: number;
  last: number;
}

/** One line of the export log: a file that was stored. */
export interface ExportLogEntry {
  at: string;
  exporter: string;
  key: string;
  /** The object's URI in its store's scheme (stores.ts's objectUri): `s3://<bucket>/<key>`, `gs://…`, `az://…`. */
  uri: string;
  kind: "events" | "invalid" | "validation";
  bytes: number;
  records: number;
  partitions: OffsetRange[];
  /** Tombstones the policy skipped in the batch this file came from (on its first file). */
  tombstonesSkipped?: number;
  /** Re-created after a crash from the pending intent (identical content, same key). */
  recovered?: boolean;
  /** A validation file: what it proved (main/core/exporters/validation-scope.ts); another is due only when that changes. */
  checks?: string;
}

/** The first lines of a stored file, decompressed as its suffix says. */
export interface FilePreview {
  lines: string[];
  truncated: boolean;
}
