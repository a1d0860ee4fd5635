// `inspect stream`: the topic check, printed for a terminal (or as JSON), with the advice turned
// into the flags of `create batch-exporter` that follow it.
import { Option, type Command } from "commander";
import { exporterLimits, rangeText, sampleDefaults } from "../../../common/exporter-settings.js";
import { decodings } from "../../../common/record-format.js";
import type { Core } from "../../core/index.js";
import { parseFields, type LineFormat } from "../../core/exporters/lines/line-format.js";
import type { TopicCheck, ValueKind } from "../../core/streams/topic-check.js";
import { wholeNumber } from "../numbers.js";
import { printJson } from "../output.js";

interface InspectOptions {
  sample: string;
  sink?: string;
  pathPrefix?: string;
  interval?: string;
  fields: string;
  tombstones: string;
  pathTemplate?: string;
  compression: string;
  decode?: string;
  output: "text" | "json";
}

export function registerInspectCommands(program: Command, core: () => Core): void {
  program
    .command("inspect")
    .description("look at what a stream holds before exporting it")
    .command("stream <name>")
    .description(
      "sample the stream's latest records (committing nothing): codecs, kinds of value, tombstones, keys, headers, sizes, and what an exporter would write",
    )
    .option("--sample <n>", `records per partition, ${rangeText(exporterLimits.sample)}`, String(sampleDefaults.topicCheck))
    .option("--sink <sink>", "show file names under this sink's prefix")
    .option("--path-prefix <prefix>", "show file names under this prefix")
    .option("--path-template <folders>", "the exporter's --path-template, for the next file's name")
    .option("--compression <kind>", "the exporter's --compression, for the next file's name", "none")
    .option("--interval <seconds>", "the exporter's interval, for the next file's name")
    .option("--fields <list>", "the exporter's --fields", "value")
    .option("--tombstones <policy>", "the exporter's --tombstones", "invalid")
    .addOption(new Option("--decode <decoding>", "the exporter's --decode (default: registry when the stream has one)").choices(decodings))
    .addOption(new Option("-o, --output <format>", "output format").choices(["text", "json"]).default("text"))
    .action(async (name: string, options: InspectOptions) => {
      const check = await core().exporters.inspect({
        streamName: name,
        sample: wholeNumber("--sample", options.sample),
        fields: parseFields(options.fields),
        tombstones: options.tombstones,
        ...(options.sink ? { sinkName: options.sink } : {}),
        ...(options.pathPrefix ? { pathPrefix: options.pathPrefix } : {}),
        ...(options.pathTemplate ? { pathTemplate: options.pathTemplate } : {}),
        compression: options.compression,
        ...(options.decode ? { decode: options.decode } : {}),
        ...(options.interval !== undefined ? { intervalSeconds: wholeNumber("--interval", options.interval) } : {}),
      });
      if (options.output === "json") printJson(check);
      else process.stdout.write(report(check));
    });
}

const kindNames: Record<ValueKind, string> = {
  jsonObject: "JSON objects",
  otherJson: "other JSON",
  confluentWire: "Confluent wire format (Avro, Protobuf or JSON Schema, by the schema id)",
  text: "UTF-8 text",
  binary: "binary",
  tombstone: "tombstones (null values)",
};

const flagsOf = (settings: Partial<LineFormat>) =>
  [...(settings.fields ? [`--fields ${settings.fields.join(",")}`] : []), ...(settings.tombstones ? [`--tombstones ${settings.tombstones}`] : [])].join(" ");

export function report(check: TopicCheck): string {
  const lines: string[] = [];
  const retention =
    check.retentionMs === undefined
      ? "unknown"
      : check.retentionMs === null
        ? "forever"
        : `${(check.retentionMs / 3_600_000).toFixed(check.retentionMs % 3_600_000 ? 1 : 0)} h`;
  lines.push(
    `Topic ${check.topic}: ${check.partitions.length} partition${check.partitions.length === 1 ? "" : "s"}, retention ${retention}, ${check.eventsPerSecond.toFixed(check.eventsPerSecond < 10 ? 2 : 0)} events/s over the last 5 minutes.`,
  );
  for (const p of check.partitions)
    lines.push(
      `  partition ${p.partition}: offsets ${p.low}-${Math.max(p.low, p.high - 1)}${p.high === p.low ? " (empty)" : ""}${p.leader === null ? ", NO LEADER" : `, leader ${p.leader}`}`,
    );
  if (check.sampled > 0) {
    lines.push(`Sampled ${check.sampled} record${check.sampled === 1 ? "" : "s"}:`);
    lines.push(
      `  codecs: ${Object.entries(check.codecs)
        .map(([codec, count]) => `${codec} ${count}`)
        .join(", ")}`,
    );
    lines.push(
      `  values: ${Object.entries(check.values)
        .filter(([, count]) => count > 0)
        .map(([kind, count]) => `${count} ${kindNames[kind as ValueKind]}`)
        .join(", ")}`,
    );
    lines.push(
      `  keys: ${check.withKey} of ${check.sampled}; headers: ${check.withHeaders} of ${check.sampled}${check.headerKeys.length ? ` (${check.headerKeys.join(", ")})` : ""}`,
    );
    for (const schema of check.schemas ?? [])
      lines.push(
        `  schema id ${schema.id}: ${schema.type === "unknown" ? "unknown to the registry" : schema.type}${schema.subjects.length ? ` (${schema.subjects.map((entry) => `${entry.subject} v${entry.version}`).join(", ")})` : ""}, ${schema.values} values, ${schema.keys} keys`,
      );
    if (check.valueBytes) lines.push(`  value sizes: ${check.valueBytes.min} to ${check.valueBytes.max} bytes, median ${check.valueBytes.median}`);
    const { preview } = check;
    lines.push(`With --fields ${preview.format.fields.join(",")} --tombstones ${preview.format.tombstones}, the next file is ${preview.nextKey}`);
    lines.push(`  of the sample: ${preview.events} lines, ${preview.invalid} to the -invalid file, ${preview.skipped} skipped. Its first lines:`);
    for (const line of preview.lines) lines.push(`  ${line}`);
  }
  for (const advice of check.recommendations) lines.push(`* ${advice.message}${advice.settings ? ` (${flagsOf(advice.settings)})` : ""}`);
  const existing = check.partitions.reduce((total, partition) => total + Math.max(0, partition.high - partition.low), 0);
  if (existing > 0)
    lines.push(
      `* The topic holds ${existing} event${existing === 1 ? "" : "s"} now, which the sample is read from. An exporter starts at the latest and skips them, unless created with --include-existing-events.`,
    );
  return `${lines.join("\n")}\n`;
}
