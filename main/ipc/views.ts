// Core records as the contract's result types: only what the UI shows, never a secret.
import type { ExporterInfo, SinkInfo, StreamInfo } from "../../preload/contract.js";
import type { BatchExporterRecord, SinkRecord, StreamRecord } from "../core/config/schema.js";
import { definedFields } from "../core/defined-fields.js";
import { decodingOf } from "../core/exporters/file-shape.js";
import { takesRegistryColumns } from "../core/exporters/parquet/parquet-settings.js";
import { sinkView } from "../core/sinks/sink-view.js";
import { certificateFileView } from "../core/streams/logins/certificate-validity.js";
import { providerOf } from "../core/stores/registry.js";

export function sinkInfo(sink: SinkRecord, exporters: BatchExporterRecord[]): SinkInfo {
  const view = sinkView(sink);
  return {
    name: sink.name,
    bucket: sink.bucket,
    ...(sink.endpoint ? { endpoint: sink.endpoint } : {}),
    type: sink.type,
    ...definedFields(view.bucket, ["region", "pathPrefix", "assumeRoleArn", "projectId", "serviceAccount", "accountName", "sasExpiresOn"]),
    credentials: view.bucket.credentials,
    hasConsole: providerOf(sink).consoleUrl(sink, undefined) !== undefined,
    ...definedFields({ iamUser: providerOf(sink).ownIdentity(sink) }, ["iamUser"]),
    exporters: exporters.filter((exporter) => exporter.sinkName === sink.name).map((exporter) => exporter.name),
    ...(view.lastValidationFile ? { lastValidationFile: view.lastValidationFile } : {}),
  };
}

export function streamInfo(stream: StreamRecord, exporters: BatchExporterRecord[]): StreamInfo {
  return {
    name: stream.name,
    topic: stream.topic,
    bootstrapServers: stream.bootstrapServers,
    ssl: stream.ssl,
    customCa: stream.ssl && stream.caFile !== undefined,
    ...(stream.sasl ? { sasl: saslView(stream.sasl) } : {}),
    ...(stream.clientCertificate ? { clientCertificate: certificateInfo(stream.clientCertificate.certFile) } : {}),
    ...(stream.schemaRegistry
      ? {
          schemaRegistry: {
            url: stream.schemaRegistry.url,
            ...(stream.schemaRegistry.username ? { username: stream.schemaRegistry.username } : {}),
            customCa: stream.schemaRegistry.caFile !== undefined,
            ...(stream.schemaRegistry.oauth
              ? { oauth: stream.schemaRegistry.oauth.logicalCluster ? { logicalCluster: stream.schemaRegistry.oauth.logicalCluster } : {} }
              : {}),
          },
        }
      : {}),
    exporters: exporters.filter((exporter) => exporter.streamName === stream.name).map((exporter) => exporter.name),
  };
}

/** `streams`: the config's, where the exporter's stream says whether it decodes. */
export function exporterInfo(exporter: BatchExporterRecord, streams: readonly StreamRecord[]): ExporterInfo {
  const stream = streams.find((candidate) => candidate.name === exporter.streamName);
  return {
    id: exporter.id,
    name: exporter.name,
    streamName: exporter.streamName,
    sinkName: exporter.sinkName,
    intervalSeconds: exporter.intervalSeconds,
    ...(exporter.pathPrefix ? { pathPrefix: exporter.pathPrefix } : {}),
    includeExistingEvents: exporter.includeExistingEvents,
    workers: exporter.workers,
    maxBatchMb: exporter.maxBatchBytes / 1024 / 1024,
    fields: exporter.fields,
    tombstones: exporter.tombstones,
    format: exporter.parquet ? "parquet" : "jsonl",
    compression: exporter.compression,
    ...(exporter.parquet ? { parquetCompression: exporter.parquet.compression } : {}),
    ...(takesRegistryColumns(exporter) ? { columnsFromRegistry: true } : {}),
    ...(exporter.columns?.length ? { columns: exporter.columns.at(-1)! } : {}),
    ...(exporter.pathTemplate ? { pathTemplate: exporter.pathTemplate } : {}),
    decode: decodingOf(exporter, stream ?? {}),
    paused: exporter.paused,
  };
}

function saslView(sasl: NonNullable<StreamRecord["sasl"]>): NonNullable<StreamInfo["sasl"]> {
  if (sasl.mechanism === "oauthbearer") return { mechanism: sasl.mechanism, who: `OIDC client ${sasl.clientId}` };
  if (sasl.mechanism === "aws-msk-iam")
    return {
      mechanism: sasl.mechanism,
      who: sasl.assumeRoleArn ? `role ${sasl.assumeRoleArn}` : sasl.profile ? `AWS profile ${sasl.profile}` : "AWS credentials",
    };
  return { mechanism: sasl.mechanism, username: sasl.username, who: `user ${sasl.username}` };
}

function certificateInfo(certFile: string): NonNullable<StreamInfo["clientCertificate"]> {
  const { certFile: _file, ...view } = certificateFileView(certFile);
  return view;
}
