// How a cut batch is split into files, each planned as an intent (commit-metadata.ts): one file per
// group of the partitions the worker holds, named for that group. The intent is committed with
// every partition's offset, so it must fit in Kafka's offset metadata (4096 bytes by default).
import type { OffsetRange } from "../files/batch.js";
import { fitsMetadata, type FileIntent } from "./commit-metadata.js";
import type { FileShape } from "../file-shape.js";

/** A file names at most this many partitions, so its name and its intent stay short. */
export const maxPartitionsPerFile = 64;

export interface CutPlan {
  /** The cut's time, in whole seconds: the files' names and folders. */
  time: number;
  /** Partitions the worker held, ascending: each file is named for its group of them. */
  held: number[];
  shape: FileShape;
  /** The offset ranges of a group's partitions that hold records. */
  rangesOf(group: number[]): OffsetRange[];
  /** The counter the group's file takes: past any name already used in this second. */
  counterOf(group: number[]): number;
}

/**
 * The intents of the cut's files: groups of at most 64 partitions, each split in halves again while
 * its intent would not fit in the offset metadata (a long prefix and template with many ranges of
 * high offsets). A single partition always fits. Groups without records get no file.
 */
export function planIntents(plan: CutPlan): FileIntent[] {
  const intents: FileIntent[] = [];
  const groups = chunk(plan.held, maxPartitionsPerFile);
  while (groups.length > 0) {
    const group = groups.shift()!;
    const ranges = plan.rangesOf(group);
    if (ranges.length === 0) continue;
    const intent: FileIntent = { time: plan.time, counter: plan.counterOf(group), held: group, ranges, shape: plan.shape };
    if (fitsMetadata(intent) || group.length === 1) intents.push(intent);
    else groups.unshift(...chunk(group, Math.ceil(group.length / 2)));
  }
  return intents;
}

const chunk = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
