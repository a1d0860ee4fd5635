// A batch file's shape: every setting that decides its key or its bytes, besides its records and
// the name's own parts (cut time, counter, partitions held). It is fixed when the file is planned
// and travels in the file's intent (commit-metadata.ts), so a file left pending across a change of
// settings is re-created exactly as planned: the same key, the same bytes, the same split between
// the events and the `-invalid` part. That is what lets a create-only store's "that name exists"
// stand for "this very file is stored" (docs/EXACTLY-ONCE.md).
//
// A setting that shapes files belongs here and nowhere else: one left out would let recovery write
// other bytes under a name that may exist, which on a create-only store loses or doubles events.
import type { Compression } from "../../../common/record-format.js";
import { lineFormat, type LineFormat } from "./line-format.js";

export interface FileShape {
  /** The exporter's path prefix; absent: the bucket's root. */
  prefix?: string;
  /** Folders between the prefix and the name (common/path-template.ts); absent: none. */
  template?: string;
  compression: Compression;
  /** What a line holds: the record fields and what becomes of tombstones. */
  lines: LineFormat;
  /** The version of the rules that turn a record into a line: see `lineRules`. */
  rules: number;
}

/**
 * The version of the code's rules that turn a record into a line and sort it into the events or
 * the `-invalid` part (line-format.ts, jsonl.ts, the gather kernel), and an intent into a key
 * (file-names.ts, common/path-template.ts). Bump it, and keep the old rules reachable by it,
 * whenever their output changes: an intent planned under other rules would otherwise be
 * re-created, after an upgrade, as another file under a name that may exist. The golden lines and
 * keys in test/unit/exporters/format.test.ts and path-template.test.ts fail on such a change.
 */
export const lineRules = 1;

/** The rules versions this build can re-create a file with. */
export const knownRules: readonly number[] = [1];

/** The exporter settings that shape its files. */
export interface ShapingSettings {
  pathPrefix?: string | undefined;
  pathTemplate?: string | undefined;
  compression: Compression;
  fields: readonly string[];
  tombstones: string;
}

/** The shape of the files an exporter with these settings writes from now on. */
export function fileShapeOf(settings: ShapingSettings): FileShape {
  return {
    ...(settings.pathPrefix ? { prefix: settings.pathPrefix } : {}),
    ...(settings.pathTemplate ? { template: settings.pathTemplate } : {}),
    compression: settings.compression,
    lines: lineFormat(settings.fields, settings.tombstones),
    rules: lineRules,
  };
}
