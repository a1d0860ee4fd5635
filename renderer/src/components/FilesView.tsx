// The files an exporter wrote, from the export log: the least-privilege key cannot list the bucket.
import { useEffect, useState } from "react";
import { useStore } from "../store";
import { CopyButton, Field, formatBytes } from "./ui";

export function FilesView({ exporter }: { exporter: string }) {
  const { files, loadFiles, navigate, exporters, sinks, openConsole, busy } = useStore();
  useEffect(() => void loadFiles(exporter), [exporter, loadFiles]);
  const info = exporters.find((candidate) => candidate.name === exporter);
  const sink = sinks.find((candidate) => candidate.name === info?.sinkName);
  const load = files[exporter];
  return (
    <section aria-labelledby="files-heading">
      <div className="section-head">
        <h2 id="files-heading">Output files of {exporter}</h2>
        <div className="actions">
          {info && (
            <button type="button" className="button secondary" disabled={busy[`console:${info.sinkName}`]} onClick={() => void openConsole(info.sinkName, info.pathPrefix)}>
              Open the bucket in the {sink?.type === "GCLOUD" ? "Google Cloud" : "AWS"} console
            </button>
          )}
          <button type="button" className="button secondary" onClick={() => navigate({ name: "dashboard" })}>
            Back to the dashboard
          </button>
        </div>
      </div>
      {(!load || load.state === "loading") && <p role="status">Loading the export log…</p>}
      {load?.state === "failed" && <div className="message error" role="alert">{load.message}</div>}
      {load?.state === "ready" && load.value.length === 0 && (
        <div className="empty">
          <p>No files yet. The exporter writes a file at each interval in which events arrived.</p>
        </div>
      )}
      {load?.state === "ready" && load.value.length > 0 && (
        <table className="table files">
          <caption className="visually-hidden">Files written by {exporter}, oldest first</caption>
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
            {load.value.map((file) => (
              <FileRow key={file.key + file.at} exporter={exporter} file={file} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function FileRow({ exporter, file }: { exporter: string; file: import("../../../preload/contract").ExportedFile }) {
  const { previews, preview } = useStore();
  const [open, setOpen] = useState(false);
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
              <pre tabIndex={0} className="preview" aria-label={`First lines of ${file.key}`}>
                {shown.lines!.join("\n")}
                {shown.truncated ? "\n…" : ""}
              </pre>
            )}
            {shown?.state === "failed" && <div className="message error" role="alert">{shown.message}</div>}
            {shown?.state === "needs-admin" && <AdminPreview message={shown.message!} onSubmit={(admin) => void preview(exporter, file.key, admin)} />}
          </td>
        </tr>
      )}
    </>
  );
}

function AdminPreview({ message, onSubmit }: { message: string; onSubmit: (admin: { accessKeyId: string; secretAccessKey: string }) => void }) {
  const [accessKeyId, setAccessKeyId] = useState("");
  const [secretAccessKey, setSecret] = useState("");
  return (
    <form
      className="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit({ accessKeyId, secretAccessKey });
      }}
    >
      <p className="message info">{message}</p>
      <Field label="Admin access key ID">{(props) => <input {...props} value={accessKeyId} onChange={(event) => setAccessKeyId(event.target.value)} autoComplete="off" required />}</Field>
      <Field label="Admin secret access key">{(props) => <input {...props} type="password" value={secretAccessKey} onChange={(event) => setSecret(event.target.value)} autoComplete="off" required />}</Field>
      <button type="submit" className="button primary">
        Preview with these credentials
      </button>
    </form>
  );
}
