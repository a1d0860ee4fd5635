// The desktop app's own preferences (theme, notifications), apart from the config the CLI shares:
// `<data folder>/app-settings.json`, replaced atomically. Start at login is the OS's to keep
// (main/login-item.ts), so it is not stored here.
import { randomUUID } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { StreamdropError } from "./errors.js";
import { privateDir } from "./private-dir.js";

export const themes = ["system", "light", "dark"] as const;

const schema = z.object({
  theme: z.enum(themes).default("system"),
  /** Desktop notifications when an exporter needs attention. */
  notifications: z.boolean().default(true),
});

export type AppSettings = z.infer<typeof schema>;

export class AppSettingsStore {
  /** Saves one after another: a person arrowing through the themes saves several times in a row. */
  private saving: Promise<unknown> = Promise.resolve();

  constructor(private readonly dataDir: string) {}

  private get file(): string {
    return join(this.dataDir, "app-settings.json");
  }

  /** The saved preferences; defaults for anything missing or unreadable (preferences never stop the app). */
  async read(): Promise<AppSettings> {
    const text = await readFile(this.file, "utf8").catch(() => "{}");
    try {
      return schema.parse(JSON.parse(text));
    } catch {
      return schema.parse({});
    }
  }

  update(changes: Partial<AppSettings>): Promise<AppSettings> {
    const saved = this.saving.then(() => this.save(changes));
    this.saving = saved.catch(() => undefined);
    return saved;
  }

  private async save(changes: Partial<AppSettings>): Promise<AppSettings> {
    const next = schema.parse({ ...(await this.read()), ...changes });
    try {
      await privateDir(this.dataDir);
      const temporary = `${this.file}.${process.pid}.${randomUUID()}.tmp`;
      await writeFile(temporary, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
      await rename(temporary, this.file);
    } catch (error) {
      throw new StreamdropError(
        "config",
        `Could not save the app's settings in ${this.dataDir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Check that the data folder is writable.`,
      );
    }
    return next;
  }
}
