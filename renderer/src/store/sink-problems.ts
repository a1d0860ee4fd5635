// A sink's problem as its exporters found it (common/problems.ts's isSinkProblem): the first one
// that did says it for all, so the sink and every exporter on it show the same words and repairs.
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
