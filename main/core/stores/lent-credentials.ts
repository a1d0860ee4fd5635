// Credentials a person lends to read what a sink's own key may not (a preview of a stored file:
// the exporter's least-privilege key can write but never read). Asked once per session: kept in
// this process's memory by sink, and in the OS keychain only when the person asks for that.
// Forgotten, in both, when they stop working (a read refused with them) or the sink goes. Kept by
// the sink's id, never its name: a new sink of a deleted one's name never reads with them.
import type { SecretStore } from "../keychain/secret-store.js";
import type { LentCredentials } from "./provider.js";

const accountOf = (sink: string) => `lent-preview:${sink}`;

export class LentCredentialsKeeper {
  private readonly kept = new Map<string, LentCredentials>();

  constructor(private readonly secrets: SecretStore) {}

  /** Lent earlier in this session, or remembered in the keychain; undefined when neither. */
  async get(sink: string): Promise<LentCredentials | undefined> {
    const inMemory = this.kept.get(sink);
    if (inMemory) return inMemory;
    // A locked or missing keychain only means nothing was remembered: the person is asked again.
    const stored = await this.secrets.getSecret(accountOf(sink)).catch(() => undefined);
    const parsed = stored === undefined ? undefined : parseLent(stored);
    if (parsed) this.kept.set(sink, parsed);
    return parsed;
  }

  /** Credentials that just worked: kept for the session, and in the keychain if `remember` (else any remembered before go). */
  async keep(sink: string, lent: LentCredentials, remember: boolean): Promise<void> {
    this.kept.set(sink, lent);
    if (remember) await this.secrets.setSecret(accountOf(sink), JSON.stringify(lent));
    else await this.secrets.deleteSecret(accountOf(sink)).catch(() => false);
  }

  async forget(sink: string): Promise<void> {
    this.kept.delete(sink);
    await this.secrets.deleteSecret(accountOf(sink)).catch(() => false);
  }
}

/** A remembered entry, or undefined if it is not one this version wrote. */
function parseLent(text: string): LentCredentials | undefined {
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    if (typeof value.accessKeyId === "string" && typeof value.secretAccessKey === "string")
      return { accessKeyId: value.accessKeyId, secretAccessKey: value.secretAccessKey };
    if (typeof value.connectionString === "string") return { connectionString: value.connectionString };
  } catch {
    // Not JSON: not ours.
  }
  return undefined;
}
