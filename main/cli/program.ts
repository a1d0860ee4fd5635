// The `streamdrop` command line: the verbs of the `strm` CLI over the same core as the app.
import { Command } from "commander";
import { createCore, type Core } from "../core/index.js";
import { productVersion } from "../core/product.js";
import { registerAwsCommands } from "./commands/aws.js";
import { registerExporterCommands } from "./commands/exporters.js";
import { registerInspectCommands } from "./commands/inspect.js";
import { registerSinkCommands } from "./commands/sinks.js";
import { registerStreamCommands } from "./commands/streams.js";
import { registerTableCommands } from "./commands/tables.js";

export function createProgram(makeCore: () => Core = () => createCore({ component: "cli" })): Command {
  let core: Core | undefined;
  // Built on first use, so `--help` and argument errors touch no data folder or keychain.
  const lazyCore = () => (core ??= makeCore());

  const program = new Command("streamdrop")
    .description("Export event streams from Kafka topics into S3, Google Cloud Storage and Azure Blob Storage as JSON Lines batch files.")
    .version(productVersion, "-V, --version")
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });

  const verbs = {
    create: program.command("create").description("create a sink (or update it), a stream or a batch exporter"),
    list: program.command("list").description("list sinks, streams, batch exporters or topics"),
    get: program.command("get").description("show one sink, stream or batch exporter"),
    delete: program.command("delete").description("delete sinks, streams or batch exporters"),
    update: program.command("update").description("change a stream's connection or a batch exporter's settings, after saying what the change does"),
  };
  registerSinkCommands(program, verbs, lazyCore);
  registerStreamCommands(program, verbs, lazyCore);
  registerExporterCommands(program, verbs, lazyCore);
  registerInspectCommands(program, lazyCore);
  registerTableCommands(program, lazyCore);
  registerAwsCommands(program, lazyCore);
  return program;
}
