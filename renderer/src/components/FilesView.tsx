// The files an exporter wrote, from the export log (the least-privilege key cannot list the
// bucket): newest first, a page at a time, each with a preview of its first lines.
import { useEffect, useState } from "react";
import type { ExportedFile } from "../../../preload/contract";
import { stores, type StoreType } from "../../../common/stores";
import { lenders, type LentCredentials } from "./LendCredentials";
import { useStore } from "../store";
import { prettyLine } from "./line-view";
import { BackToDashboard, CopyButton, formatBytes } from "./ui";

const perPage = 20;

export function FilesView({ exporter }: { exporter: string }) {
  const { files, loadFiles, exporters, sinks, openConsole, busy } = useStore();
  const [page, setPage] = useState(0);
  useEffect(() => void loadFiles(exporter), [exporter, loadFiles]);
  const info = exporters.find((candidate) => candidate.name === exporter);
  const sink = sinks.find((candidate) => candidate.name === info?.sinkName);
  const load = files[exporter];
  const newest = load?.state === "ready" ? [...load.value].reverse() : [];
  const pages = Math.max(1, Math.ceil(newest.length / perPage));
  const shown = newest.slice(page * perPage, (page + 1) * perPage);
  return (
    <section aria-labelledby="files-heading">
      <div className="section-head">
        <h2 id="files-heading">Output files of {exporter}</h2>
        <div className="actions">
          {info && sink?.hasConsole && (
            <button
              type="button"
              className="button secondary"
              disabled={busy[`console:${info.sinkName}`]}
              onClick={() => void openConsole(info.sinkName, info.pathPrefix)}
            >
              Open the bucket in the {stores[sink.type].cloud} console
            </button>
          )}
          <BackToDashboard />
        </div>
      </div>
      {(!load || load.state === "loading") && <p role="status">Loading the export log…</p>}
      {load?.state === "failed" && (
        <div className="message error" role="alert">
          {load.message}
        </div>
      )}
      {load?.state === "ready" && load.value.length === 0 && (
        <div className="empty">
          <p>No files yet. The exporter writes a file at each interval in which events arrived.</p>
        </div>
      )}
      {sink && !sink.hasConsole && (
        <p className="hint">
          Sink {sink.name} writes to {sink.endpoint}, which has no cloud console page; its files are listed here.
        </p>
      )}
      {load?.state === "ready" && load.value.length > 0 && (
        <div className="table-wrap">
          <table className="table files">
            <caption className="visually-hidden">Files written by {exporter}, newest first</caption>
            <colgroup>
              <col className="col-time" />
              <col />
              <col className="col-size" />
              <col className="col-events" />
              <col className="col-partitions" />
              <col className="col-actions" />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Key</th>
                <th scope="col">Size</th>
                <th scope="col">Events</th>
                <th scope="col">Partitions (offsets)</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((file) => (
                <FileRow key={file.key + file.at} exporter={exporter} file={file} sinkType={sink?.type} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {newest.length > perPage && (
        <nav className="pager" aria-label="Pages of files">
          <button type="button" className="button secondary small" disabled={page === 0} onClick={() => setPage(page - 1)}>
            Newer
          </button>
          <span role="status">
            Page {page + 1} of {pages} ({newest.length.toLocaleString("en")} files)
          </span>
          <button type="button" className="button secondary small" disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>
            Older
          </button>
        </nav>
      )}
    </section>
  );
}

function FileRow({ exporter, file, sinkType }: { exporter: string; file: ExportedFile; sinkType: StoreType | undefined }) {
  const { previews, preview } = useStore();
  const [open, setOpen] = useState(false);
  const [pretty, setPretty] = useState(false);
  const shown = previews[file.key];
  return (
    <>
      <tr>
        <td>{new Date(file.at).toLocaleString()}</td>
        <td>
          <code>{file.key}</code>
          {file.kind === "validation" && <span className="muted"> (validation file)</span>}
          {file.kind === "invalid" && <span className="muted"> (invalid messages)</span>}
        </td>
        <td>{formatBytes(file.bytes)}</td>
        <td>{file.records.toLocaleString("en")}</td>
        <td>{file.partitions.map((range) => `${range.partition}: ${range.first}–${range.last}`).join(", ") || "–"}</td>
        <td className="row-actions">
          <CopyButton text={file.uri} label={`Copy ${file.uri}`} />
          {file.kind !== "validation" && (
            <button
              type="button"
              className="button secondary small"
              aria-expanded={open}
              onClick={() => {
                setOpen(!open);
                if (!open && !shown) void preview(exporter, file.key);
              }}
            >
              {open ? "Hide preview" : "Preview"}
            </button>
          )}
        </td>
      </tr>
      {open && (
        <tr className="preview-row">
          <td colSpan={6}>
            {shown?.state === "loading" && <p role="status">Reading the first lines…</p>}
            {shown?.state === "ready" && (
              <>
                <label className="checkbox">
                  <input type="checkbox" checked={pretty} onChange={(event) => setPretty(event.target.checked)} /> Pretty-print
                  {file.kind === "invalid" ? ", with keys and values shown as text where they are text" : ""}
                </label>
                <pre tabIndex={0} className="preview" aria-label={`First lines of ${file.key}`}>
                  {pretty ? shown.lines!.map((line) => prettyLine(line, file.kind === "invalid" ? "invalid" : "events")).join("\n\n") : shown.lines!.join("\n")}
                  {shown.truncated ? "\n…" : ""}
                </pre>
              </>
            )}
            {shown?.state === "failed" && (
              <div className="message error" role="alert">
                {shown.message}
              </div>
            )}
            {shown?.state === "needs-admin" && (
              <AdminPreview message={shown.message!} type={sinkType} onSubmit={(admin, remember) => void preview(exporter, file.key, { admin, remember })} />
            )}
          </td>
        </tr>
      )}
    </>
  );
}

function AdminPreview({
  message,
  type,
  onSubmit,
}: {
  message: string;
  type: StoreType | undefined;
  onSubmit: (lent: LentCredentials, remember: boolean) => void;
}) {
  const Lender = type ? lenders[type] : undefined;
  return (
    <>
      <p className="message info">{message}</p>
      {Lender && <Lender onSubmit={onSubmit} />}
    </>
  );
}
