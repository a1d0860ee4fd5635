// The app's log: JSON lines under the data folder, shared by the app and the CLI. Nothing secret
// is ever passed to it; redaction is a second line of defence for fields with telling names.
import { join } from "node:path";
import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger };

const secretFields = ["secretAccessKey", "SecretAccessKey", "secretKey", "password", "sessionToken", "private_key"];

/** Opens the log file on the first line written, so commands that log nothing create nothing. */
function lazyFile(path: string): DestinationStream {
  let stream: DestinationStream | undefined;
  return { write: (line: string) => (stream ??= pino.destination({ dest: path, mkdir: true, sync: true })).write(line) };
}

export function fileLogger(dataDir: string, name: string): Logger {
  return pino(
    {
      name,
      level: process.env.STREAMDROP_LOG_LEVEL ?? "info",
      redact: { paths: secretFields.flatMap((field) => [field, `*.${field}`]), censor: "[redacted]" },
    },
    lazyFile(join(dataDir, "logs", "streamdrop.log")),
  );
}

export const silentLogger = (): Logger => pino({ level: "silent" });
