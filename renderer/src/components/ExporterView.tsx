// One exporter: its live numbers and per-partition lag, its settings (changed after a review of
// what the change does to file names, line shapes and the policy; a Parquet exporter's columns
// among them, with the next version the engine proposes when its events hold new fields), the SQL
// to query its files, and its log.
import { exporterLimits, rangeText } from "../../../common/exporter-settings";
import { defaultEngine } from "../../../common/table-engines";
import { QueryPanel } from "./QueryPanel";
import { Repairs } from "./Repairs";
import { PolicyStatementFix } from "./PolicyStatementFix";
import { PathTemplateField, pathTemplateProblem } from "./PathTemplateField";
import { CompressionField } from "./CompressionField";
import { fileChoiceOf, type FileChoice } from "./file-choice";
import { ColumnsEditor, ColumnsSourceField, FieldList, pendingProposal, readColumns } from "./ColumnsEditor";
import { columnsText, registryColumns } from "../../../common/table-columns";
import { DecodeField } from "./RegistryFields";
import { useEffect, useState } from "react";
import type { ChangeEffectInfo, ExporterInfo, ExporterStatusInfo, Input, LogEntryInfo } from "../../../preload/contract";
import { useStore } from "../store";
import { requestOf } from "../store/manage-slice";
import { LineSettings, lineWarningText, type LineChoice } from "../wizard/LineSettings";
import { lagText } from "./Dashboard";
import { ActionButton, BackToDashboard, ErrorMessage, Field, Success } from "./ui";

export function ExporterView({ name }: { name: string }) {
  const { exporters, statuses } = useStore();
  const exporter = exporters.find((candidate) => candidate.name === name);
  if (!exporter) {
    return (
      <section aria-labelledby="exporter-heading">
        <h2 id="exporter-heading">Exporter {name}</h2>
        <ErrorMessage>There is no exporter named {name} any more.</ErrorMessage>
        <BackToDashboard />
      </section>
    );
  }
  const status = statuses[name];
  return <ExporterDetails exporter={exporter} status={status} />;
}

function ExporterDetails({ exporter, status }: { exporter: ExporterInfo; status: ExporterStatusInfo | undefined }) {
  const { navigate, forget, sinks } = useStore();
  const sinkType = sinks.find((sink) => sink.name === exporter.sinkName)?.type;
  const name = exporter.name;
  // A review or a result from an earlier visit does not apply to this one. (Saving remounts the
  // form with the saved record, and its "Saved" stays.)
  useEffect(() => {
    forget(`plan:${name}`);
    forget(`update:${name}`);
    forget(`columns:${name}`);
  }, [name, forget]);
  return (
    <section aria-labelledby="exporter-heading">
      <div className="section-head">
        <h2 id="exporter-heading">Exporter {name}</h2>
        <div className="actions">
          <button type="button" className="button secondary" onClick={() => navigate({ name: "files", exporter: name })}>
            Output files
          </button>
          <BackToDashboard />
        </div>
      </div>
      <p className="muted">
        {exporter.streamName} → {exporter.sinkName}
        {exporter.pathPrefix ? `/${exporter.pathPrefix}` : ""}; {status ? `${status.state}, lag ${lagText(status)}` : "starting"}.
      </p>
      <PartitionLag status={status} />
      <EditExporter key={JSON.stringify(exporter)} exporter={exporter} status={status} />
      <QueryPanel name={name} defaultEngine={sinkType ? defaultEngine[sinkType] : "duckdb"} />
      <Logs name={name} />
    </section>
  );
}

function PartitionLag({ status }: { status: ExporterStatusInfo | undefined }) {
  return (
    <div className="panel">
      <h3>Lag per partition</h3>
      {!status || status.lag.length === 0 ? (
        <p className="muted">Not read yet: the workers (or, while paused, the app) read it every few seconds.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Events still to export, per partition</caption>
            <thead>
              <tr>
                <th scope="col">Partition</th>
                <th scope="col">Exported up to</th>
                <th scope="col">Topic end</th>
                <th scope="col">Still to export</th>
              </tr>
            </thead>
            <tbody>
              {status.lag.map((partition) => (
                <tr key={partition.partition}>
                  <td>{partition.partition}</td>
                  <td>{partition.committed.toLocaleString("en")}</td>
                  <td>{partition.end.toLocaleString("en")}</td>
                  <td>{Math.max(0, partition.end - partition.committed).toLocaleString("en")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

type Changes = Input<"exporters:update">["changes"];

function EditExporter({ exporter, status }: { exporter: ExporterInfo; status: ExporterStatusInfo | undefined }) {
  const { planUpdate, updateExporter, proposeExporterColumns, forget, streams, sinks } = useStore();
  const sink = sinks.find((candidate) => candidate.name === exporter.sinkName);
  const topic = streams.find((stream) => stream.name === exporter.streamName)?.topic;
  const plan = useStore((state) => requestOf<{ effects: ChangeEffectInfo[]; changes: Changes }>(state, `plan:${exporter.name}`));
  const saved = useStore((state) => requestOf<ExporterInfo>(state, `update:${exporter.name}`));
  const [interval, setInterval] = useState(exporter.intervalSeconds);
  const [prefix, setPrefix] = useState(exporter.pathPrefix ?? "");
  const [workers, setWorkers] = useState(exporter.workers);
  const [batch, setBatch] = useState(exporter.maxBatchMb);
  const [lines, setLines] = useState<LineChoice>({ fields: exporter.fields, tombstones: exporter.tombstones });
  const current = fileChoiceOf(exporter);
  const [files, setFiles] = useState<FileChoice>(current);
  const parquet = files.format === "parquet";
  const formatChanged = files.format !== current.format;
  // Columns are offered as text, as the core takes them; a difference from the latest is a new version.
  const latest = exporter.columns;
  const latestText = latest ? columnsText(latest.columns) : "";
  const [columns, setColumns] = useState(latestText);
  const draft = readColumns(columns);
  const [fromRegistry, setFromRegistry] = useState(exporter.columnsFromRegistry ?? false);
  // Own columns as given, differing from the latest (or the latest again, after each writer schema's).
  const ownText = draft.state === "ok" && (draft.text !== latestText || exporter.columnsFromRegistry) ? draft.text : undefined;
  const newColumns = !parquet ? undefined : fromRegistry ? (exporter.columnsFromRegistry ? undefined : registryColumns) : ownText;
  const proposal = pendingProposal(exporter, status);
  const proposed = useStore((state) => requestOf<unknown>(state, `columns:${exporter.name}`));
  const [pathTemplate, setPathTemplate] = useState(exporter.pathTemplate ?? "");
  const registry = streams.find((stream) => stream.name === exporter.streamName)?.schemaRegistry;
  const [decode, setDecode] = useState(exporter.decode === "registry");
  // Offered while the form decodes with the stream's registry (and shown while chosen, so it can be left).
  const registryOffered = (registry !== undefined && decode) || fromRegistry;
  // Columns of its own chosen over the registry's, none given yet: nothing the review could save.
  const ownMissing = parquet && registryOffered && !fromRegistry && draft.state !== "ok";
  const changes: Changes = {
    ...(interval !== exporter.intervalSeconds ? { intervalSeconds: interval } : {}),
    ...(prefix.trim() !== (exporter.pathPrefix ?? "") ? { pathPrefix: prefix.trim() } : {}),
    ...(workers !== exporter.workers ? { workers } : {}),
    ...(batch !== exporter.maxBatchMb ? { maxBatchMb: batch } : {}),
    ...(lines.fields.join() !== exporter.fields.join() ? { fields: lines.fields } : {}),
    ...(lines.tombstones !== exporter.tombstones ? { tombstones: lines.tombstones } : {}),
    ...(formatChanged ? { format: files.format } : {}),
    ...(formatChanged || files.compression !== current.compression ? { compression: files.compression } : {}),
    ...(newColumns !== undefined ? { columns: newColumns } : {}),
    ...(pathTemplate !== (exporter.pathTemplate ?? "") ? { pathTemplate } : {}),
    ...(registry && decode !== (exporter.decode === "registry") ? { decode: decode ? ("registry" as const) : ("none" as const) } : {}),
  };
  const changed = Object.keys(changes).length > 0;
  // Saving is offered for exactly the changes reviewed; any edit after needs a new review.
  const reviewed = plan.state === "done" && sameChanges(plan.value.changes, changes);
  const edit =
    <T,>(setter: (value: T) => void) =>
    (value: T) => {
      setter(value);
      forget(`plan:${exporter.name}`);
    };

  return (
    <form
      className="form panel"
      aria-labelledby={`edit-${exporter.id}`}
      onSubmit={(event) => {
        event.preventDefault();
        if (changed && !reviewed) void planUpdate(exporter.name, changes);
      }}
    >
      <h3 id={`edit-${exporter.id}`}>Settings</h3>
      <Field label="Interval in seconds" hint={`A file per interval with events, ${rangeText(exporterLimits.intervalSeconds)}.`}>
        {(props) => (
          <input
            {...props}
            type="number"
            min={exporterLimits.intervalSeconds.min}
            max={exporterLimits.intervalSeconds.max}
            value={interval}
            onChange={(event) => edit(setInterval)(Number(event.target.value))}
            required
          />
        )}
      </Field>
      <Field label="Path prefix" hint="Empty goes back to the sink's prefix; it must lie within it.">
        {(props) => <input {...props} value={prefix} onChange={(event) => edit(setPrefix)(event.target.value)} autoComplete="off" spellCheck={false} />}
      </Field>
      <Field
        label="Workers"
        hint={`Kafka consumers on this computer, ${rangeText(exporterLimits.workers)}; more than the topic's partitions leaves some idle.`}
      >
        {(props) => (
          <input
            {...props}
            type="number"
            min={exporterLimits.workers.min}
            max={exporterLimits.workers.max}
            value={workers}
            onChange={(event) => edit(setWorkers)(Number(event.target.value))}
            required
          />
        )}
      </Field>
      {registry && <DecodeField decode={decode} onChange={edit(setDecode)} />}
      <CompressionField value={files} onChange={edit(setFiles)} />
      {parquet && registryOffered && <ColumnsSourceField fromRegistry={fromRegistry} onChange={edit(setFromRegistry)} />}
      {parquet && fromRegistry && (
        <p className="muted">
          Each file takes the columns of the schema its events were written with, as the stream&apos;s Schema Registry has it: a new schema version starts files
          of its own, and no column is ever proposed.
        </p>
      )}
      {parquet && !fromRegistry && (
        <section aria-labelledby={`columns-${exporter.id}`}>
          <h4 id={`columns-${exporter.id}`}>{latest ? `Columns, version ${latest.version}` : "Columns"}</h4>
          <p className="muted">
            {latest
              ? `Kept since ${new Date(latest.createdAt).toLocaleString()}. Files keep the version they were written with; changed columns are saved as version ${latest.version + 1}.`
              : "None yet: they are proposed from the topic's latest events, and the review shows them before anything is saved."}
          </p>
          {proposal && (
            <div className="message info">
              <p>
                New fields in its events: <FieldList fields={proposal.fields} />. Version {proposal.basedOn} lacks them, so those events go to the -invalid
                file. Version {proposal.basedOn + 1}, proposed with them, keeps them from now on.
              </p>
              <button
                type="button"
                className="button secondary small"
                onClick={() => {
                  const text = columnsText(proposal.columns);
                  setColumns(text);
                  void planUpdate(exporter.name, { ...changes, columns: text });
                }}
              >
                Review the proposed columns
              </button>
            </div>
          )}
          <ColumnsEditor
            text={columns}
            onChange={edit(setColumns)}
            emptyHint={
              ownMissing
                ? "Give the columns, or propose them from the topic's latest events."
                : "Left empty, they are proposed from the topic's latest events; the review shows them."
            }
          >
            {!latest && (
              <div className="inline">
                <ActionButton
                  kind="secondary"
                  busy={proposed.state === "running"}
                  busyLabel="Reading a sample…"
                  onClick={() =>
                    void proposeExporterColumns(exporter.name, { name: exporter.streamName, decode: exporter.decode, fromEvents: true }).then(
                      (found) => found && edit(setColumns)(columnsText(found)),
                    )
                  }
                >
                  Propose the columns from the topic
                </ActionButton>
              </div>
            )}
            {proposed.state === "failed" && <ErrorMessage>{proposed.message}</ErrorMessage>}
          </ColumnsEditor>
          {newColumns !== undefined && !fromRegistry && latest && <p className="hint">Saved as version {latest.version + 1}: new files take these columns.</p>}
        </section>
      )}
      <PathTemplateField value={pathTemplate} onChange={edit(setPathTemplate)} {...(topic ? { topic } : {})} />
      <Field label="Largest batch in MiB" hint={`A file is cut early when a batch reaches this size, ${rangeText(exporterLimits.maxBatchMb)}.`}>
        {(props) => (
          <input
            {...props}
            type="number"
            min={exporterLimits.maxBatchMb.min}
            max={exporterLimits.maxBatchMb.max}
            value={batch}
            onChange={(event) => edit(setBatch)(Number(event.target.value))}
            required
          />
        )}
      </Field>
      <LineSettings value={lines} onChange={edit(setLines)} />
      <div className="actions">
        <ActionButton
          type="submit"
          busy={plan.state === "running"}
          busyLabel="Checking the changes…"
          disabled={!changed || reviewed || pathTemplateProblem(pathTemplate) !== undefined || (parquet && draft.state === "problem") || ownMissing}
        >
          Review the changes
        </ActionButton>
      </div>
      {plan.state === "failed" && <ErrorMessage>{plan.message}</ErrorMessage>}
      {reviewed && (
        <div className="message info effects" role="status">
          <p>
            <strong>Saving this will:</strong>
          </p>
          <ul>
            {plan.value.effects.map((effect) => (
              <li key={effect.message}>{lineWarningText(effect, plan.value.changes.fields ?? exporter.fields)}</li>
            ))}
          </ul>
          {/* What the save needs of the key's policy, made first in the same place when the app made the sink's IAM user. */}
          <Repairs fixes={plan.value.effects.flatMap((effect) => effect.fixes ?? [])} sink={sink} context={`the changes to ${exporter.name}`} />
          <div className="actions">
            <ActionButton busy={saved.state === "running"} busyLabel="Saving…" onClick={() => void updateExporter(exporter.name, changes)}>
              Save the changes
            </ActionButton>
          </div>
        </div>
      )}
      {!changed && saved.state !== "done" && <p className="hint">Change a setting to review what it does.</p>}
      {saved.state === "done" && <Success>Saved. The workers restart with the new settings.</Success>}
      {saved.state === "failed" && <ErrorMessage>{saved.message}</ErrorMessage>}
      {saved.state === "failed" && <Repairs fixes={saved.fixes} sink={sink} context={`the refused save of ${exporter.name}`} />}
      {saved.state === "failed" && <PolicyStatementFix fixes={saved.fixes} />}
    </form>
  );
}

/** The same changes, in whatever order their settings were set. */
const sameChanges = (a: Changes, b: Changes) => {
  const sorted = (changes: Changes) => JSON.stringify(Object.entries(changes).sort(([x], [y]) => x.localeCompare(y)));
  return sorted(a) === sorted(b);
};

function Logs({ name }: { name: string }) {
  const { loadLogs } = useStore();
  const logs = useStore((state) => requestOf<LogEntryInfo[]>(state, `logs:${name}`));
  useEffect(() => void loadLogs(name), [name, loadLogs]);
  const entries = logs.state === "done" ? [...logs.value].reverse() : [];
  return (
    <div className="panel">
      <div className="section-head">
        <h3 id={`logs-${name}`}>Log</h3>
        <ActionButton kind="secondary" busy={logs.state === "running"} busyLabel="Reading the log…" onClick={() => void loadLogs(name)}>
          Refresh
        </ActionButton>
      </div>
      {logs.state === "failed" && <ErrorMessage>{logs.message}</ErrorMessage>}
      {logs.state === "done" && entries.length === 0 && <p className="muted">Nothing logged for this exporter yet.</p>}
      {entries.length > 0 && (
        <ul className="log-list" aria-labelledby={`logs-${name}`} tabIndex={0}>
          {entries.map((entry, index) => (
            <li key={`${entry.time}-${index}`} className={entry.level}>
              <time dateTime={entry.time}>{new Date(entry.time).toLocaleString()}</time> {entry.level.toUpperCase()} {entry.message}
              {entry.details && <span className="muted"> {entry.details}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
