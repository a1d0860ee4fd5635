// The exporters with their live state, as the engine decides it: what runs, how fast, how far
// behind; sinks and streams have their own views.
import { sinkProblemOf } from "../store/shared-problems";
import { Repairs } from "./Repairs";
import { TopicRepair } from "./TopicRepair";
import { useState } from "react";
import type { ExporterInfo, ExporterStatusInfo } from "../../../preload/contract";
import { useStore } from "../store";
import { describeFields } from "../wizard/LineSettings";
import { ConfirmDialog } from "./ConfirmDialog";
import { formatBytes } from "./ui";
import { FieldList, pendingProposal } from "./ColumnsEditor";

export function Dashboard() {
  const { sinks, streams, exporters, loaded, loadError, startWizard, navigate } = useStore();
  if (!loaded) return <p role="status">Loading…</p>;
  return (
    <div className="dashboard">
      {loadError && (
        <div className="message error" role="alert">
          {loadError}
        </div>
      )}
      <section aria-labelledby="exporters-heading">
        <div className="section-head">
          <h2 id="exporters-heading">Batch exporters</h2>
          <button type="button" className="button primary" onClick={() => startWizard()}>
            Set up an export
          </button>
        </div>
        {exporters.length === 0 ? (
          <div className="empty">
            <p>No exporters yet. An exporter reads a Kafka topic and writes its events to a bucket as JSON Lines or Parquet files.</p>
            <p>Start with “Set up an export”: it creates (or uses) a bucket and credentials, then the exporter.</p>
          </div>
        ) : (
          <ul className="cards">
            {exporters.map((exporter) => (
              <li key={exporter.id}>
                <ExporterCard exporter={exporter} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="sinks-heading">
        <div className="section-head">
          <h2 id="sinks-heading">Sinks and streams</h2>
          <div className="actions">
            <button type="button" className="button secondary" onClick={() => navigate({ name: "sinks" })}>
              Manage sinks ({sinks.length})
            </button>
            <button type="button" className="button secondary" onClick={() => navigate({ name: "streams" })}>
              Manage streams ({streams.length})
            </button>
          </div>
        </div>
      </section>
    </div>
  );
}

const stateLabels: Record<ExporterStatusInfo["state"], string> = {
  starting: "Starting",
  running: "Running",
  retrying: "Retrying",
  paused: "Paused",
  error: "Error",
  stopped: "Stopped",
};

function ExporterCard({ exporter }: { exporter: ExporterInfo }) {
  const { statuses, rates, pause, resume, deleteExporter, navigate, busy, sinks, exporters, streams } = useStore();
  const topic = streams.find((stream) => stream.name === exporter.streamName)?.topic;
  const sink = sinks.find((candidate) => candidate.name === exporter.sinkName);
  // The sink's own problem, found by any exporter on it: this one fails on its next write too.
  const sinkProblem = sinkProblemOf(exporter.sinkName, exporters, statuses);
  const [confirming, setConfirming] = useState(false);
  const status = statuses[exporter.name];
  const proposal = pendingProposal(exporter, status);
  // The engine decides the state and every number; the card only prints them.
  const state = status?.state ?? "starting";
  const exported = status?.eventsExported ?? 0;
  return (
    <article className="card" aria-labelledby={`exporter-${exporter.id}`}>
      <header className="card-head">
        <h3 id={`exporter-${exporter.id}`}>{exporter.name}</h3>
        <span className={`badge ${state}`}>{stateLabels[state]}</span>
      </header>
      <p className="muted">
        {exporter.streamName} → {exporter.sinkName}
        {exporter.pathPrefix ? `/${exporter.pathPrefix}` : ""}, every {exporter.intervalSeconds} s
      </p>
      <p className="muted">
        {exporter.format === "parquet"
          ? `Parquet files (${exporter.parquetCompression ?? "zstd"}) with ${exporter.columnsFromRegistry ? "each event's registered schema's columns" : `columns version ${exporter.columns?.version ?? 1}`}. Rows`
          : "Lines"}{" "}
        hold {describeFields(exporter.fields)}; tombstones{" "}
        {exporter.tombstones === "invalid" ? "go to the -invalid file" : exporter.tombstones === "skip" ? "are skipped" : "are kept with value null"}.
      </p>
      <dl className="stats">
        <div>
          <dt>Events</dt>
          <dd>{exported.toLocaleString("en")}</dd>
        </div>
        <div>
          <dt>Per second</dt>
          <dd>
            {Math.round(status?.eventsPerSecond ?? 0)} <Sparkline values={rates[exporter.name] ?? []} label={`Events per second of ${exporter.name}`} />
          </dd>
        </div>
        <div>
          <dt>Files</dt>
          <dd>{status?.filesWritten ?? 0}</dd>
        </div>
        <div>
          <dt>Lag</dt>
          <dd>{lagText(status)}</dd>
        </div>
        <div>
          <dt>Data</dt>
          <dd>{formatBytes(status?.bytesExported ?? 0)}</dd>
        </div>
        {(status?.invalidExported ?? 0) > 0 && (
          <div>
            <dt>Invalid messages</dt>
            <dd>{status!.invalidExported}</dd>
          </div>
        )}
        {(status?.tombstonesSkipped ?? 0) > 0 && (
          <div>
            <dt>Tombstones skipped</dt>
            <dd>{status!.tombstonesSkipped.toLocaleString("en")}</dd>
          </div>
        )}
      </dl>
      {status?.backlog && (
        <label className="progress-label">
          Catching up: {status.backlog.exported.toLocaleString("en")} of {status.backlog.total.toLocaleString("en")} events exported
          <progress max={1} value={status.backlog.fraction} aria-valuetext={`${Math.floor(status.backlog.fraction * 100)}%`} />
        </label>
      )}
      {status?.caughtUp && <p className="muted">Caught up: every event in the topic is exported.</p>}
      {status?.lastFile && (
        <p className="last-file">
          Last file: <code>{status.lastFile}</code>
        </p>
      )}
      {status?.warning && <div className="message info">{status.warning}</div>}
      {proposal && (
        <div className="message info">
          <p>
            New fields in its events: <FieldList fields={proposal.fields} />. Columns version {proposal.basedOn} lacks them, so those events go to the -invalid
            file until the columns take them.
          </p>
          <button
            type="button"
            className="button secondary small"
            onClick={() => navigate({ name: "exporter", exporter: exporter.name })}
            aria-label={`Review the proposed columns of ${exporter.name}`}
          >
            Review the proposed columns
          </button>
        </div>
      )}
      {status?.lastError && (
        <div className="message error" role="alert">
          {status.problem && <strong>Needs your attention. </strong>}
          {status.lastError}
          <Repairs fixes={status.fixes} sink={sink} context={exporter.name} />
          {status.problem === "topic-deleted" && topic && <TopicRepair stream={exporter.streamName} topic={topic} partitions={status.lag.length} />}
        </div>
      )}
      {sinkProblem && sinkProblem.exporter !== exporter.name && !status?.lastError && (
        <div className="message error" role="alert">
          <strong>Sink {exporter.sinkName} needs your attention. </strong>
          {sinkProblem.message} (found by {sinkProblem.exporter}; this exporter stops at its next file too.)
        </div>
      )}
      <div className="actions">
        {exporter.paused ? (
          <button type="button" className="button secondary" disabled={busy[`resume:${exporter.name}`]} onClick={() => void resume(exporter.name)}>
            Resume
          </button>
        ) : (
          <button type="button" className="button secondary" disabled={busy[`pause:${exporter.name}`]} onClick={() => void pause(exporter.name)}>
            Pause
          </button>
        )}
        <button
          type="button"
          className="button secondary"
          onClick={() => navigate({ name: "exporter", exporter: exporter.name })}
          aria-label={`Settings and log of ${exporter.name}`}
        >
          Settings and log
        </button>
        <button type="button" className="button secondary" onClick={() => navigate({ name: "files", exporter: exporter.name })}>
          Output files
        </button>
        <button type="button" className="button danger" disabled={busy[`delete-exporter:${exporter.name}`]} onClick={() => setConfirming(true)}>
          Delete
        </button>
      </div>
      {confirming && (
        <ConfirmDialog
          title={`Delete exporter ${exporter.name}?`}
          confirmLabel="Delete exporter"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void deleteExporter(exporter.name);
          }}
        >
          <p>It stops exporting. Files already written stay in the bucket; events not yet exported stay in Kafka.</p>
        </ConfirmDialog>
      )}
    </article>
  );
}

/** "1,234 events, 2 min behind": the lag in events and, when known, in time. */
export function lagText(status: ExporterStatusInfo | undefined): string {
  if (!status || status.lag.length === 0) return "not known yet";
  const events = `${status.lagEvents.toLocaleString("en")} event${status.lagEvents === 1 ? "" : "s"}`;
  if (status.lagEvents === 0 || status.secondsBehind === undefined) return events;
  return `${events}, ${durationText(status.secondsBehind)} behind`;
}

const durationText = (seconds: number) =>
  seconds < 90 ? `${seconds} s` : seconds < 5400 ? `${Math.round(seconds / 60)} min` : `${(seconds / 3600).toFixed(1)} h`;

function Sparkline({ values, label }: { values: number[]; label: string }) {
  const width = 80;
  const height = 20;
  const max = Math.max(1, ...values);
  const points = values.map((value, i) => `${(i / Math.max(1, values.length - 1)) * width},${height - (value / max) * height}`).join(" ");
  return (
    <svg className="sparkline" width={width} height={height} role="img" aria-label={label}>
      {values.length > 1 && <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" />}
    </svg>
  );
}
