// The app's log: JSON lines under the data folder, shared by the app and the CLI, rotated by size
// so it never grows without bound. Nothing secret is ever passed to it; redaction is a second
// line of defence for fields with telling names.
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import pino, { type DestinationStream, type Logger } from "pino";
import { privateDirSync } from "./private-dir.js";
import { rotate } from "./rotation.js";

export type { Logger };

const secretFields = [
  "secretAccessKey",
  "SecretAccessKey",
  "secretKey",
  "password",
  "sessionToken",
  "private_key",
  "privateKey",
  "token",
  "accountKey",
  "connectionString",
];

export interface LogFileOptions {
  maxBytes?: number;
  keep?: number;
}

/** Opens the file on the first line written (commands that log nothing create nothing), and rotates it by size. */
export function rotatingFile(path: string, { maxBytes = 10 * 1024 * 1024, keep = 3 }: LogFileOptions = {}): DestinationStream {
  let stream: ReturnType<typeof pino.destination> | undefined;
  let size = 0;
  return {
    write(line: string) {
      if (!stream) {
        size = existsSync(path) ? statSync(path).size : 0;
        // Private to the user: logs name buckets, topics and hosts.
        privateDirSync(dirname(path));
        stream = pino.destination({ dest: path, sync: true, mode: 0o600 });
      }
      if (size > 0 && size + line.length > maxBytes) {
        rotate(path, keep);
        stream.reopen();
        size = 0;
      }
      stream.write(line);
      size += Buffer.byteLength(line);
    },
  };
}

export function fileLogger(dataDir: string, name: string, options?: LogFileOptions): Logger {
  return pino(
    {
      name,
      level: process.env.STREAMDROP_LOG_LEVEL ?? "info",
      redact: { paths: secretFields.flatMap((field) => [field, `*.${field}`]), censor: "[redacted]" },
    },
    rotatingFile(join(dataDir, "logs", "streamdrop.log"), options),
  );
}

export const silentLogger = (): Logger => pino({ level: "silent" });
