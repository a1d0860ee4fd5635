// `create/list/get/delete/pause/resume batch-exporter`, `files`, `logs batch-exporter`, `run`.
import { cliMessage } from "../fix-text.js";
import { createReadStream, existsSync, readFileSync, statSync } from "node:fs";
import { createInterface } from "node:readline";
import { Option, type Command } from "commander";
import type { BatchExporterRecord } from "../../core/config/schema.js";
import type { ExporterStatus } from "../../core/exporters/control/engine.js";
import type { Core } from "../../core/index.js";
import { logFileOf, logLineText, parseLogLine } from "../../core/log-reader.js";
import { StreamdropError } from "../../core/errors.js";
import { lineFormatWarnings, parseFields, type LineFormatWarning } from "../../core/exporters/lines/line-format.js";
import { bytesPerMiB, exporterLimits, rangeText } from "../../../common/exporter-settings.js";
import { tokenList } from "../../../common/path-template.js";
import { decodings, fileFormats, recordFields } from "../../../common/record-format.js";
import { columnsText } from "../../../common/table-columns.js";
import { registryColumns } from "../../../common/table-columns.js";
import { takesRegistryColumns } from "../../core/exporters/parquet/parquet-settings.js";
import type { BoardView } from "../../core/exporters/control/status-board.js";
import type { ExporterChanges } from "../../core/exporters/control/exporter-service.js";
import { logCounters } from "../../core/exporters/control/status-merge.js";
import { wholeNumber } from "../numbers.js";
import { outputOption, printJson, printTable, type OutputFormat } from "../output.js";
import type { Verbs } from "./sinks.js";

const exporterView = (exporter: BatchExporterRecord) => ({
  ref: { name: exporter.name },
  id: exporter.id,
  streamRef: { name: exporter.streamName },
  sinkName: exporter.sinkName,
  interval: `${exporter.intervalSeconds}s`,
  ...(exporter.pathPrefix ? { pathPrefix: exporter.pathPrefix } : {}),
  includeExistingEvents: exporter.includeExistingEvents,
  workers: exporter.workers,
  maxBatchMb: exporter.maxBatchBytes / bytesPerMiB,
  fields: exporter.fields.join(","),
  tombstones: exporter.tombstones,
  format: exporter.parquet ? "parquet" : "jsonl",
  // A Parquet exporter's compression is Parquet's; its -invalid files' is said apart.
  compression: exporter.parquet ? exporter.parquet.compression : exporter.compression,
  ...(exporter.parquet && exporter.compression !== "none" ? { invalidCompression: exporter.compression } : {}),
  ...(takesRegistryColumns(exporter)
    ? { columns: registryColumns }
    : exporter.parquet && exporter.columns
      ? { columns: columnsText(exporter.columns.at(-1)!.columns), columnsVersion: exporter.columns.at(-1)!.version }
      : {}),
  ...(exporter.pathTemplate ? { pathTemplate: exporter.pathTemplate } : {}),
  ...(exporter.decode ? { decode: exporter.decode } : {}),
  paused: exporter.paused,
});

/**
 * The exporter's status as the engines running it (any number of processes) decided it, merged
 * by the board, its counters read from the export log now; or why there is none.
 */
async function boardView(core: Core, exporterId: string): Promise<BoardView | undefined> {
  return core.statusBoard.read(exporterId, logCounters(await core.exportLog.summary(exporterId, 0)));
}

function statusView(view: BoardView | undefined) {
  if (!view) return { state: "not running", note: "No `streamdrop run` or app has run this exporter yet." };
  const { status } = view;
  return {
    state: view.live ? status.state : "not running",
    ...(view.live ? { processes: view.processes } : { note: `Nothing runs it now; it was ${status.state} at ${view.at}.` }),
    asOf: view.at,
    eventsExported: status.eventsExported,
    filesWritten: status.filesWritten,
    ...(status.invalidExported ? { invalidExported: status.invalidExported } : {}),
    ...(status.tombstonesSkipped ? { tombstonesSkipped: status.tombstonesSkipped } : {}),
    lag: status.lagEvents,
    ...(status.secondsBehind !== undefined ? { secondsBehind: status.secondsBehind } : {}),
    ...(status.backlog ? { backlog: status.backlog } : {}),
    ...(status.lastFile ? { lastFile: status.lastFile } : {}),
    ...(status.lastError ? { error: status.fixes ? cliMessage({ message: status.lastError, fixes: status.fixes }) : status.lastError } : {}),
    ...(status.problem ? { needsAttention: status.problem } : {}),
    ...(status.caughtUp ? { caughtUp: true } : {}),
    ...(status.warning ? { warning: status.warning } : {}),
    ...(status.columnsProposal
      ? {
          columnsProposal: {
            fields: status.columnsProposal.fields,
            basedOn: status.columnsProposal.basedOn,
            columns: columnsText(status.columnsProposal.columns),
            note: `Events hold fields the columns (version ${status.columnsProposal.basedOn}) lack; those records went to the -invalid files. Keep such fields from now on with \`streamdrop update batch-exporter ${status.name} --columns ${shellQuoted(columnsText(status.columnsProposal.columns))}\` (change the types first if you like).`,
          },
        }
      : {}),
  };
}

export function registerExporterCommands(program: Command, verbs: Verbs, core: () => Core): void {
  verbs.create
    .command("batch-exporter <stream>")
    .description("create a batch exporter: the stream's events into the sink's bucket, as JSON Lines or Parquet files")
    .requiredOption("--sink <sink>", "the sink to write to")
    .option("--name <name>", "the exporter's name (default <sink>-<stream>)")
    .option("--interval <seconds>", `seconds per batch, ${rangeText(exporterLimits.intervalSeconds)}`, String(exporterLimits.intervalSeconds.default))
    .option("--path-prefix <prefix>", "where files go (default: the sink's prefix; must lie within it)")
    .option("--include-existing-events", "start from the earliest event instead of the latest")
    .option("--max-batch-mb <mib>", "cut a batch early at this size", String(exporterLimits.maxBatchMb.default))
    .option("--workers <n>", "Kafka consumers in the exporter's group", String(exporterLimits.workers.default))
    .option("--fields <list>", `what each line holds: value (the event itself), or a comma list of ${recordFields.join(",")}`, "value")
    .option("--tombstones <policy>", "records with a null value: invalid (to the -invalid file), skip, or keep (needs --fields beyond value)", "invalid")
    .addOption(new Option("--format <format>", "jsonl (a line per event) or parquet (columns, for query engines)").choices(fileFormats).default("jsonl"))
    .option(
      "--compression <kind>",
      "JSON Lines: none (.jsonl, the default), gzip (.jsonl.gz) or zstd (.jsonl.zst), stored as the file itself; Parquet: zstd (the default), snappy, gzip or none, inside the file",
    )
    .option(
      "--columns <columns>",
      "a Parquet exporter's columns, such as 'id int64, at timestamp(micros), tags list<string>', or registry for each event's registered schema's, a file per schema (default: registry where values are decoded with the stream's Schema Registry and most of the topic's latest events are in its wire format, or the topic is empty; else proposed from the topic's latest events)",
    )
    .option("--columns-file <file>", "the columns read from a file, as --columns takes them")
    .addOption(
      new Option(
        "--decode <decoding>",
        "keys and values in a Schema Registry's wire format: registry (decoded to JSON; the default when the stream has a --schema-registry) or none (kept as bytes)",
      ).choices(decodings),
    )
    .option(
      "--path-template <folders>",
      `folders between the prefix and each file, from the file's UTC cut time: e.g. dt={date}/hour={hour} or {yyyy}/{MM}/{dd}/{HH}; tokens ${tokenList()}`,
    )
    .action(
      async (
        streamName: string,
        options: {
          sink: string;
          name?: string;
          interval: string;
          pathPrefix?: string;
          includeExistingEvents?: boolean;
          maxBatchMb: string;
          workers: string;
          fields: string;
          tombstones: string;
          format: string;
          compression?: string;
          columns?: string;
          columnsFile?: string;
          pathTemplate?: string;
          decode?: string;
        },
      ) => {
        const columns = columnsOption(options);
        const exporter = await core().exporters.create({
          streamName,
          sinkName: options.sink,
          intervalSeconds: wholeNumber("--interval", options.interval),
          maxBatchMb: wholeNumber("--max-batch-mb", options.maxBatchMb),
          workers: wholeNumber("--workers", options.workers),
          includeExistingEvents: options.includeExistingEvents ?? false,
          fields: parseFields(options.fields),
          tombstones: options.tombstones,
          format: options.format,
          ...(options.compression !== undefined ? { compression: options.compression } : {}),
          ...(columns !== undefined ? { columns } : {}),
          // Given, even empty: an empty name is refused, not replaced by the default.
          ...(options.name !== undefined ? { name: options.name } : {}),
          ...(options.pathPrefix !== undefined ? { pathPrefix: options.pathPrefix } : {}),
          ...(options.pathTemplate !== undefined ? { pathTemplate: options.pathTemplate } : {}),
          ...(options.decode !== undefined ? { decode: options.decode } : {}),
        });
        printJson(exporterView(exporter));
        if (takesRegistryColumns(exporter) && columns === undefined)
          process.stderr.write(
            `Note: stream ${streamName}'s values are decoded with its Schema Registry, and its latest events are in the registry's wire format (or there are none yet), so each Parquet file takes the columns of its events' registered schema (a file per schema in each cut). Give \`--columns '…'\` instead to keep columns of your own.\n`,
          );
        else if (exporter.parquet && columns === undefined)
          process.stderr.write(
            `Note: the columns were proposed from the latest events of stream ${streamName}. Check them; change them with \`streamdrop update batch-exporter ${exporter.name} --columns '…'\` (files keep the version of the columns they were written with).\n`,
          );
        for (const warning of lineFormatWarnings(exporter.fields)) process.stderr.write(`Warning: ${lineWarningText(warning, exporter.fields)}\n`);
      },
    );

  verbs.list
    .command("batch-exporters")
    .description("list batch exporters")
    .addOption(outputOption("table"))
    .action(async (options: { output: OutputFormat }) => {
      const exporters = await core().exporters.list();
      if (options.output === "json") return printJson({ batchExporters: exporters.map(exporterView) });
      printTable(
        ["NAME", "STREAM", "SINK", "INCLUDE EXISTING EVENTS", "INTERVAL", "PATH PREFIX", "FIELDS", "WORKERS", "PAUSED"],
        exporters.map((exporter) => [
          exporter.name,
          exporter.streamName,
          exporter.sinkName,
          String(exporter.includeExistingEvents),
          `${exporter.intervalSeconds}s`,
          exporter.pathPrefix,
          exporter.fields.join(","),
          String(exporter.workers),
          exporter.paused ? "yes" : "no",
        ]),
      );
    });

  verbs.get
    .command("batch-exporter <name>")
    .description("show one batch exporter, and how it is doing (from every `run` or app that runs it)")
    .addOption(outputOption("json"))
    .action(async (name: string, options: { output: OutputFormat }) => {
      const exporter = await core().exporters.get(name);
      const status = exporter.paused ? { state: "paused" } : statusView(await boardView(core(), exporter.id));
      if (options.output === "json") return printJson({ ...exporterView(exporter), status });
      const shown: { state: string; eventsExported?: number; filesWritten?: number; lag?: number; processes?: number } = status;
      printTable(
        ["NAME", "STREAM", "SINK", "STATE", "EVENTS", "FILES", "LAG", "PROCESSES"],
        [
          [
            exporter.name,
            exporter.streamName,
            exporter.sinkName,
            shown.state,
            shown.eventsExported?.toString(),
            shown.filesWritten?.toString(),
            shown.lag?.toString(),
            shown.processes?.toString(),
          ],
        ],
      );
    });

  verbs.delete
    .command("batch-exporter <names...>")
    .description("delete batch exporters (a running `streamdrop run` stops them within seconds)")
    .action(async (names: string[]) => {
      await core().exporters.delete(names);
      process.stderr.write(`Deleted batch exporter${names.length > 1 ? "s" : ""} ${names.join(", ")}.\n`);
    });

  for (const [verb, paused] of [
    ["pause", true],
    ["resume", false],
  ] as const) {
    program
      .command(verb)
      .description(`${verb} a batch exporter`)
      .command("batch-exporter <name>")
      .description(`${verb} a batch exporter (a running \`streamdrop run\` follows within seconds)`)
      .action(async (name: string) => {
        await core().exporters.setPaused(name, paused);
        process.stderr.write(`${paused ? "Paused" : "Resumed"} batch exporter ${name}.\n`);
      });
  }

  verbs.update
    .command("batch-exporter <name>")
    .description("change an exporter's settings (a running `streamdrop run` restarts its workers with them); says first what the change does")
    .option("--interval <seconds>", `seconds per batch, ${rangeText(exporterLimits.intervalSeconds)}`)
    .option("--path-prefix <prefix>", 'where new files go ("" goes back to the sink\'s prefix)')
    .option("--workers <n>", "Kafka consumers in the exporter's group")
    .option("--max-batch-mb <mib>", "cut a batch early at this size")
    .option("--fields <list>", `what each line holds: value, or a comma list of ${recordFields.join(",")}`)
    .option("--tombstones <policy>", "records with a null value: invalid, skip or keep")
    .addOption(new Option("--format <format>", "jsonl or parquet").choices(fileFormats))
    .option("--compression <kind>", "JSON Lines: none, gzip or zstd; Parquet: zstd, snappy, gzip or none")
    .option("--columns <columns>", "a Parquet exporter's columns (a new version when they differ), or registry for each event's registered schema's")
    .option("--columns-file <file>", "the columns read from a file")
    .option("--path-template <folders>", 'folders between the prefix and each file ("" removes them)')
    .addOption(new Option("--decode <decoding>", "registry or none").choices(decodings))
    .option("--dry-run", "say what the change would do, and change nothing")
    .action(async (name: string, options: UpdateOptions) => {
      const changes = changesOf(options);
      if (Object.keys(changes).length === 0) throw new StreamdropError("invalid-input", "Nothing to change: give at least one setting, such as --interval 60.");
      const { before, after, effects } = await core().exporters.planUpdate(name, changes);
      for (const effect of effects)
        process.stderr.write(`${effect.code === "no-values" ? "Warning" : "Note"}: ${cliMessage({ message: effect.message, fixes: effect.fixes ?? [] })}\n`);
      if (options.dryRun) {
        process.stderr.write(`Dry run: batch exporter ${name} is unchanged.\n`);
        return printJson({ before: exporterView(before), after: exporterView(after) });
      }
      printJson(exporterView(await core().exporters.update(name, changes)));
    });

  program
    .command("scale")
    .description("change how many workers run an exporter")
    .command("batch-exporter <name>")
    .requiredOption("--workers <n>", `Kafka consumers of the exporter's group on this host, ${rangeText(exporterLimits.workers)}`)
    .description("change the number of workers (a running `streamdrop run` follows within seconds)")
    .action(async (name: string, options: { workers: string }) => {
      const exporter = await core().exporters.setWorkers(name, wholeNumber("--workers", options.workers));
      process.stderr.write(`Batch exporter ${name} now runs ${exporter.workers} worker${exporter.workers === 1 ? "" : "s"}.\n`);
    });

  program
    .command("files <exporter>")
    .description("list the files an exporter wrote (from the export log)")
    .addOption(outputOption("table"))
    .action(async (name: string, options: { output: OutputFormat }) => {
      const exporter = await core().exporters.get(name);
      const entries = await core().exportLog.read(exporter.id);
      if (options.output === "json") return printJson({ files: entries });
      printTable(
        ["TIME", "KEY", "BYTES", "RECORDS", "PARTITIONS"],
        entries.map((entry) => [
          entry.at,
          entry.key,
          String(entry.bytes),
          String(entry.records),
          entry.partitions.map((range) => `${range.partition}:${range.first}-${range.last}`).join(" "),
        ]),
      );
    });

  program
    .command("logs")
    .description("show what an exporter did")
    .command("batch-exporter <name>")
    .option("-f, --follow", "keep printing new lines")
    .action(async (name: string, options: { follow?: boolean }) => {
      await core().exporters.get(name);
      await printLog(logFileOf(core().dataDir), name, options.follow ?? false);
    });

  program
    .command("run")
    .description("run every batch exporter in the config until SIGINT or SIGTERM, showing progress")
    .option("--exporter <names...>", "run only these exporters")
    .option("--progress-every <seconds>", "seconds between progress lines", "5")
    .action(async (options: { exporter?: string[]; progressEvery: string }) => {
      const every = wholeNumber("--progress-every", options.progressEvery, { min: 1, max: 3600 });
      const exporters = await core().exporters.list();
      if (exporters.length === 0)
        throw new StreamdropError("not-found", "There are no batch exporters to run. Create one with `streamdrop create batch-exporter`.");
      const unknown = (options.exporter ?? []).filter((name) => !exporters.some((exporter) => exporter.name === name));
      if (unknown.length > 0)
        throw new StreamdropError(
          "not-found",
          `There is no batch exporter named ${unknown.join(", ")}. The exporters are: ${exporters.map((exporter) => exporter.name).join(", ")}.`,
        );
      const engine = core().engine();
      await engine.start(options.exporter);
      process.stderr.write(`Running ${options.exporter?.join(", ") ?? `${exporters.length} exporter(s)`}; Ctrl-C stops cleanly.\n`);
      const progress = setInterval(() => engine.statuses().forEach((status) => process.stderr.write(`${progressLine(status)}\n`)), every * 1000);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      clearInterval(progress);
      process.stderr.write("Stopping: finishing files in flight; what is not stored yet is read again next time.\n");
      await engine.stop();
      process.stderr.write("Stopped.\n");
    });
}

/** The CLI's words for the core's line-format warnings: they name the flag that was given. */
function lineWarningText(warning: LineFormatWarning, fields: readonly string[]): string {
  switch (warning.code) {
    case "no-values":
      return `--fields ${fields.join(",")} leaves out value: the files will hold no event values. Add it (for example --fields ${fields.join(",")},value) to export the events too.`;
  }
}

/** One line of `run`'s progress: the engine's status, printed. */
export function progressLine(status: ExporterStatus): string {
  const behind = status.lagEvents > 0 && status.secondsBehind !== undefined ? ` (${status.secondsBehind} s behind)` : "";
  const backlog = status.backlog ? `, ${Math.floor(100 * status.backlog.fraction)}% of backlog` : status.caughtUp ? ", caught up" : "";
  const parts = [
    `${status.name}: ${status.state}`,
    `${status.eventsExported} events (${Math.round(status.eventsPerSecond)}/s)`,
    `${status.filesWritten} files`,
    `lag ${status.lagEvents}${behind}${backlog}`,
    ...(status.invalidExported > 0 ? [`${status.invalidExported} invalid`] : []),
    ...(status.tombstonesSkipped > 0 ? [`${status.tombstonesSkipped} tombstones skipped`] : []),
    ...(status.lastFile ? [`last ${status.lastFile}`] : []),
    ...(status.lastError
      ? [
          `${status.problem ? "needs attention" : status.state === "retrying" ? "retrying" : "error"}: ${cliMessage({ message: status.lastError, fixes: status.fixes ?? [] })}`,
        ]
      : []),
    ...(status.warning ? [`warning: ${status.warning}`] : []),
  ];
  return parts.join(", ");
}

async function printLog(file: string, exporter: string, follow: boolean): Promise<void> {
  let position = 0;
  const printFrom = async () => {
    if (!existsSync(file) || statSync(file).size <= position) return;
    const lines = createInterface({ input: createReadStream(file, { start: position }) });
    for await (const line of lines) {
      position += Buffer.byteLength(line) + 1;
      const entry = parseLogLine(line);
      if (entry?.exporter === exporter) process.stdout.write(`${logLineText(entry)}\n`);
    }
  };
  await printFrom();
  while (follow) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await printFrom();
  }
}

interface UpdateOptions {
  interval?: string;
  pathPrefix?: string;
  workers?: string;
  maxBatchMb?: string;
  fields?: string;
  tombstones?: string;
  format?: string;
  compression?: string;
  columns?: string;
  columnsFile?: string;
  pathTemplate?: string;
  decode?: string;
  dryRun?: boolean;
}

/** Text as one shell word: in single quotes, a quote in it closed, escaped and opened again. */
const shellQuoted = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;

/** --columns, or the text of --columns-file; one of them. */
function columnsOption(options: { columns?: string; columnsFile?: string }): string | undefined {
  if (options.columns !== undefined && options.columnsFile !== undefined)
    throw new StreamdropError("invalid-input", "Give the columns once: --columns or --columns-file, not both.");
  if (options.columnsFile === undefined) return options.columns;
  try {
    return readFileSync(options.columnsFile, "utf8");
  } catch (error) {
    throw new StreamdropError(
      "invalid-input",
      `The columns file ${options.columnsFile} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Give a file that holds the columns, such as: id int64, name string.`,
    );
  }
}

/** The settings given, as the core's changes (the core checks each as create does). */
function changesOf(options: UpdateOptions): ExporterChanges {
  return {
    ...(options.interval !== undefined ? { intervalSeconds: wholeNumber("--interval", options.interval) } : {}),
    ...(options.pathPrefix !== undefined ? { pathPrefix: options.pathPrefix } : {}),
    ...(options.workers !== undefined ? { workers: wholeNumber("--workers", options.workers) } : {}),
    ...(options.maxBatchMb !== undefined ? { maxBatchMb: wholeNumber("--max-batch-mb", options.maxBatchMb) } : {}),
    ...(options.fields !== undefined ? { fields: parseFields(options.fields) } : {}),
    ...(options.tombstones !== undefined ? { tombstones: options.tombstones } : {}),
    ...(options.format !== undefined ? { format: options.format } : {}),
    ...(options.compression !== undefined ? { compression: options.compression } : {}),
    ...(columnsOption(options) !== undefined ? { columns: columnsOption(options)! } : {}),
    ...(options.pathTemplate !== undefined ? { pathTemplate: options.pathTemplate } : {}),
    ...(options.decode !== undefined ? { decode: options.decode } : {}),
  };
}
