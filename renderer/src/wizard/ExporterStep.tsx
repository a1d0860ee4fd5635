// The exporter: a stream (existing, a Kafka topic found by testing the connection, or a demo
// stream fed with simulated events), a check of its topic, the sink, the interval, the prefix,
// what each line holds and the files' format (Parquet's columns proposed from the topic, edited
// here); create and start.
import { exporterLimits, rangeText } from "../../../common/exporter-settings";
import { fileKindFormats } from "../../../common/record-format";
import { columnsText, registryColumns } from "../../../common/table-columns";
import { ColumnsEditor, ColumnsSourceField, readColumns } from "../components/ColumnsEditor";
import { CompressionField } from "../components/CompressionField";
import { fileSettingsOf, type FileChoice } from "../components/file-choice";
import { PolicyStatementFix } from "../components/PolicyStatementFix";
import { PathTemplateField, pathTemplateProblem } from "../components/PathTemplateField";
import { objectUri } from "../../../common/stores";
import { useState } from "react";
import { useStore } from "../store";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { ConnectionFailure, ConnectionFields, lastClusterOf, useConnection } from "../components/ConnectionFields";
import { DecodeField, RegistryFields, useRegistry } from "../components/RegistryFields";
import { ActionButton, ErrorMessage, Field, Success } from "../components/ui";
import { defaultLineChoice, isValueOnly, LineSettings, type LineChoice } from "./LineSettings";
import { TopicCheck } from "./TopicCheck";

type StreamChoice = "existing" | "kafka" | "demo";

export function ExporterStep() {
  const { wizard, streams, sinks, testConnection, createStream, simulateEvents, checkTopic, proposeColumns, createExporter } = useStore();
  const [lines, setLines] = useState<LineChoice>(defaultLineChoice);
  const [choice, setChoice] = useState<StreamChoice>(streams.length > 0 ? "existing" : "kafka");
  const [existing, setExisting] = useState(streams[0]?.name ?? "");
  const [streamName, setStreamName] = useState("");
  const connection = useConnection(lastClusterOf(streams));
  const registry = useRegistry(connection);
  const servers = connection.servers;
  /** A new topic's name, asked to be confirmed before it is created (a typo would make an empty topic). */
  const [confirmingTopic, setConfirmingTopic] = useState(false);
  const [topic, setTopic] = useState("");
  const [newTopic, setNewTopic] = useState(false);
  const [partitions, setPartitions] = useState(3);
  const [sinkName, setSinkName] = useState(wizard.madeSink?.name ?? sinks[0]?.name ?? "");
  const [interval, setInterval] = useState<number>(exporterLimits.intervalSeconds.default);
  const [pathPrefix, setPathPrefix] = useState("");
  const [includeExisting, setIncludeExisting] = useState(false);
  // As chosen with the sink's setup, whose policy or document allows those files.
  const [files, setFiles] = useState<FileChoice>(wizard.files);
  /** A Parquet exporter's columns as text: proposed from the topic, edited by the person. */
  const [columns, setColumns] = useState("");
  const draft = readColumns(columns);
  const parquet = files.format === "parquet";
  const [pathTemplate, setPathTemplate] = useState("");
  const made = wizard.stream.state === "done" ? wizard.stream.value : undefined;
  const stream = choice === "existing" ? existing : made?.name;
  const streamInfo = choice === "existing" ? streams.find((candidate) => candidate.name === existing) : made;
  const streamTopic = streamInfo?.topic;
  // Offered when the stream names a registry; the core decides what an exporter without the choice does.
  const [decode, setDecode] = useState(true);
  const decodeSetting = streamInfo?.schemaRegistry ? { decode: decode ? ("registry" as const) : ("none" as const) } : {};
  const topics = wizard.topics;
  const prefix = pathPrefix.trim();
  const check = (choice: LineChoice) => {
    const folders = pathTemplateProblem(pathTemplate) === undefined && pathTemplate ? { pathTemplate } : {};
    if (stream)
      void checkTopic({
        name: stream,
        ...(sinkName ? { sinkName } : {}),
        ...(prefix ? { pathPrefix: prefix } : {}),
        ...folders,
        ...fileSettingsOf(files),
        intervalSeconds: interval,
        fields: choice.fields,
        tombstones: choice.tombstones,
        ...decodeSetting,
      });
  };
  const registryOffered = streamInfo?.schemaRegistry !== undefined && decode;
  // Chosen for one stream: another stream's topic may hold other events.
  const [registryStream, setRegistryStream] = useState<string | undefined>();
  const fromRegistry = registryStream !== undefined && registryStream === stream;
  const setFromRegistry = (chosen: boolean) => setRegistryStream(chosen ? stream : undefined);
  // Columns of its own chosen over the registry's, none given yet: nothing to create the exporter with.
  const ownMissing = parquet && registryOffered && !fromRegistry && draft.state !== "ok";
  const propose = (fromEvents = false) => {
    if (stream)
      void proposeColumns({ name: stream, ...decodeSetting, ...(fromEvents ? { fromEvents } : {}) }).then((proposed) => {
        if (!proposed) return;
        if ("from" in proposed) setFromRegistry(true);
        else setColumns(columnsText(proposed.columns));
      });
  };
  /** Choosing Parquet proposes its columns at once, unless some are there already. */
  const chooseFiles = (choice: FileChoice) => {
    setFiles(choice);
    if (choice.format === "parquet" && columns.trim() === "" && wizard.columns.state !== "running") propose();
  };
  const proposal = wizard.columns;
  const checked = wizard.check.state === "done" ? wizard.check.value.preview.format : undefined;
  const checkedParquet = wizard.check.state === "done" ? wizard.check.value.preview.nextKey.endsWith(fileKindFormats.parquet.suffix) : parquet;
  const stale =
    checked !== undefined && (checked.fields.join() !== lines.fields.join() || checked.tombstones !== lines.tombstones || checkedParquet !== parquet);

  const addStream = () => {
    const name = streamName.trim() || (choice === "demo" ? "demo" : topic);
    void createStream({
      name,
      ...connection.input,
      topic: choice === "demo" ? name : topic,
      ...(choice === "demo" || newTopic ? { createTopic: { partitions } } : {}),
      ...(choice === "kafka" && registry.input ? { schemaRegistry: registry.input } : {}),
    });
  };

  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!stream) return;
        void createExporter({
          streamName: stream,
          sinkName,
          intervalSeconds: interval,
          includeExistingEvents: includeExisting,
          fields: lines.fields,
          tombstones: lines.tombstones,
          ...fileSettingsOf(files),
          // Left empty, the core proposes them as the editor would have.
          ...(parquet && registryOffered && fromRegistry ? { columns: registryColumns } : parquet && draft.state === "ok" ? { columns: draft.text } : {}),
          ...(prefix ? { pathPrefix: prefix } : {}),
          ...(pathTemplate ? { pathTemplate } : {}),
          ...decodeSetting,
        });
      }}
    >
      <h3>The stream</h3>
      <fieldset className="radios">
        <legend>Which events?</legend>
        {streams.length > 0 && (
          <label>
            <input type="radio" name="stream-choice" checked={choice === "existing"} onChange={() => setChoice("existing")} /> A stream I added before
          </label>
        )}
        <label>
          <input type="radio" name="stream-choice" checked={choice === "kafka"} onChange={() => setChoice("kafka")} /> A Kafka topic
        </label>
        <label>
          <input type="radio" name="stream-choice" checked={choice === "demo"} onChange={() => setChoice("demo")} /> A demo stream with simulated clickstream
          events
        </label>
      </fieldset>

      {choice === "existing" && (
        <Field label="Stream">
          {(props) => (
            <select {...props} value={existing} onChange={(event) => setExisting(event.target.value)}>
              {streams.map((candidate) => (
                <option key={candidate.name} value={candidate.name}>
                  {candidate.name} ({candidate.topic} on {candidate.bootstrapServers.join(",")})
                </option>
              ))}
            </select>
          )}
        </Field>
      )}

      {choice !== "existing" && !made && (
        <>
          {choice === "kafka" ? (
            <ConnectionFields connection={connection} />
          ) : (
            <Field label="Kafka bootstrap servers" hint="host:port, several separated by commas.">
              {(props) => (
                <input
                  {...props}
                  value={servers}
                  onChange={(event) => connection.setServers(event.target.value)}
                  autoComplete="off"
                  spellCheck={false}
                  required
                />
              )}
            </Field>
          )}
          {choice === "kafka" && <RegistryFields registry={registry} testKey="wizard" />}
          {choice === "kafka" && (
            <>
              <ActionButton
                kind="secondary"
                busy={topics.state === "running"}
                busyLabel="Connecting…"
                disabled={!connection.complete}
                onClick={() => void testConnection(connection.input)}
              >
                Test the connection and list topics
              </ActionButton>
              {topics.state === "failed" && <ConnectionFailure failure={topics} connection={connection} />}
              {topics.state === "done" && (
                <>
                  <Success>Connected: {topics.value.length} topics.</Success>
                  <label className="checkbox">
                    <input type="checkbox" checked={newTopic} onChange={(event) => setNewTopic(event.target.checked)} /> Create a new topic
                  </label>
                  {newTopic ? (
                    <Field label="New topic name">
                      {(props) => <input {...props} value={topic} onChange={(event) => setTopic(event.target.value)} required />}
                    </Field>
                  ) : (
                    <Field label="Topic">
                      {(props) => (
                        <select {...props} value={topic} onChange={(event) => setTopic(event.target.value)}>
                          <option value="">Choose a topic</option>
                          {topics.value.map((name) => (
                            <option key={name}>{name}</option>
                          ))}
                        </select>
                      )}
                    </Field>
                  )}
                </>
              )}
            </>
          )}
          {(choice === "demo" || newTopic) && (
            <Field label="Partitions">
              {(props) => (
                <input {...props} type="number" min={1} max={100} value={partitions} onChange={(event) => setPartitions(Number(event.target.value))} />
              )}
            </Field>
          )}
          <Field label="Stream name" hint={choice === "demo" ? "Defaults to demo." : "Defaults to the topic's name."}>
            {(props) => <input {...props} value={streamName} onChange={(event) => setStreamName(event.target.value)} autoComplete="off" />}
          </Field>
          <ActionButton
            kind="secondary"
            busy={wizard.stream.state === "running"}
            busyLabel="Checking the cluster and topic…"
            disabled={choice === "kafka" && (!topic || !connection.complete || !registry.complete)}
            onClick={() => (choice === "kafka" && newTopic ? setConfirmingTopic(true) : addStream())}
          >
            Add the stream
          </ActionButton>
          {wizard.stream.state === "failed" && <ConnectionFailure failure={wizard.stream} connection={connection} />}
          {confirmingTopic && (
            <ConfirmDialog
              title={`Create topic ${topic}?`}
              confirmLabel="Create the topic"
              onCancel={() => setConfirmingTopic(false)}
              onConfirm={() => {
                setConfirmingTopic(false);
                addStream();
              }}
            >
              <p>
                Streamdrop creates the topic <strong>{topic}</strong> with {partitions} partition{partitions === 1 ? "" : "s"} on {servers}. If producers write
                to a topic of another name, it stays empty: check the spelling.
              </p>
            </ConfirmDialog>
          )}
        </>
      )}
      {made && (
        <Success>
          Stream <strong>{made.name}</strong> reads topic {made.topic}.
        </Success>
      )}
      {made && choice === "demo" && (
        <div className="inline">
          <ActionButton
            kind="secondary"
            busy={wizard.simulate.state === "running"}
            busyLabel="Sending events…"
            onClick={() => void simulateEvents(made.name, 2000)}
          >
            Send 2,000 simulated events
          </ActionButton>
          {wizard.simulate.state === "done" && <span role="status">Sent {wizard.simulate.value.toLocaleString("en")} events.</span>}
          {wizard.simulate.state === "failed" && <ErrorMessage>{wizard.simulate.message}</ErrorMessage>}
        </div>
      )}

      {stream && (
        <TopicCheck
          parquet={parquet}
          choice={lines}
          start={{ includeExisting, onIncludeExisting: setIncludeExisting }}
          onCheck={() => check(lines)}
          onApply={(choice) => {
            setLines(choice);
            check(choice);
          }}
        />
      )}
      {stale && <p className="muted">The settings below changed since the check: check again to see their lines.</p>}

      <h3>The export</h3>
      <Field label="Sink">
        {(props) => (
          <select {...props} value={sinkName} onChange={(event) => setSinkName(event.target.value)}>
            {sinks.map((sink) => (
              <option key={sink.name} value={sink.name}>
                {sink.name} ({objectUri(sink.type, sink.bucket, sink.pathPrefix ?? "")})
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Interval in seconds" hint={`A file per interval with events, ${rangeText(exporterLimits.intervalSeconds)}.`}>
        {(props) => (
          <input
            {...props}
            type="number"
            min={exporterLimits.intervalSeconds.min}
            max={exporterLimits.intervalSeconds.max}
            value={interval}
            onChange={(event) => setInterval(Number(event.target.value))}
            required
          />
        )}
      </Field>
      <Field label="Path prefix (optional)" hint="Defaults to the sink's prefix; must lie within it.">
        {(props) => <input {...props} value={pathPrefix} onChange={(event) => setPathPrefix(event.target.value)} autoComplete="off" />}
      </Field>
      <label className="checkbox">
        <input type="checkbox" checked={includeExisting} onChange={(event) => setIncludeExisting(event.target.checked)} /> Include existing events (start from
        the earliest, not the latest)
      </label>
      {streamInfo?.schemaRegistry && <DecodeField decode={decode} onChange={setDecode} />}
      <LineSettings value={lines} onChange={setLines} />
      <CompressionField value={files} onChange={chooseFiles} />
      {parquet && registryOffered && (
        <ColumnsSourceField
          fromRegistry={fromRegistry}
          onChange={(chosen) => {
            setFromRegistry(chosen);
            if (!chosen && columns.trim() === "") propose(true);
          }}
        />
      )}
      {parquet && registryOffered && fromRegistry && (
        <p className="muted" role="status">
          Stream {stream}&apos;s events are in its Schema Registry&apos;s format: each file takes the columns of the schema its events were written with, and a
          new schema version starts files of its own.
        </p>
      )}
      {parquet && !(registryOffered && fromRegistry) && (
        <section aria-labelledby="columns-heading">
          <h4 id="columns-heading">The columns</h4>
          <p className="muted">
            Proposed from a sample of the topic&apos;s latest events: check each column&apos;s type, and change any that should differ. They are kept with the
            exporter as version 1; a new field in its events later proposes the next version.
            {!isValueOnly(lines.fields) &&
              " With the record's metadata, these are the event's columns, nested under value beside a column for each field ticked."}
          </p>
          <ColumnsEditor
            text={columns}
            onChange={setColumns}
            emptyHint={
              registryOffered
                ? "Give the columns, or propose them from the topic's latest events."
                : "Left empty, they are proposed from the topic's latest events when the exporter is created."
            }
          >
            <div className="inline">
              <ActionButton kind="secondary" busy={proposal.state === "running"} busyLabel="Reading a sample…" disabled={!stream} onClick={() => propose(true)}>
                {columns.trim() === "" ? "Propose the columns from the topic" : "Propose them again from the topic"}
              </ActionButton>
              {proposal.state === "done" && "columns" in proposal.value.choice && (
                <span className="muted" role="status">
                  {proposal.value.stream === stream
                    ? `Proposed from stream ${proposal.value.stream}'s latest events.`
                    : `Proposed from stream ${proposal.value.stream}: propose them again for ${stream ?? "the stream chosen"}.`}
                </span>
              )}
            </div>
            {proposal.state === "failed" && <ErrorMessage>{proposal.message}</ErrorMessage>}
          </ColumnsEditor>
        </section>
      )}
      <PathTemplateField value={pathTemplate} onChange={setPathTemplate} {...(streamTopic ? { topic: streamTopic } : {})} />
      <div className="actions">
        <ActionButton
          type="submit"
          busy={wizard.exporter.state === "running"}
          busyLabel="Creating the exporter…"
          disabled={!stream || !sinkName || pathTemplateProblem(pathTemplate) !== undefined || (parquet && draft.state === "problem") || ownMissing}
        >
          Create and start the exporter
        </ActionButton>
      </div>
      {wizard.exporter.state === "failed" && <ErrorMessage>{wizard.exporter.message}</ErrorMessage>}
      {wizard.exporter.state === "failed" && <PolicyStatementFix fixes={wizard.exporter.fixes} />}
    </form>
  );
}
