// Problems an exporter found that belong to its sink or its stream, so they show there too: a
// sink's (common/problems.ts's isSinkProblem), said by the first exporter that found it, with the
// same words and repairs on the sink and every exporter on it; a stream's topic deleted.
import type { Fix } from "../../../common/fixes";
import { isSinkProblem } from "../../../common/problems";
import type { ExporterInfo, ExporterStatusInfo } from "../../../preload/contract";

export interface SinkProblem {
  /** The exporter whose write found it. */
  exporter: string;
  message: string;
  fixes: Fix[];
}

export function sinkProblemOf(
  sinkName: string,
  exporters: readonly ExporterInfo[],
  statuses: Readonly<Record<string, ExporterStatusInfo>>,
): SinkProblem | undefined {
  for (const exporter of exporters) {
    if (exporter.sinkName !== sinkName) continue;
    const status = statuses[exporter.name];
    if (status?.lastError && isSinkProblem(status)) return { exporter: exporter.name, message: status.lastError, fixes: status.fixes ?? [] };
  }
  return undefined;
}

/** The stream's topic was deleted, as an exporter reading it found; with the partitions it had when last read. */
export function deletedTopicOf(
  streamName: string,
  exporters: readonly ExporterInfo[],
  statuses: Readonly<Record<string, ExporterStatusInfo>>,
): { exporter: string; partitions: number } | undefined {
  for (const exporter of exporters) {
    const status = statuses[exporter.name];
    if (exporter.streamName === streamName && status?.problem === "topic-deleted") return { exporter: exporter.name, partitions: status.lag.length };
  }
  return undefined;
}
