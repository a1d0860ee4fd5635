// The config file shared by the desktop app and the CLI. Every change is a locked
// read-modify-write with an atomic replace, so two processes writing at once lose nothing and a
// crash leaves either the old or the new file. A file we cannot understand is never reset.
import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import lockfile from "proper-lockfile";
import { StreamdropError } from "../errors.js";
import { configSchema, configVersion, emptyConfig, type Config } from "./schema.js";

export class ConfigStore {
  readonly file: string;
  /** The last text read and what it parsed to: an engine reads the config every 2 s, and it seldom changes. */
  private lastRead?: { text: string; config: Config };

  constructor(dataDir: string) {
    this.file = join(dataDir, "config.json");
  }

  async read(): Promise<Config> {
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return emptyConfig();
      throw this.problem(`cannot be read (${(error as NodeJS.ErrnoException).code})`);
    }
    if (this.lastRead?.text !== text) this.lastRead = { text, config: this.parse(text) };
    // A copy: callers change what they read (update's change does).
    return structuredClone(this.lastRead.config);
  }

  /** Applies `change` to a fresh copy under the lock and writes the result if it is valid. */
  async update<T>(change: (config: Config) => T | Promise<T>): Promise<T> {
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    const release = await lockfile.lock(this.file, {
      realpath: false,
      lockfilePath: `${this.file}.lock`,
      stale: 15_000,
      retries: { retries: 1000, factor: 1.1, minTimeout: 5, maxTimeout: 100, randomize: true },
    });
    try {
      const config = await this.read();
      const result = await change(config);
      const checked = configSchema.safeParse(config);
      if (!checked.success) throw new Error(`Refusing to write an invalid config: ${checked.error.message}`);
      await writeAtomically(this.file, `${JSON.stringify(checked.data, null, 2)}\n`);
      return result;
    } finally {
      await release();
    }
  }

  private parse(text: string): Config {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw this.problem("is not valid JSON");
    }
    const version = (value as { version?: unknown } | null)?.version;
    if (typeof version !== "number") throw this.problem('has no "version" number');
    if (version > configVersion) {
      throw this.problem(`was written by a newer Streamdrop (config version ${version}; this one reads version ${configVersion}). Update Streamdrop`);
    }
    if (version < 1) throw this.problem(`has an unknown config version ${version}`);
    const parsed = configSchema.safeParse(value);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join(".")}: ${issue.message}`);
      throw this.problem(`is not a valid Streamdrop config (${issues.join("; ")})`);
    }
    return parsed.data;
  }

  private problem(what: string): StreamdropError {
    return new StreamdropError("config", `The config file ${this.file} ${what}. It was left as it is: fix it, or move it away to start with an empty config.`);
  }
}

/**
 * Temp file in the same folder, fsync, rename over the old file, fsync the folder. A write that
 * fails (a full disk, a folder we may not write) leaves the old file as it was and no temp file.
 */
async function writeAtomically(file: string, content: string): Promise<void> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    const handle = await open(temp, "wx", 0o600);
    try {
      await handle.writeFile(content, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw cannotSave(file, error);
  }
  await syncDirectory(dirname(file));
}

function cannotSave(file: string, error: unknown): StreamdropError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === "ENOSPC"
      ? "the disk is full"
      : code === "EACCES" || code === "EPERM"
        ? "Streamdrop may not write there"
        : code === "EROFS"
          ? "the disk is read-only"
          : (error as Error).message;
  const fix = code === "ENOSPC" ? "Free some disk space and try again" : "Fix the folder's permissions and try again";
  return new StreamdropError("config", `Cannot save the config ${file}: ${why}${code ? ` (${code})` : ""}. Nothing was changed. ${fix}.`, { cause: error });
}

async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    await handle.sync().finally(() => handle.close());
  } catch {
    // Not supported on every platform (Windows); the rename is still atomic there.
  }
}
