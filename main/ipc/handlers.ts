// What each IPC call does, over the core. No Electron here: the test bridge serves the same map,
// and the Electron-specific parts (login item, opening links) come in as functions.
import type { AppInfo } from "../../preload/contract.js";
import { setupS3 } from "../core/aws/setup.js";
import { setupDocument } from "../core/aws/setup-doc.js";
import { leastPrivilegePolicy } from "../core/aws/policy.js";
import { StreamdropError } from "../core/errors.js";
import type { ExporterStatus } from "../core/exporters/engine.js";
import { definedFields } from "../core/defined-fields.js";
import type { Core } from "../core/index.js";
import { previewGcsFile, previewS3File } from "../core/exporters/file-preview.js";
import { gcloudSetupDocument } from "../core/gcloud/setup-doc.js";
import { simulateRandomEvents } from "../core/simulate/simulator.js";
import { parseCredentials, sinkTypeOf } from "../core/sinks/credentials-file.js";
import { listTopics, parseBootstrapServers } from "../core/streams/stream-service.js";
import { bucketConsoleUrl, gcsBucketConsoleUrl, isAllowedExternalUrl } from "../external-links.js";
import type { Handlers } from "./dispatch.js";
import { exporterInfo, sinkInfo, streamInfo } from "./views.js";

export interface HandlerContext {
  appInfo: AppInfo;
  core: Core;
  statuses: () => ExporterStatus[];
  settings: { openAtLogin(): boolean; setOpenAtLogin(open: boolean): void };
  openExternal: (url: string) => Promise<void>;
}

export function createHandlers({ appInfo, core, statuses, settings, openExternal }: HandlerContext): Handlers {
  const exporters = () => core.exporters.list();
  return {
    "app:info": async () => appInfo,

    "sinks:list": async () => {
      const all = await exporters();
      return (await core.sinks.list()).map((sink) => sinkInfo(sink, all));
    },
    "sinks:create": async (input) => {
      const saved = await core.sinks.create({
        name: input.name,
        bucket: input.bucket,
        credentials: { from: "text", text: input.credentialsJson, label: input.credentialsLabel },
        ...definedFields(input, ["sinkType", "endpoint", "region", "assumeRoleArn", "pathPrefix"]),
      });
      return { sink: sinkInfo(saved.sink, await exporters()), created: saved.created, validationFile: saved.validation.uri };
    },
    "sinks:delete": async ({ name, recursive }) => ({ deletedExporters: (await core.sinks.delete(name, { recursive })).deletedExporters }),
    "sinks:inspectCredentials": async ({ credentialsJson, credentialsLabel }) => {
      const parsed = parseCredentials(credentialsJson, credentialsLabel);
      const sinkType = sinkTypeOf(parsed);
      if (parsed.kind === "gcs-service-account") {
        return { kind: parsed.kind, sinkType, description: `A Google Cloud service-account key of ${parsed.clientEmail} (project ${parsed.projectId})`, serviceAccount: parsed.clientEmail };
      }
      return parsed.kind === "s3-compatible"
        ? { kind: parsed.kind, sinkType, description: `S3-compatible credentials for ${parsed.endpoint}`, endpoint: parsed.endpoint }
        : { kind: parsed.kind, sinkType, description: `An AWS access key${parsed.userName ? ` of IAM user ${parsed.userName}` : ""}` };
    },

    "streams:list": async () => {
      const all = await exporters();
      return (await core.streams.list()).map((stream) => streamInfo(stream, all));
    },
    "streams:create": async (input) => {
      const stream = await core.streams.create({
        name: input.name,
        bootstrapServers: input.bootstrapServers,
        ...definedFields(input, ["topic", "ssl", "createTopic"]),
        ...(input.sasl ? { sasl: { mechanism: input.sasl.mechanism, username: input.sasl.username, password: { from: "value" as const, value: input.sasl.password } } } : {}),
      });
      return streamInfo(stream, []);
    },
    "streams:delete": async ({ name }) => ({ name: (await core.streams.delete(name)).name }),
    "streams:topics": async ({ bootstrapServers, ssl }) => listTopics({ brokers: parseBootstrapServers(bootstrapServers), ssl: ssl ?? false }),
    "streams:simulate": async ({ stream: name, rate, count }) => {
      const stream = await core.streams.get(name);
      return { sent: await simulateRandomEvents(await core.streams.connection(stream), { topic: stream.topic, rate, count, sessions: 1000 }) };
    },

    "streams:inspect": async ({ name, ...settings }) => core.exporters.inspect({ streamName: name, ...settings }),

    "exporters:list": async () => (await exporters()).map(exporterInfo),
    "exporters:create": async (input) => exporterInfo(await core.exporters.create(input)),
    "exporters:delete": async ({ names }) => ({ deleted: (await core.exporters.delete(names)).map((exporter) => exporter.name) }),
    "exporters:pause": async ({ name }) => exporterInfo(await core.exporters.setPaused(name, true)),
    "exporters:resume": async ({ name }) => exporterInfo(await core.exporters.setPaused(name, false)),
    "exporters:status": async () => statuses(),
    "exporters:files": async ({ name }) => {
      const exporter = await core.exporters.get(name);
      return core.exportLog.read(exporter.id);
    },

    "files:preview": async ({ exporter: name, key, admin }) => {
      const exporter = await core.exporters.get(name);
      const sink = await core.sinks.get(exporter.sinkName);
      if (sink.type === "GCLOUD") return previewGcsFile(sink, await core.sinks.serviceAccountOf(sink), key);
      const credentials = admin ? { accessKeyId: admin.accessKeyId, secretAccessKey: admin.secretAccessKey } : await core.sinks.credentialsFor(sink);
      return previewS3File(sink, credentials, key, admin !== undefined);
    },

    "aws:policy": async ({ bucket, pathPrefix }) => ({ document: JSON.stringify(leastPrivilegePolicy(bucket, pathPrefix), null, 2) }),
    "gcloud:setupDoc": async (input) => ({ markdown: gcloudSetupDocument({ bucket: input.bucket, ...definedFields(input, ["pathPrefix", "projectId", "serviceAccountName"]) }) }),
    "aws:setupDoc": async (input) => ({ markdown: setupDocument({ bucket: input.bucket, ...definedFields(input, ["pathPrefix", "region", "userName"]) }) }),
    "aws:setupS3": async (input) => {
      const steps: string[] = [];
      const admin = input.admin.from === "key" ? { from: "key" as const, accessKey: { accessKeyId: input.admin.accessKeyId, secretAccessKey: input.admin.secretAccessKey } } : { from: "chain" as const, ...definedFields(input.admin, ["profile"]) };
      const result = await setupS3(core.sinks, { bucket: input.bucket, createBucket: input.createBucket, admin, ...definedFields(input, ["pathPrefix", "region", "userName", "sinkName", "endpoint", "rotateKey"]) }, (step) => steps.push(step));
      return { sink: sinkInfo(result.sink, await exporters()), bucketState: result.bucket.state, iamUser: result.userName, accessKeyId: result.accessKeyId, validationFile: result.validation.uri, steps };
    },

    "settings:get": async () => ({ openAtLogin: settings.openAtLogin() }),
    "settings:set": async ({ openAtLogin }) => {
      settings.setOpenAtLogin(openAtLogin);
      return { openAtLogin: settings.openAtLogin() };
    },
    "shell:openBucketConsole": async ({ sinkName, prefix }) => {
      const sink = await core.sinks.get(sinkName);
      if (sink.endpoint) throw new StreamdropError("invalid-input", `Sink ${sinkName} writes to ${sink.endpoint}, which has no cloud console page.`);
      const url = sink.type === "GCLOUD" ? gcsBucketConsoleUrl(sink.bucket, prefix ?? sink.pathPrefix) : bucketConsoleUrl(sink.bucket, sink.region, prefix ?? sink.pathPrefix);
      if (!isAllowedExternalUrl(url)) throw new StreamdropError("invalid-input", "That page is not one the app opens.");
      await openExternal(url);
      return { url };
    },
  };
}
