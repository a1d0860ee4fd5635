// The failures that need a person, by cause (main/core/exporters/needs-person.ts sorts them).
// Listed once: the worker protocol, the status and the IPC contract all name them from here.

import type { Fix } from "./fixes";

export const problemCauses = [
  "codec",
  "kafka-authorization",
  "topic-deleted",
  "sasl",
  "tls",
  "storage-refused",
  "registry-refused",
  "export-log",
  "spool",
  "pending-file",
] as const;
export type ProblemCause = (typeof problemCauses)[number];

/**
 * A problem of the sink itself (its key revoked, expired or not its secret's), not of one
 * exporter's files: the sink and every exporter on it show it, since each of them fails on its
 * next write. Told by its fixes, which give the sink new credentials; a refusal the exporter's own
 * settings cause (a suffix the policy lacks) offers a policy change instead, and stays its own.
 */
export const isSinkProblem = (status: { problem?: ProblemCause; fixes?: readonly Fix[] }) =>
  status.problem === "storage-refused" && (status.fixes ?? []).some((fix) => fix.id === "rotate-key" || fix.id === "replace-credentials");
