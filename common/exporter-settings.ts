// The limits of an exporter's whole-number settings, each said once. The config schema and the
// IPC contract build their zod schemas from them, the core's services check values against them
// (and say them in their messages), the CLI shows them in its help and defaults, and the window
// in its fields' min, max, hints and starting values.

/** A whole-number setting: both ends allowed; `unit` is how the core's messages name its values. */
export interface WholeRange {
  readonly min: number;
  readonly max: number;
  readonly unit: string;
  /** What an exporter gets when the setting is not given. */
  readonly default?: number;
}

export const exporterLimits = {
  /** Seconds per batch: a file per interval with events. */
  intervalSeconds: { min: 1, max: 3600, default: 60, unit: "seconds" },
  /** Kafka consumers of the exporter's group on one host. */
  workers: { min: 1, max: 64, default: 1, unit: "workers" },
  /** A batch is cut early at this size (its default follows the worker's memory: exporterDefaults, docs/BENCHMARKS.md). */
  maxBatchMb: { min: 1, max: 1024, default: 16, unit: "MiB" },
  /** Records per partition the topic check reads, and the table definition infers its columns from. */
  sample: { min: 1, max: 1000, unit: "records per partition" },
} as const satisfies Record<string, WholeRange>;

/** How many records per partition each reader samples when not told. */
export const sampleDefaults = { topicCheck: 20, table: 100 } as const;

/** The batch size is set in MiB and kept in the config in bytes. */
export const bytesPerMiB = 1024 * 1024;

/** The range as the CLI's help and the window's hints say it: "1 to 3600". */
export const rangeText = (range: WholeRange) => `${range.min} to ${range.max}`;

/** Whether a value is a whole number within the range, both ends included. */
export const isWithin = (range: WholeRange, value: number) => Number.isInteger(value) && value >= range.min && value <= range.max;
