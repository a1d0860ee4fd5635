// Sinks: create (also the update), get, list, delete. A sink is written only after it validated
// against its bucket; its secret goes to the keychain under a fresh account, and the old one is
// removed only once the config points at the new one, so nothing is ever half-replaced.
import { randomBytes, randomUUID } from "node:crypto";
import type { FileKind } from "../../../common/record-format.js";
import { fileKindsOf } from "../exporters/parquet/parquet-settings.js";
import type { StoreType } from "../../../common/stores.js";
import type { BatchExporterRecord, SinkRecord } from "../config/schema.js";
import type { ConfigStore } from "../config/store.js";
import { StreamdropError } from "../errors.js";
import type { SecretStore } from "../keychain/secret-store.js";
import type { Logger } from "../log.js";
import type { Kind } from "../stores/kinds.js";
import { providerOf } from "../stores/registry.js";
import type { ValidationResult } from "../stores/validation.js";
import { isWithinPrefix } from "./path-prefix.js";
import { planSink, type CredentialsInput, type SinkInput, type SinkPlan } from "./sink-options.js";

export interface SinkServiceDeps {
  config: ConfigStore;
  secrets: SecretStore;
  log: Logger;
  now?: () => Date;
}

export interface SinkSaved {
  sink: SinkRecord;
  created: boolean;
  validation: ValidationResult;
  /** Accepted all the same, and worth saying (credentials that grant too much, or expire soon). */
  warnings: string[];
}

export class SinkService {
  private readonly now: () => Date;

  constructor(private readonly deps: SinkServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Every check that needs no network or keychain; what `--dry-run` shows. */
  plan(input: SinkInput): Promise<SinkPlan> {
    return planSink(input);
  }

  /** Creates the sink, or updates the one with this name (new credentials replace the old). */
  async create(input: SinkInput): Promise<SinkSaved> {
    const plan = await this.plan(input);
    const before = await this.deps.config.read();
    const existing = before.sinks.find((sink) => sink.name === plan.name);
    if (existing)
      checkExportersStayWithin(
        plan,
        before.batchExporters.filter((exporter) => exporter.sinkName === plan.name),
      );

    const id = existing?.id ?? randomUUID();
    const store = providerOf(plan);
    const secret = store.secretOf(plan);
    const validation = await store.validate(plan, secret, plan.name);
    const account = secret ? `sink/${id}/${randomBytes(6).toString("hex")}` : undefined;
    if (account && secret) await this.deps.secrets.setSecret(account, store.serializeSecret(secret));

    let replaced: SinkRecord | undefined;
    let saved: SinkRecord;
    try {
      saved = await this.deps.config.update((config) => {
        replaced = config.sinks.find((sink) => sink.name === plan.name);
        if (replaced)
          checkExportersStayWithin(
            plan,
            config.batchExporters.filter((exporter) => exporter.sinkName === plan.name),
          );
        const at = this.now().toISOString();
        const common = { id: replaced?.id ?? id, createdAt: replaced?.createdAt ?? at, updatedAt: at, lastValidation: { at, key: validation.key } };
        const record: SinkRecord = store.record(plan, account, validation, common);
        config.sinks = [...config.sinks.filter((sink) => sink.name !== plan.name), record];
        return record;
      });
    } catch (error) {
      if (account) await this.deps.secrets.deleteSecret(account).catch(() => undefined);
      throw error;
    }
    await this.forgetSecretOf(replaced);
    this.deps.log.info({ sink: saved.name, type: saved.type, bucket: saved.bucket, created: !replaced }, replaced ? "sink updated" : "sink created");
    return { sink: saved, created: !replaced, validation, warnings: [...store.warnings(plan), ...lostIdentity(replaced, saved)] };
  }

  /**
   * New credentials for an existing sink, its other settings kept: validated against its bucket
   * and prefix first, then swapped in (the old keychain entry removed only after). Running
   * exporters pick them up on their next start. The sink still counts as the app-made IAM user's
   * when the new key is one of that user's (the store asks whose key it is); otherwise no longer.
   */
  async replaceCredentials(name: string, credentials: CredentialsInput): Promise<SinkSaved> {
    const sink = await this.get(name);
    const kept = {
      name: sink.name,
      bucket: sink.bucket,
      sinkType: sink.type,
      ...(sink.endpoint ? { endpoint: sink.endpoint } : {}),
      ...(sink.pathPrefix ? { pathPrefix: sink.pathPrefix } : {}),
    };
    return this.create({ ...kept, ...providerOf(sink).keptSettings(sink), credentials });
  }

  /**
   * Notes that what the sink's credentials may do changed outside the config (their policy was
   * updated): every engine running its exporters, in any process, sees the sink changed and
   * restarts them at once (rather than at a slow retry), and they prove it with a validation file.
   */
  async noteCredentialsChanged(name: string): Promise<void> {
    const at = this.now().toISOString();
    await this.deps.config.update((config) => {
      const current = config.sinks.find((candidate) => candidate.name === name);
      if (current) current.updatedAt = at;
    });
  }

  /** Writes a new validation file with the sink's current credentials, and notes it. */
  async revalidate(name: string): Promise<ValidationResult> {
    const sink = await this.get(name);
    const validation = await this.validateAt(sink, sink.pathPrefix);
    const at = this.now().toISOString();
    await this.deps.config.update((config) => {
      const current = config.sinks.find((candidate) => candidate.id === sink.id);
      if (current) current.lastValidation = { at, key: validation.key };
    });
    this.deps.log.info({ sink: name, key: validation.key }, "sink validated");
    return validation;
  }

  async list(): Promise<SinkRecord[]> {
    return (await this.deps.config.read()).sinks;
  }

  async get(name: string): Promise<SinkRecord> {
    const sink = (await this.list()).find((candidate) => candidate.name === name);
    if (!sink) throw new StreamdropError("not-found", `There is no sink named ${JSON.stringify(name)}.`, { fixes: [{ id: "list", what: "sinks" }] });
    return sink;
  }

  async linkedExporters(name: string): Promise<BatchExporterRecord[]> {
    return (await this.deps.config.read()).batchExporters.filter((exporter) => exporter.sinkName === name);
  }

  /** How the sink's exporters store files, each once (none when it has no exporters): what its credentials must be allowed to write. */
  async exporterFileKinds(name: string): Promise<FileKind[]> {
    return [...new Set((await this.linkedExporters(name)).flatMap((exporter) => fileKindsOf(exporter)))];
  }

  /** Refuses while batch exporters use the sink, unless `recursive` deletes them first. */
  async delete(name: string, { recursive = false } = {}): Promise<{ sink: SinkRecord; deletedExporters: string[] }> {
    const outcome = await this.deps.config.update((config) => {
      const sink = config.sinks.find((candidate) => candidate.name === name);
      if (!sink) throw new StreamdropError("not-found", `There is no sink named ${JSON.stringify(name)}.`, { fixes: [{ id: "list", what: "sinks" }] });
      const linked = config.batchExporters.filter((exporter) => exporter.sinkName === name).map((exporter) => exporter.name);
      if (linked.length > 0 && !recursive) {
        throw new StreamdropError(
          "conflict",
          `Cannot delete sink with name ${name}, as it still has exporters linked to it: ${linked.join(", ")}. Delete those first.`,
          { fixes: [{ id: "delete-with-exporters" }] },
        );
      }
      config.batchExporters = config.batchExporters.filter((exporter) => exporter.sinkName !== name);
      config.sinks = config.sinks.filter((candidate) => candidate.name !== name);
      return { sink, deletedExporters: linked };
    });
    await this.forgetSecretOf(outcome.sink);
    this.deps.log.info({ sink: name, deletedExporters: outcome.deletedExporters }, "sink deleted");
    return outcome;
  }

  /** Proves the sink's credentials can write where an exporter will (`pathPrefix`, within the sink's). */
  async validateAt(sink: SinkRecord, pathPrefix: string | undefined, compression: FileKind = "none"): Promise<ValidationResult> {
    const target = { ...sink, ...(pathPrefix ? { pathPrefix } : {}), compression };
    return providerOf(sink).validate(target, await this.secretOf(sink), sink.name);
  }

  /** The secret the sink writes with, from the keychain; undefined when the store finds its own (AWS's default chain). */
  async secretOf<T extends StoreType>(sink: SinkRecord & { type: T }): Promise<Kind<T, "secret"> | undefined> {
    const reference = sink.credentials;
    if (reference.source === "default-chain") return undefined;
    if (reference.source === "env")
      throw new StreamdropError("credentials", `Sink ${sink.name} refers to an environment variable for credentials, which sinks do not support; recreate it.`);
    return providerOf<T>(sink).readSecret(await this.storedSecret(sink, reference.account));
  }

  private async storedSecret(sink: SinkRecord, account: string): Promise<string> {
    const stored = await this.deps.secrets.getSecret(account);
    if (stored === undefined) {
      throw new StreamdropError(
        "keychain",
        `The OS keychain has no credentials for sink ${sink.name}: it may be locked, or the entry was removed. Unlock the keychain, or store them again.`,
        { fixes: [{ id: "replace-credentials", sink: sink.name, bucket: sink.bucket }] },
      );
    }
    return stored;
  }

  private async forgetSecretOf(sink: SinkRecord | undefined): Promise<void> {
    if (sink?.credentials.source !== "keychain") return;
    // The config no longer points at it; a failure here leaves an orphan, never a broken sink.
    await this.deps.secrets.deleteSecret(sink.credentials.account).catch((error: unknown) => {
      this.deps.log.warn({ sink: sink.name, error: (error as Error).message }, "could not remove the old keychain entry");
    });
  }
}

/** Said when a sink stops counting as the app-made identity's (new credentials that are not shown to be its). */
function lostIdentity(before: SinkRecord | undefined, after: SinkRecord): string[] {
  const had = before && providerOf(before).ownIdentity(before);
  if (!had || providerOf(after).ownIdentity(after) === had) return [];
  return [
    `Sink ${after.name} is no longer tied to ${had}, which Streamdrop made for it: the new credentials are not shown to be its own (they are another identity's, or that could not be asked). Streamdrop no longer rotates its key or updates its policy.`,
  ];
}

function checkExportersStayWithin(plan: SinkPlan, exporters: BatchExporterRecord[]): void {
  const outside = exporters.filter((exporter) => !isWithinPrefix(exporter.pathPrefix, plan.pathPrefix)).map((exporter) => exporter.name);
  if (outside.length > 0) {
    throw new StreamdropError(
      "conflict",
      `Sink ${plan.name} cannot move to path prefix ${JSON.stringify(plan.pathPrefix ?? "")}: exporters ${outside.join(", ")} write outside it. Delete or recreate them first.`,
    );
  }
}
