// What each IPC call does, over the core. No Electron here: the test bridge serves the same map,
// and the Electron-specific parts (login item, opening links) come in as functions.
import type { AppInfo, Input, PolicyChangeInfo } from "../../preload/contract.js";
import type { AdminCredentials } from "../core/stores/s3/aws/admin.js";
import type { PolicyChange } from "../core/stores/s3/aws/policy-update.js";
import type { S3SetupResult } from "../core/stores/s3/aws/setup.js";
import { setupDocument } from "../core/stores/s3/aws/setup-doc.js";
import { leastPrivilegePolicy } from "../core/stores/s3/aws/policy.js";
import { StreamdropError } from "../core/errors.js";
import type { ExportEngine } from "../core/exporters/control/engine.js";
import { definedFields } from "../core/defined-fields.js";
import { decodingOf } from "../core/exporters/file-shape.js";
import { sampleDefaults } from "../../common/exporter-settings.js";
import { lineFormatWarnings } from "../core/exporters/lines/line-format.js";
import type { Core } from "../core/index.js";
import { gcloudSetupDocument } from "../core/stores/gcs/setup-doc.js";
import { simulateRandomEvents } from "../core/simulate/simulator.js";
import { parseCredentials } from "../core/sinks/credentials-file.js";
import { providerOf } from "../core/stores/registry.js";
import { azureSetupDocument } from "../core/stores/azure/setup-doc.js";
import { resolveLogin } from "../core/streams/logins/login-store.js";
import {
  draftConnection,
  listTopics,
  registryConnection,
  type ClientCertificateInput,
  type RegistryInput,
  type SaslInput,
} from "../core/streams/stream-service.js";
import { testRegistry } from "../core/schemas/registry-settings.js";
import { recentExporterLog } from "../core/log-reader.js";
import { isAllowedExternalUrl } from "../external-links.js";
import type { Handlers } from "./dispatch.js";
import { exporterInfo, sinkInfo, streamInfo } from "./views.js";

export interface HandlerContext {
  appInfo: AppInfo;
  core: Core;
  /** The engine running the exporters: its statuses, and a nudge to follow a change at once. */
  engine: Pick<ExportEngine, "statuses" | "nudge">;
  settings: { openAtLogin(): boolean; setOpenAtLogin(open: boolean): void };
  openExternal: (url: string) => Promise<void>;
}

export function createHandlers({ appInfo, core, engine, settings, openExternal }: HandlerContext): Handlers {
  const exporters = () => core.exporters.list();
  /** After a change to the exporters: the engine follows it now, not at its next look. */
  const changed = <T>(value: T): T => {
    void engine.nudge();
    return value;
  };
  /** The AWS setup's outcome as the window shows it, with the steps said as they happened. */
  const setupInfo = async (result: S3SetupResult, steps: string[]) => ({
    sink: sinkInfo(result.sink, await exporters()),
    bucketState: result.bucket.state,
    iamUser: result.userName,
    accessKeyId: result.accessKeyId,
    validationFile: result.validation.uri,
    steps,
  });
  /** The AWS setup; the admin credentials are used once. */
  const runSetup = async ({ admin, ...input }: Input<"aws:setupS3">) => {
    const steps: string[] = [];
    // The setup and the repairs load with their first use, and the S3, IAM and STS SDKs with them.
    const { setupS3 } = await import("../core/stores/s3/aws/setup.js");
    const result = await setupS3(
      core.sinks,
      {
        bucket: input.bucket,
        createBucket: input.createBucket,
        admin: adminCredentials(admin),
        ...definedFields(input, ["pathPrefix", "region", "userName", "sinkName", "endpoint", "rotateKey", "compressions"]),
      },
      (step) => steps.push(step),
    );
    return setupInfo(result, steps);
  };
  return {
    "app:info": async () => appInfo,

    "sinks:list": async () => {
      const all = await exporters();
      return (await core.sinks.list()).map((sink) => sinkInfo(sink, all));
    },
    "sinks:create": async (input) => {
      // The app never replaces a sink by creating one of the same name: Sinks has "Replace credentials" for that.
      if ((await core.sinks.list()).some((sink) => sink.name === input.name)) {
        throw new StreamdropError("conflict", `A sink named ${input.name} already exists.`, {
          fixes: [
            { id: "set", setting: "sink-name" },
            { id: "replace-credentials", sink: input.name },
          ],
        });
      }
      const saved = await core.sinks.create({
        name: input.name,
        bucket: input.bucket,
        credentials: { from: "text", text: input.credentialsJson, label: input.credentialsLabel },
        ...definedFields(input, ["sinkType", "endpoint", "region", "assumeRoleArn", "pathPrefix"]),
      });
      return { sink: sinkInfo(saved.sink, await exporters()), created: saved.created, validationFile: saved.validation.uri, warnings: saved.warnings };
    },
    "sinks:delete": async ({ name, recursive }) => {
      const { sink, deletedExporters } = await core.sinks.delete(name, { recursive });
      await core.lent.forget(sink.id);
      const iamUser = providerOf(sink).ownIdentity(sink);
      return changed({ deletedExporters, ...(iamUser ? { iamUser } : {}) });
    },
    "sinks:replaceCredentials": async ({ name, credentialsJson, credentialsLabel }) => {
      const saved = await core.sinks.replaceCredentials(name, { from: "text", text: credentialsJson, label: credentialsLabel });
      return changed({ sink: sinkInfo(saved.sink, await exporters()), validationFile: saved.validation.uri, warnings: saved.warnings });
    },
    "sinks:validate": async ({ name }) => ({ validationFile: (await core.sinks.revalidate(name)).uri }),
    "sinks:rotateKey": async ({ name, admin }) => {
      const steps: string[] = [];
      const { rotateKey } = await import("../core/stores/s3/aws/rotate-key.js");
      const result = await rotateKey(core.sinks, { sinkName: name, admin: adminCredentials(admin) }, (step) => steps.push(step));
      return changed(await setupInfo(result, steps));
    },
    "sinks:policyChange": async ({ name, admin, compressions }) => {
      const { policyChange } = await import("../core/stores/s3/aws/policy-update.js");
      return policyChangeInfo(
        await policyChange(core.sinks, { sinkName: name, admin: adminCredentials(admin), ...definedFields({ compressions }, ["compressions"]) }),
      );
    },
    "sinks:updatePolicy": async ({ name, admin, compressions, expected }) => {
      const { updatePolicy } = await import("../core/stores/s3/aws/policy-update.js");
      const update = await updatePolicy(core.sinks, {
        sinkName: name,
        admin: adminCredentials(admin),
        ...definedFields({ compressions, expected }, ["compressions", "expected"]),
      });
      return { ...policyChangeInfo(update.change), updated: update.updated, validationFiles: update.confirmed.map((file) => file.uri) };
    },
    "sinks:inspectCredentials": async ({ credentialsJson, credentialsLabel }) => {
      const parsed = parseCredentials(credentialsJson, credentialsLabel);
      return providerOf(parsed).describe(parsed);
    },

    "streams:list": async () => {
      const all = await exporters();
      return (await core.streams.list()).map((stream) => streamInfo(stream, all));
    },
    "streams:create": async (input) => {
      const stream = await core.streams.create({
        name: input.name,
        bootstrapServers: input.bootstrapServers,
        ...definedFields(input, ["topic", "ssl", "caPem", "createTopic"]),
        ...(input.sasl ? { sasl: saslInput(input.sasl) } : {}),
        ...(input.clientCertificate ? { clientCertificate: clientCertificateInput(input.clientCertificate) } : {}),
        ...(input.schemaRegistry ? { schemaRegistry: registryInput(input.schemaRegistry) } : {}),
      });
      return streamInfo(stream, []);
    },
    "streams:update": async ({ name, sasl, clientCertificate, schemaRegistry, ...changes }) => {
      const stream = await core.streams.update(name, {
        ...definedFields(changes, ["bootstrapServers", "ssl", "caPem"]),
        ...(sasl === null ? { sasl: null } : sasl ? { sasl: saslInput(sasl) } : {}),
        ...(clientCertificate === null
          ? { clientCertificate: null }
          : clientCertificate
            ? { clientCertificate: clientCertificateInput(clientCertificate) }
            : {}),
        ...(schemaRegistry === null ? { schemaRegistry: null } : schemaRegistry ? { schemaRegistry: registryInput(schemaRegistry) } : {}),
      });
      return changed(streamInfo(stream, await exporters()));
    },
    "streams:delete": async ({ name }) => ({ name: (await core.streams.delete(name)).name }),
    "streams:recreateTopic": async ({ name, partitions }) => {
      const stream = await core.streams.recreateTopic(name, partitions);
      // The engine sees the stream changed, and restarts its exporters now.
      await engine.nudge();
      return { name: stream.name, topic: stream.topic };
    },
    // The whole login, checked and opened as creating a stream would, held in memory for this one test.
    "streams:topics": async ({ bootstrapServers, ssl, caPem, sasl, clientCertificate }) =>
      listTopics(
        draftConnection({
          bootstrapServers,
          ...definedFields({ ssl, caPem }, ["ssl", "caPem"]),
          ...(sasl ? { sasl: saslInput(sasl) } : {}),
          ...(clientCertificate ? { clientCertificate: clientCertificateInput(clientCertificate) } : {}),
        }),
      ),
    // With the stream's draft login: a registry that logs in with its OAuth client is tested before the stream exists.
    "streams:testRegistry": async (input) =>
      testRegistry(registryConnection(registryInput(input), input.sasl ? resolveLogin(saslInput(input.sasl)) : undefined)),
    "streams:simulate": async ({ stream: name, rate, count }) => {
      const stream = await core.streams.get(name);
      return { sent: await simulateRandomEvents(await core.streams.connection(stream), { topic: stream.topic, rate, count, sessions: 1000 }) };
    },

    "streams:inspect": async ({ name, ...settings }) => core.exporters.inspect({ streamName: name, ...settings }),
    "streams:proposeColumns": async ({ name, sample, decode, fromEvents }) => {
      const stream = await core.streams.get(name);
      return core.exporters.proposeColumns(stream, decodingOf({ decode }, stream), sample ?? sampleDefaults.topicCheck, { fromEvents: fromEvents ?? false });
    },

    "exporters:list": async () => {
      const streams = await core.streams.list();
      return (await exporters()).map((exporter) => exporterInfo(exporter, streams));
    },
    "exporters:create": async (input) => {
      const exporter = await core.exporters.create(input);
      return changed({ ...exporterInfo(exporter, await core.streams.list()), warnings: lineFormatWarnings(exporter.fields) });
    },
    "exporters:delete": async ({ names }) => changed({ deleted: (await core.exporters.delete(names)).map((exporter) => exporter.name) }),
    "exporters:pause": async ({ name }) => changed(exporterInfo(await core.exporters.setPaused(name, true), await core.streams.list())),
    "exporters:resume": async ({ name }) => changed(exporterInfo(await core.exporters.setPaused(name, false), await core.streams.list())),
    "exporters:planUpdate": async ({ name, changes }) => ({ effects: (await core.exporters.planUpdate(name, changes)).effects }),
    "exporters:update": async ({ name, changes }) => changed(exporterInfo(await core.exporters.update(name, changes), await core.streams.list())),
    "exporters:table": ({ name, engine }) => core.tables.definition({ exporterName: name, engine }),
    "exporters:logs": async ({ name, limit }) => {
      await core.exporters.get(name);
      return (await recentExporterLog(core.dataDir, name, limit ?? 200)).map((entry) => ({
        time: entry.time,
        level: entry.level,
        message: entry.message,
        ...(Object.keys(entry.fields).length > 0 ? { details: JSON.stringify(entry.fields) } : {}),
      }));
    },
    "exporters:status": async () => engine.statuses(),
    "exporters:files": async ({ name }) => {
      const exporter = await core.exporters.get(name);
      return core.exportLog.read(exporter.id);
    },

    "files:preview": async ({ exporter: name, key, admin, remember = false }) => {
      const exporter = await core.exporters.get(name);
      const sink = await core.sinks.get(exporter.sinkName);
      // Lent now, or earlier this session: they stand in for the sink's own key (the keychain may be locked).
      const lent = admin ?? (await core.lent.get(sink.id));
      try {
        const preview = await providerOf(sink).preview(sink, lent ? undefined : await core.sinks.secretOf(sink), key, lent);
        if (admin) await core.lent.keep(sink.id, admin, remember);
        return preview;
      } catch (error) {
        // Kept ones that stopped working are asked for again, not tried again and again.
        if (lent && !admin && error instanceof StreamdropError && error.code === "credentials") await core.lent.forget(sink.id);
        throw error;
      }
    },

    "aws:policy": async ({ bucket, pathPrefix, compressions }) => ({
      document: JSON.stringify(leastPrivilegePolicy(bucket, pathPrefix, compressions), null, 2),
    }),
    "gcloud:setupDoc": async (input) => ({
      markdown: gcloudSetupDocument({ bucket: input.bucket, ...definedFields(input, ["pathPrefix", "projectId", "serviceAccountName", "compressions"]) }),
    }),
    "azure:setupDoc": async (input) => ({
      markdown: azureSetupDocument({ bucket: input.bucket, ...definedFields(input, ["pathPrefix", "accountName", "resourceGroup", "compressions"]) }),
    }),
    "aws:setupDoc": async (input) => ({
      markdown: setupDocument({ bucket: input.bucket, ...definedFields(input, ["pathPrefix", "region", "userName", "compressions"]) }),
    }),
    "aws:setupS3": runSetup,

    "settings:get": async () => ({ openAtLogin: settings.openAtLogin(), ...(await core.appSettings.read()) }),
    "settings:set": async ({ openAtLogin, ...preferences }) => {
      if (openAtLogin !== undefined) settings.setOpenAtLogin(openAtLogin);
      const saved = Object.keys(preferences).length > 0 ? await core.appSettings.update(preferences) : await core.appSettings.read();
      return { openAtLogin: settings.openAtLogin(), ...saved };
    },
    "shell:openBucketConsole": async ({ sinkName, prefix }) => {
      const sink = await core.sinks.get(sinkName);
      const url = providerOf(sink).consoleUrl(sink, prefix ?? sink.pathPrefix);
      if (!url) throw new StreamdropError("invalid-input", `Sink ${sinkName} writes to ${sink.endpoint ?? "a store"}, which has no cloud console page.`);
      if (!isAllowedExternalUrl(url)) throw new StreamdropError("invalid-input", "That page is not one the app opens.");
      await openExternal(url);
      return { url };
    },
  };
}

/** Admin credentials as the window lends them (a profile, or a pasted key), as the core takes them. */
const adminCredentials = (admin: Input<"sinks:rotateKey">["admin"]): AdminCredentials =>
  admin.from === "key"
    ? { from: "key", accessKey: { accessKeyId: admin.accessKeyId, secretAccessKey: admin.secretAccessKey } }
    : { from: "chain", ...definedFields(admin, ["profile"]) };

const policyChangeInfo = (change: PolicyChange): PolicyChangeInfo => ({
  iamUser: change.userName,
  policyName: change.policyName,
  ...(change.current !== undefined ? { current: JSON.stringify(change.current, null, 2) } : {}),
  proposed: JSON.stringify(change.proposed, null, 2),
  added: change.difference.added,
  removed: change.difference.removed,
});

/** The window's registry (a password typed now, a CA given as text) as the core takes it. */
const registryInput = (registry: NonNullable<Input<"streams:create">["schemaRegistry"]>): RegistryInput => ({
  url: registry.url,
  ...(registry.username !== undefined ? { username: registry.username } : {}),
  ...(registry.password !== undefined ? { password: { from: "value" as const, value: registry.password } } : {}),
  ...(registry.caPem !== undefined ? { caPem: registry.caPem } : {}),
  ...(registry.oauth !== undefined ? { oauth: registry.oauth.logicalCluster !== undefined ? { logicalCluster: registry.oauth.logicalCluster } : {} } : {}),
});

/** The window's login (secrets as the text typed) as the core takes it: each secret a value, never an environment variable. */
function saslInput(sasl: NonNullable<Input<"streams:topics">["sasl"]>): SaslInput {
  switch (sasl.mechanism) {
    case "oauthbearer":
      return {
        mechanism: sasl.mechanism,
        tokenEndpoint: sasl.tokenEndpoint,
        clientId: sasl.clientId,
        clientSecret: { from: "value", value: sasl.clientSecret },
        ...definedFields(sasl, ["scope", "extensions"]),
      };
    case "aws-msk-iam":
      return { mechanism: sasl.mechanism, region: sasl.region, ...definedFields(sasl, ["accessKey", "profile", "assumeRoleArn"]) };
    default:
      return { mechanism: sasl.mechanism, username: sasl.username, password: { from: "value", value: sasl.password } };
  }
}

/** The window's client certificate as the core takes it: a PKCS#12 file comes as base64, since IPC carries text. */
function clientCertificateInput(certificate: NonNullable<Input<"streams:topics">["clientCertificate"]>): ClientCertificateInput {
  if (certificate.format === "pkcs12") return { format: "pkcs12", p12: Buffer.from(certificate.p12Base64, "base64"), passphrase: certificate.password };
  return { format: "pem", cert: certificate.cert, key: certificate.privateKey, ...(certificate.password ? { passphrase: certificate.password } : {}) };
}
