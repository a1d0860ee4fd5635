// Stores a planned file: its events part and its `-invalid` part, each finished by the file's
// format and stored under the name its intent fixes, then logged. The export log is the user's
// only inventory (the key cannot list the bucket), so each entry is written here, before the
// protocol's done commit: a crash before it leaves the intent pending, and recovery logs the
// re-created file.
import { randomUUID } from "node:crypto";
import { joinKey } from "../../sinks/path-prefix.js";
import type { ObjectStore } from "../../stores/object-store.js";
import { validationFile } from "../../stores/validation.js";
import type { SpooledFile } from "../../stores/file-body.js";
import type { FileIntent } from "../commit/commit-metadata.js";
import type { ExportLog } from "../export-log.js";
import type { FileShape } from "../file-shape.js";
import { exportLogProblem } from "../needs-person.js";
import type { FileWriter, PlannedFile } from "../commit/commit-protocol.js";
import { fileFormatOf, type PartKind } from "./file-format.js";
import type { EventGroup } from "./batch.js";
import { batchFileKey } from "../file-names.js";
import { storeObject, type RetryPolicy } from "./storage.js";
import type { LogEntry } from "../worker-protocol.js";

export type { PartKind };

/** A part stored: what the worker's status counts. */
export interface StoredPart {
  kind: PartKind;
  key: string;
  bytes: number;
  records: number;
}

export interface FileWriterDeps {
  store: ObjectStore;
  topic: string;
  exporterName: string;
  now(): number;
  retry: RetryPolicy;
  /** Appends to the export log and tells the supervisor; a log that cannot be written throws (it needs a person). */
  log(entry: LogEntry): Promise<void>;
  stored(part: StoredPart): void;
  /** The file's records the format wrote nothing for (skipped tombstones), counted once the file is done. */
  skipped(count: number): void;
}

export class StoreFileWriter implements FileWriter {
  constructor(private readonly deps: FileWriterDeps) {}

  keyOf(intent: FileIntent, kind: PartKind = "events", group?: EventGroup): string {
    const { prefix, template } = intent.shape;
    const format = fileFormatOf(intent.shape);
    return batchFileKey(
      {
        ...(prefix ? { prefix } : {}),
        time: intent.time,
        topic: this.deps.topic,
        partitions: intent.held,
        counter: intent.counter,
        ...(template ? { template } : {}),
      },
      kind,
      format.kindOf(kind),
      format.hidden(kind),
      group?.name,
    );
  }

  async write({ intent, content }: PlannedFile, recovered: boolean): Promise<void> {
    const format = fileFormatOf(intent.shape);
    const groups = content.groups ?? [];
    const parts: Array<[PartKind, SpooledFile | undefined, number, EventGroup?]> = [
      ["events", content.events, content.eventCount - groups.reduce((total, group) => total + group.count, 0)],
      ...groups.map(({ group, body, count }): [PartKind, SpooledFile, number, EventGroup] => ["events", body, count, group]),
      ["invalid", content.invalid, content.invalidCount],
    ];
    // Skipped tombstones ride on the file's first part stored (its events, a writer schema's, else -invalid).
    let skipped = content.skippedCount;
    const at = () => new Date(this.deps.now()).toISOString();
    for (const [kind, lines, records, group] of parts) {
      if (!lines) continue;
      const key = this.keyOf(intent, kind, group);
      const body = await format.finish(kind, lines, group);
      await storeObject(this.deps.store, key, body, this.deps.retry);
      const bytes = body.length;
      this.deps.stored({ kind, key, bytes, records });
      await this.deps.log({
        at: at(),
        exporter: this.deps.exporterName,
        key,
        uri: this.deps.store.uri(key),
        kind,
        bytes,
        records,
        partitions: content.ranges,
        ...(skipped > 0 ? { tombstonesSkipped: skipped } : {}),
        ...(recovered ? { recovered } : {}),
      });
      skipped = 0;
    }
    // Nothing stored: every record was a tombstone the policy skips. They are logged all the same,
    // before the done commit, under the key the intent names, so recovery re-running this intent
    // logs that key again and they count once (the log is read one entry per key).
    if (skipped > 0)
      await this.deps.log({
        at: at(),
        exporter: this.deps.exporterName,
        key: this.keyOf(intent),
        kind: "skipped",
        partitions: content.ranges,
        tombstonesSkipped: skipped,
        ...(recovered ? { recovered } : {}),
      });
    this.deps.skipped(content.skippedCount);
  }

  /** The empty test file a start writes under the prefix, which shows the sink still takes files. */
  async writeValidationFile(shape: FileShape, checks: string): Promise<void> {
    const file = await validationFile(fileFormatOf(shape).kindOf("events"), randomUUID());
    const key = joinKey(shape.prefix, file.name);
    await storeObject(this.deps.store, key, file.body, this.deps.retry);
    const at = new Date(this.deps.now()).toISOString();
    await this.deps.log({
      at,
      exporter: this.deps.exporterName,
      key,
      uri: this.deps.store.uri(key),
      kind: "validation",
      bytes: 0,
      records: 0,
      partitions: [],
      checks,
    });
  }
}

/** Appends to the exporter's export log, then `then(entry)`. A log that cannot be written needs a person. */
export function exportLogWriter(log: ExportLog, exporterId: string, then: (entry: LogEntry) => void): (entry: LogEntry) => Promise<void> {
  return async (entry) => {
    try {
      await log.append(exporterId, entry);
    } catch (error) {
      throw exportLogProblem(log.fileOf(exporterId), error);
    }
    then(entry);
  };
}
