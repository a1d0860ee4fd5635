// The failures that need a person, by cause (main/core/exporters/needs-person.ts sorts them).
// Listed once: the worker protocol, the status and the IPC contract all name them from here.

export const problemCauses = [
  "codec",
  "kafka-authorization",
  "topic-deleted",
  "sasl",
  "storage-refused",
  "registry-refused",
  "export-log",
  "spool",
  "pending-file",
] as const;
export type ProblemCause = (typeof problemCauses)[number];
