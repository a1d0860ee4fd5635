// What a line of a batch file may hold: the record fields and what becomes of tombstones. The core
// (main/core/exporters/line-format.ts) applies them; the wizard and the exporter views offer them.

export const recordFields = ["topic", "partition", "offset", "timestamp", "key", "headers", "value"] as const;
export type RecordField = (typeof recordFields)[number];

export const tombstonePolicies = ["invalid", "skip", "keep"] as const;
/** What a record with a null value (a tombstone) becomes: an `-invalid` line, nothing, or a line with `"value": null`. */
export type TombstonePolicy = (typeof tombstonePolicies)[number];
