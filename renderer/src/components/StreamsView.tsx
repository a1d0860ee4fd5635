// Streams after set-up: each with its connection, login and topic details; add one (a provider's
// form: TLS with a CA file, and the logins it offers), test and change its connection, delete it
// once no exporter uses it.
import { useState } from "react";
import type { Result, StreamInfo } from "../../../preload/contract";
import { useStore } from "../store";
import { requestOf } from "../store/manage-slice";
import { ConfirmDialog } from "./ConfirmDialog";
import { ConnectionFailure, ConnectionFields, lastClusterOf, useConnection, type Connection } from "./ConnectionFields";
import { RegistryFields, useRegistry } from "./RegistryFields";
import { deletedTopicOf } from "../store/shared-problems";
import { TopicRepair } from "./TopicRepair";
import { ActionButton, ErrorMessage, Field, Success } from "./ui";

export function StreamsView() {
  const { streams } = useStore();
  const [adding, setAdding] = useState(false);
  return (
    <section aria-labelledby="streams-heading">
      <div className="section-head">
        <h2 id="streams-heading">Streams</h2>
        <button type="button" className="button primary" aria-expanded={adding} onClick={() => setAdding(!adding)}>
          Add a stream
        </button>
      </div>
      {adding && <AddStream onDone={() => setAdding(false)} />}
      {streams.length === 0 && !adding ? (
        <div className="empty">
          <p>No streams yet. A stream names one Kafka topic on one cluster; exporters read from streams.</p>
        </div>
      ) : (
        streams.map((stream) => <StreamPanel key={stream.name} stream={stream} />)
      )}
    </section>
  );
}

function TestConnection({ connection, testKey }: { connection: Connection; testKey: string }) {
  const { testStream } = useStore();
  const tested = useStore((state) => requestOf<string[]>(state, `stream-test:${testKey}`));
  return (
    <>
      <ActionButton
        kind="secondary"
        busy={tested.state === "running"}
        busyLabel="Connecting…"
        disabled={!connection.complete}
        onClick={() => void testStream(testKey, connection.input)}
      >
        Test the connection
      </ActionButton>
      {tested.state === "done" && (
        <Success>
          Connected: {tested.value.length} topic{tested.value.length === 1 ? "" : "s"}
          {tested.value.length > 0 ? ` (${tested.value.slice(0, 8).join(", ")}${tested.value.length > 8 ? ", …" : ""})` : ""}.
        </Success>
      )}
      {tested.state === "failed" && <ConnectionFailure failure={tested} connection={connection} />}
    </>
  );
}

function AddStream({ onDone }: { onDone: () => void }) {
  const { addStream, streams } = useStore();
  const added = useStore((state) => requestOf<StreamInfo>(state, "stream-add"));
  const connection = useConnection(lastClusterOf(streams));
  const registry = useRegistry(connection);
  const [name, setName] = useState("");
  const [topic, setTopic] = useState("");
  return (
    <form
      className="form panel"
      aria-label="A new stream"
      onSubmit={(event) => {
        event.preventDefault();
        const { input } = connection;
        void addStream({
          name: name.trim() || topic.trim(),
          topic: topic.trim(),
          ...input,
          ...(registry.input ? { schemaRegistry: registry.input } : {}),
        }).then((ok) => ok && onDone());
      }}
    >
      <ConnectionFields connection={connection} />
      <TestConnection connection={connection} testKey="new" />
      <RegistryFields registry={registry} testKey="new" />
      <Field label="Topic">
        {(props) => <input {...props} value={topic} onChange={(event) => setTopic(event.target.value)} autoComplete="off" spellCheck={false} required />}
      </Field>
      <Field label="Stream name" hint="Defaults to the topic's name.">
        {(props) => <input {...props} value={name} onChange={(event) => setName(event.target.value)} autoComplete="off" />}
      </Field>
      <div className="actions">
        <ActionButton
          type="submit"
          busy={added.state === "running"}
          busyLabel="Checking the cluster and topic…"
          disabled={!connection.complete || !registry.complete || !topic.trim()}
        >
          Add the stream
        </ActionButton>
        <button type="button" className="button secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
      {added.state === "failed" && <ConnectionFailure failure={added} connection={connection} />}
    </form>
  );
}

function StreamPanel({ stream }: { stream: StreamInfo }) {
  const { deleteStream, streamDetails, exporters, statuses } = useStore();
  // Its topic deleted, as an exporter reading it found: a stream that looks normal otherwise.
  const topicGone = deletedTopicOf(stream.name, exporters, statuses);
  const deleted = useStore((state) => requestOf<unknown>(state, `stream-delete:${stream.name}`));
  const details = useStore((state) => requestOf<Result<"streams:inspect">>(state, `stream-details:${stream.name}`));
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const inUse = stream.exporters.length > 0;
  return (
    <article className="panel" aria-labelledby={`stream-${stream.name}`}>
      <h3 id={`stream-${stream.name}`}>{stream.name}</h3>
      <dl className="details">
        <dt>Topic</dt>
        <dd>{stream.topic}</dd>
        <dt>Bootstrap servers</dt>
        <dd>{stream.bootstrapServers.join(", ")}</dd>
        <dt>TLS</dt>
        <dd>{stream.ssl ? (stream.customCa ? "on, with its own CA certificate" : "on, with the system's authorities") : "off"}</dd>
        <dt>Login</dt>
        <dd>{loginText(stream)}</dd>
        {stream.clientCertificate && (
          <>
            <dt>Client certificate</dt>
            <dd>{certificateText(stream.clientCertificate)}</dd>
          </>
        )}
        <dt>Schema Registry</dt>
        <dd>{stream.schemaRegistry ? registryText(stream.schemaRegistry) : "none: values in its wire format are kept as bytes"}</dd>
        <dt>Exporters</dt>
        <dd>{inUse ? stream.exporters.join(", ") : "none"}</dd>
      </dl>
      {(stream.clientCertificate?.warning || stream.clientCertificate?.problem) && (
        <div className="message error" role="alert">
          <strong>{stream.clientCertificate.problem ? "Needs your attention. " : "Needs your attention soon. "}</strong>
          {stream.clientCertificate.problem ?? stream.clientCertificate.warning} Give the stream its renewed certificate with “Change the connection”.
        </div>
      )}
      {topicGone && (
        <div className="message error" role="alert">
          <strong>Needs your attention. </strong>
          Topic {stream.topic} no longer exists on {stream.bootstrapServers.join(",")} (exporter {topicGone.exporter} found it deleted). Create it again, or
          delete the exporters that read it.
          <TopicRepair stream={stream.name} topic={stream.topic} partitions={topicGone.partitions} />
        </div>
      )}
      <div className="actions">
        <ActionButton kind="secondary" busy={details.state === "running"} busyLabel="Reading the topic…" onClick={() => void streamDetails(stream.name)}>
          Topic details
        </ActionButton>
        <button type="button" className="button secondary" aria-expanded={editing} onClick={() => setEditing(!editing)}>
          Change the connection
        </button>
        <button
          type="button"
          className="button danger"
          disabled={inUse || deleted.state === "running"}
          aria-describedby={inUse ? `stream-${stream.name}-in-use` : undefined}
          onClick={() => setConfirming(true)}
        >
          Delete
        </button>
      </div>
      {inUse && (
        <p className="hint" id={`stream-${stream.name}-in-use`}>
          It cannot be deleted while exporters read it: delete {stream.exporters.join(", ")} first.
        </p>
      )}
      {details.state === "done" && <TopicDetails check={details.value} />}
      {details.state === "failed" && <ErrorMessage>{details.message}</ErrorMessage>}
      {deleted.state === "failed" && <ErrorMessage>{deleted.message}</ErrorMessage>}
      {editing && <EditConnection stream={stream} onDone={() => setEditing(false)} />}
      {confirming && (
        <ConfirmDialog
          title={`Delete stream ${stream.name}?`}
          confirmLabel="Delete stream"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void deleteStream(stream.name);
          }}
        >
          <p>The stream and its login's secrets in the keychain are removed. The topic {stream.topic} and its events stay in Kafka.</p>
        </ConfirmDialog>
      )}
    </article>
  );
}

function TopicDetails({ check }: { check: Result<"streams:inspect"> }) {
  const retention =
    check.retentionMs === undefined ? "not known" : check.retentionMs === null ? "kept forever" : `${Math.round(check.retentionMs / 3_600_000)} h`;
  return (
    <div className="table-wrap">
      <p>
        {check.partitions.length} partition{check.partitions.length === 1 ? "" : "s"}, retention {retention},{" "}
        {check.eventsPerSecond.toFixed(check.eventsPerSecond < 10 ? 2 : 0)} events/s over the last 5 minutes.
      </p>
      <table className="table">
        <caption className="visually-hidden">Partitions of {check.topic}</caption>
        <thead>
          <tr>
            <th scope="col">Partition</th>
            <th scope="col">Leader</th>
            <th scope="col">First offset</th>
            <th scope="col">Next offset</th>
          </tr>
        </thead>
        <tbody>
          {check.partitions.map((partition) => (
            <tr key={partition.partition}>
              <td>{partition.partition}</td>
              <td>{partition.leader ?? "none"}</td>
              <td>{partition.low.toLocaleString("en")}</td>
              <td>{partition.high.toLocaleString("en")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EditConnection({ stream, onDone }: { stream: StreamInfo; onDone: () => void }) {
  const { updateStream } = useStore();
  const updated = useStore((state) => requestOf<StreamInfo>(state, `stream-update:${stream.name}`));
  const connection = useConnection({
    bootstrapServers: stream.bootstrapServers.join(","),
    ssl: stream.ssl,
    ...(stream.sasl ? { sasl: stream.sasl } : {}),
    ...(stream.clientCertificate ? { clientCertificate: stream.clientCertificate } : {}),
  });
  const registry = useRegistry(connection, stream.schemaRegistry);
  return (
    <form
      className="form"
      aria-label={`The connection of ${stream.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        // The login as it was needs no secret again; a new login, user or mechanism does.
        void updateStream({
          name: stream.name,
          ...connection.change(),
          ...registry.change(),
        }).then((ok) => ok && onDone());
      }}
    >
      <ConnectionFields connection={connection} />
      <TestConnection connection={connection} testKey={stream.name} />
      <RegistryFields registry={registry} testKey={stream.name} />
      <p className="muted">
        Saving checks that topic {stream.topic} answers on the new connection (and the registry, if changed); exporters reading it restart with it.
      </p>
      <div className="actions">
        <ActionButton
          type="submit"
          busy={updated.state === "running"}
          busyLabel="Checking the new connection…"
          disabled={!connection.savable || !registry.complete}
        >
          Save the connection
        </ActionButton>
        <button type="button" className="button secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
      {updated.state === "failed" && <ConnectionFailure failure={updated} connection={connection} />}
    </form>
  );
}

const loginNames: Record<NonNullable<StreamInfo["sasl"]>["mechanism"], string> = {
  plain: "PLAIN",
  "scram-sha-256": "SCRAM-SHA-256",
  "scram-sha-512": "SCRAM-SHA-512",
  oauthbearer: "OAuth",
  "aws-msk-iam": "AWS IAM",
};

/** The stream's registry in words: where, and how it logs in (never the secret). */
function registryText({ url, username, oauth }: NonNullable<StreamInfo["schemaRegistry"]>): string {
  if (username) return `${url} as ${username} (password in the OS keychain)`;
  if (oauth) return `${url}, logs in with the stream's OAuth client${oauth.logicalCluster ? ` (logical cluster ${oauth.logicalCluster})` : ""}`;
  return url;
}

/** How the stream logs in, in words: who, and where the secret is (never the secret). */
function loginText({ sasl, clientCertificate }: StreamInfo): string {
  if (!sasl) return clientCertificate ? "its client certificate (key in the OS keychain)" : "none";
  const where =
    sasl.mechanism === "oauthbearer" ? " (client secret in the OS keychain)" : sasl.mechanism === "aws-msk-iam" ? "" : " (password in the OS keychain)";
  return `${loginNames[sasl.mechanism]} as ${sasl.username ?? sasl.who}${where}`;
}

function certificateText(certificate: NonNullable<StreamInfo["clientCertificate"]>): string {
  if (certificate.problem && !certificate.subject) return "cannot be read";
  const until = certificate.expiresAt ? `, valid until ${certificate.expiresAt.slice(0, 10)}` : "";
  return `${certificate.subject ?? "a certificate"}${until}`;
}
