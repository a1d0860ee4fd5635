// Sinks after set-up: details, new credentials (file, paste or the AWS console's CSV), a fresh
// validation, a new key for the IAM user the app made, an exporter on the sink, and delete.
import { useState } from "react";
import type { SinkInfo } from "../../../preload/contract";
import { bucketLabel, stores } from "../../../common/stores";
import { useStore } from "../store";
import { requestOf } from "../store/manage-slice";
import { ConfirmDialog } from "./ConfirmDialog";
import { sinkProblemOf } from "../store/shared-problems";
import { Repairs } from "./Repairs";
import { ReplaceCredentials, RotateKey } from "./SinkRepairs";
import { ActionButton, ErrorMessage, Success } from "./ui";

export function SinksView() {
  const { sinks, startWizard } = useStore();
  return (
    <section aria-labelledby="sinks-heading">
      <div className="section-head">
        <h2 id="sinks-heading">Sinks</h2>
        <button type="button" className="button primary" onClick={() => startWizard()}>
          Add a sink
        </button>
      </div>
      {sinks.length === 0 ? (
        <div className="empty">
          <p>No sinks yet. A sink is a bucket Streamdrop may write to; its credentials stay in your OS keychain.</p>
        </div>
      ) : (
        sinks.map((sink) => <SinkPanel key={sink.name} sink={sink} />)
      )}
    </section>
  );
}

type Open = "none" | "replace" | "rotate";

function SinkPanel({ sink }: { sink: SinkInfo }) {
  const { revalidate, startWithSink, deleteSink, busy, exporters, statuses } = useStore();
  const problem = sinkProblemOf(sink.name, exporters, statuses);
  const validation = useStore((state) => requestOf<{ validationFile: string }>(state, `validate:${sink.name}`));
  const [open, setOpen] = useState<Open>("none");
  const [confirming, setConfirming] = useState(false);
  const store = stores[sink.type].name;
  return (
    <article className="panel" aria-labelledby={`sink-${sink.name}`}>
      <h3 id={`sink-${sink.name}`}>{sink.name}</h3>
      <dl className="details">
        <dt>Store</dt>
        <dd>{store}</dd>
        <dt>{bucketLabel(sink.type)}</dt>
        <dd>{sink.bucket}</dd>
        <dt>Prefix</dt>
        <dd>{sink.pathPrefix ?? `(${stores[sink.type].bucketWord} root)`}</dd>
        {sink.accountName && (
          <>
            <dt>Storage account</dt>
            <dd>{sink.accountName}</dd>
          </>
        )}
        {sink.sasExpiresOn && (
          <>
            <dt>SAS expires</dt>
            <dd>{new Date(sink.sasExpiresOn).toLocaleDateString()}</dd>
          </>
        )}
        {sink.endpoint && (
          <>
            <dt>Endpoint</dt>
            <dd>{sink.endpoint}</dd>
          </>
        )}
        {sink.region && (
          <>
            <dt>Region</dt>
            <dd>{sink.region}</dd>
          </>
        )}
        <dt>Credentials</dt>
        <dd>{credentialsText(sink)}</dd>
        <dt>Exporters</dt>
        <dd>{sink.exporters.length ? sink.exporters.join(", ") : "none"}</dd>
        {sink.lastValidationFile && (
          <>
            <dt>Last validation file</dt>
            <dd>
              <code>{sink.lastValidationFile}</code>
            </dd>
          </>
        )}
      </dl>
      {problem && (
        <div className="message error" role="alert">
          <strong>Needs your attention. </strong>
          {problem.message} (found by exporter {problem.exporter}; every exporter on the sink stops at its next file.)
          <Repairs fixes={problem.fixes} sink={sink} context={`sink ${sink.name}`} />
        </div>
      )}
      <div className="actions">
        <button type="button" className="button primary" onClick={() => startWithSink(sink)}>
          Add an exporter
        </button>
        {sink.credentials === "keychain" && (
          <button
            type="button"
            className="button secondary"
            aria-expanded={open === "replace"}
            onClick={() => setOpen(open === "replace" ? "none" : "replace")}
          >
            Replace credentials
          </button>
        )}
        <ActionButton kind="secondary" busy={validation.state === "running"} busyLabel="Writing a validation file…" onClick={() => void revalidate(sink.name)}>
          Validate again
        </ActionButton>
        {sink.iamUser && (
          <button type="button" className="button secondary" aria-expanded={open === "rotate"} onClick={() => setOpen(open === "rotate" ? "none" : "rotate")}>
            Rotate the key
          </button>
        )}
        <button type="button" className="button danger" disabled={busy[`delete-sink:${sink.name}`]} onClick={() => setConfirming(true)}>
          Delete
        </button>
      </div>
      {validation.state === "done" && <Success>The credentials can write: {validation.value.validationFile} was written.</Success>}
      {validation.state === "failed" && <ErrorMessage>{validation.message}</ErrorMessage>}
      {open === "replace" && <ReplaceCredentials sink={sink} />}
      {open === "rotate" && <RotateKey sink={sink} />}
      {confirming && (
        <ConfirmDialog
          title={`Delete sink ${sink.name}?`}
          confirmLabel={sink.exporters.length ? "Delete sink and exporters" : "Delete sink"}
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void deleteSink(sink.name, sink.exporters.length > 0);
          }}
        >
          <p>The sink's credentials are removed from the keychain. Files already in the bucket stay.</p>
          {sink.exporters.length > 0 && <p>These exporters write to it and are deleted with it: {sink.exporters.join(", ")}.</p>}
          {sink.iamUser ? (
            <p>
              The IAM user <strong>{sink.iamUser}</strong> and its access key still exist in AWS. To remove them, open the AWS console's IAM page, choose Users,
              then {sink.iamUser}, and delete the user (its key and policy go with it).
            </p>
          ) : (
            sink.credentials === "keychain" && <p>{stores[sink.type].keyOutlivesSink}</p>
          )}
        </ConfirmDialog>
      )}
    </article>
  );
}

function credentialsText(sink: SinkInfo): string {
  if (sink.credentials === "default-chain") return "AWS default credential chain";
  if (sink.credentials === "environment") return "environment";
  if (sink.serviceAccount) return `OS keychain (${sink.serviceAccount})`;
  return sink.iamUser ? `OS keychain (key of IAM user ${sink.iamUser}, made by Streamdrop)` : "OS keychain";
}
