// The topic check before the exporter is created: what the topic holds (a sample, nothing
// committed), the advice drawn from it with a button that applies each, exactly what the
// exporter would write (the next file's name and its first lines), and whether the events the
// topic holds now will be exported at all: by default an exporter starts at the latest.
import type { TopicCheckInfo, ValueKind } from "../../../preload/contract";
import { ActionButton, ErrorMessage } from "../components/ui";
import { useStore } from "../store";
import type { LineChoice } from "./LineSettings";

const kindLabels: Record<ValueKind, string> = {
  jsonObject: "JSON objects",
  otherJson: "Other JSON",
  confluentWire: "Schema Registry wire format (Avro, Protobuf or JSON Schema)",
  text: "Text",
  binary: "Binary",
  tombstone: "Tombstones",
};

/** Where the exporter starts: the check says what that means for the events the topic holds now. */
export interface StartChoice {
  includeExisting: boolean;
  onIncludeExisting: (include: boolean) => void;
}

export function TopicCheck({
  onCheck,
  onApply,
  choice,
  start,
  parquet = false,
}: {
  onCheck: () => void;
  onApply: (choice: LineChoice) => void;
  choice: LineChoice;
  start: StartChoice;
  /** The exporter writes Parquet: its events become rows, shown here as JSON. */
  parquet?: boolean;
}) {
  const { wizard } = useStore();
  const check = wizard.check;
  return (
    <section aria-labelledby="check-heading">
      <h3 id="check-heading">Check the topic</h3>
      <p className="muted">Reads a sample of the latest records without moving anything, and shows what the exporter would write.</p>
      <ActionButton kind="secondary" busy={check.state === "running"} busyLabel="Reading a sample…" onClick={onCheck}>
        Check the topic
      </ActionButton>
      {check.state === "failed" && <ErrorMessage>{check.message}</ErrorMessage>}
      {check.state === "done" && <CheckResult check={check.value} choice={choice} onApply={onApply} start={start} parquet={parquet} />}
    </section>
  );
}

function CheckResult({
  check,
  choice,
  onApply,
  start,
  parquet,
}: {
  check: TopicCheckInfo;
  choice: LineChoice;
  onApply: (choice: LineChoice) => void;
  start: StartChoice;
  parquet: boolean;
}) {
  const unit = parquet ? "rows" : "lines";
  const retention =
    check.retentionMs === undefined ? "unknown" : check.retentionMs === null ? "kept forever" : `${Math.round(check.retentionMs / 3_600_000)} hours`;
  const codecs = Object.entries(check.codecs)
    .map(([codec, count]) => `${codec} (${count})`)
    .join(", ");
  return (
    <div className="topic-check" role="region" aria-label="Topic check result">
      <dl className="stats">
        <div>
          <dt>Partitions</dt>
          <dd>{check.partitions.length}</dd>
        </div>
        <div>
          <dt>Retention</dt>
          <dd>{retention}</dd>
        </div>
        <div>
          <dt>Recent traffic</dt>
          <dd>{check.eventsPerSecond < 10 ? check.eventsPerSecond.toFixed(2) : Math.round(check.eventsPerSecond)} events/s</dd>
        </div>
        <div>
          <dt>Sampled</dt>
          <dd>{check.sampled} records</dd>
        </div>
      </dl>
      {check.sampled > 0 && (
        <table className="table">
          <caption className="visually-hidden">What the sampled records hold</caption>
          <tbody>
            <tr>
              <th scope="row">Compression</th>
              <td>{codecs}</td>
            </tr>
            <tr>
              <th scope="row">Values</th>
              <td>
                {Object.entries(check.values)
                  .filter(([, count]) => count > 0)
                  .map(([kind, count]) => `${kindLabels[kind as ValueKind]}: ${count}`)
                  .join(", ")}
              </td>
            </tr>
            <tr>
              <th scope="row">Keys</th>
              <td>
                {check.withKey} of {check.sampled}
              </td>
            </tr>
            <tr>
              <th scope="row">Headers</th>
              <td>
                {check.withHeaders} of {check.sampled}
                {check.headerKeys.length > 0 && ` (${check.headerKeys.join(", ")})`}
              </td>
            </tr>
            {check.schemas?.map((schema) => (
              <tr key={schema.id}>
                <th scope="row">Schema id {schema.id}</th>
                <td>
                  {schema.type === "unknown"
                    ? "Unknown to the registry"
                    : schema.type === "JSON"
                      ? "JSON Schema"
                      : schema.type === "AVRO"
                        ? "Avro"
                        : "Protobuf"}
                  {schema.subjects.length > 0 && ` (${schema.subjects.map((entry) => `${entry.subject}, version ${entry.version}`).join("; ")})`}:{" "}
                  {schema.values} value{schema.values === 1 ? "" : "s"}, {schema.keys} key{schema.keys === 1 ? "" : "s"}
                </td>
              </tr>
            ))}
            {check.valueBytes && (
              <tr>
                <th scope="row">Value sizes</th>
                <td>
                  {check.valueBytes.min} to {check.valueBytes.max} bytes (median {check.valueBytes.median})
                </td>
              </tr>
            )}
          </tbody>
        </table>
      )}
      {check.recommendations.map((advice) => (
        <div key={advice.code} className="message info">
          <p>{advice.message}</p>
          {advice.settings && (
            <button
              type="button"
              className="button secondary small"
              onClick={() => onApply({ fields: advice.settings!.fields ?? choice.fields, tombstones: advice.settings!.tombstones ?? choice.tombstones })}
            >
              Use this
            </button>
          )}
        </div>
      ))}
      <ExistingEvents check={check} start={start} />
      {check.sampled > 0 && (
        <>
          <p>
            {start.includeExisting ? "The next file" : "Files will be named like"}: <code>{check.preview.nextKey}</code>. Of the sample, {check.preview.events}{" "}
            would be {unit}, {check.preview.invalid} would go to the -invalid file and {check.preview.skipped} would be skipped.{" "}
            {start.includeExisting ? `Its first ${unit}${parquet ? ", as JSON" : ""}:` : `Events like these would be written as${parquet ? " rows of" : ""}:`}
          </p>
          <pre
            className="code"
            aria-label={parquet ? "The first rows the exporter would write, as JSON" : "The first lines the exporter would write"}
            tabIndex={0}
          >
            {check.preview.lines.join("\n") || "(none)"}
          </pre>
        </>
      )}
    </div>
  );
}

/** The events in the topic now, and whether the exporter will export them: skipped unless existing events are included. */
function ExistingEvents({ check, start }: { check: TopicCheckInfo; start: StartChoice }) {
  const existing = check.partitions.reduce((total, partition) => total + Math.max(0, partition.high - partition.low), 0);
  if (existing === 0) return null;
  const count = `${existing.toLocaleString("en")} event${existing === 1 ? "" : "s"}`;
  if (start.includeExisting)
    return (
      <div className="message info" role="note">
        <p>The {count} in the topic now are exported first, from the earliest, then new events as they arrive. The sample is read from them.</p>
      </div>
    );
  return (
    <div className="message info" role="note">
      <p>
        The topic holds {count} now, and the sample is read from them. The exporter starts at the latest, so these are skipped: only events that arrive after it
        is created are exported.
      </p>
      <button type="button" className="button secondary small" onClick={() => start.onIncludeExisting(true)}>
        Include the {count}
      </button>
    </div>
  );
}
