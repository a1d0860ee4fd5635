// The `streamdrop` command line: the verbs of the `strm` CLI over the same core as the app.
import { Command } from "commander";
import { productVersion } from "../core/product.js";

export function createProgram(): Command {
  return new Command("streamdrop")
    .description("Export event streams from Kafka topics into S3 and Google Cloud Storage buckets as JSON Lines batch files.")
    .version(productVersion, "-V, --version")
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });
}
