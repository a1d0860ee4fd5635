// Path 1: a credentials file (dropped, picked or pasted), checked as it arrives, then the sink,
// validated against the bucket with live feedback.
import { useEffect, useState } from "react";
import { CredentialsInput, type CredentialsText } from "../components/CredentialsInput";
import { useStore } from "../store";
import { ActionButton, CopyButton, ErrorMessage, SaveButton, Success, Warnings } from "../components/ui";
import { SinkSettings, useSinkSettings } from "./SinkSettings";

export function HaveCredentials() {
  const { wizard, inspectCredentials, createSink, wizardStep } = useStore();
  const inspected = wizard.inspect;
  // The credentials decide the store: a service-account key means Google Cloud Storage, a SAS URL Azure.
  const type = inspected.state === "done" ? inspected.value.sinkType : "S3";
  const settings = useSinkSettings(wizard.prefill, type);
  const [credentials, setCredentials] = useState<CredentialsText>({ text: "", label: "pasted credentials" });
  const take = (next: CredentialsText) => {
    setCredentials(next);
    if (next.text.trim()) void inspectCredentials(next.text, next.label);
  };
  const saved = wizard.sink;
  // A container SAS names its container: it is the bucket, unless one was typed already.
  const namedBucket = inspected.state === "done" ? inspected.value.bucket : undefined;
  const { bucket } = settings.fields;
  const setBucket = settings.set.bucket;
  useEffect(() => {
    if (namedBucket && !bucket) setBucket(namedBucket);
  }, [namedBucket, bucket, setBucket]);

  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        void createSink({ ...settings.input(), sinkType: type, credentialsJson: credentials.text, credentialsLabel: credentials.label });
      }}
    >
      <h3>The credentials</h3>
      <CredentialsInput onChange={take} />
      {inspected.state === "done" && <Success>Detected: {inspected.value.description}.</Success>}
      {inspected.state === "done" && <Warnings items={inspected.value.warnings ?? []} />}
      {inspected.state === "done" && inspected.value.serviceAccount && (
        <GcsPermissionHint serviceAccount={inspected.value.serviceAccount} bucket={settings.fields.bucket} />
      )}
      {inspected.state === "failed" && <ErrorMessage>{inspected.message}</ErrorMessage>}

      <h3>The sink</h3>
      <SinkSettings settings={settings} />

      <div className="actions">
        <ActionButton
          type="submit"
          busy={saved.state === "running"}
          busyLabel="Validating against the bucket…"
          disabled={inspected.state !== "done" || !settings.valid || saved.state === "done"}
        >
          Validate and save the sink
        </ActionButton>
      </div>
      {saved.state === "failed" && <ErrorMessage>{saved.message}</ErrorMessage>}
      {saved.state === "failed" && (wizard.fixCommand || wizard.fixPolicy) && (
        <section className="panel" aria-label="How to fix it">
          {wizard.fixCommand && (
            <>
              <p>This gcloud command grants it (run it as an administrator of the bucket's project):</p>
              <pre tabIndex={0} className="code" aria-label="The command that fixes it">
                {wizard.fixCommand}
              </pre>
              <div className="actions">
                <CopyButton text={wizard.fixCommand} label="Copy the command" />
              </div>
            </>
          )}
          {wizard.fixPolicy && (
            <>
              <p>This least-privilege policy, attached to the key's IAM user, allows exactly what Streamdrop needs:</p>
              <pre tabIndex={0} className="code" aria-label="The policy that fixes it">
                {wizard.fixPolicy}
              </pre>
              <div className="actions">
                <CopyButton text={wizard.fixPolicy} label="Copy the policy" />
                <SaveButton text={wizard.fixPolicy} fileName="streamdrop-policy.json" type="application/json" />
              </div>
            </>
          )}
        </section>
      )}
      {saved.state === "done" && (
        <Success>
          <p>
            Sink <strong>{saved.value.sink.name}</strong> {saved.value.created ? "created" : "updated"}:{" "}
            {saved.value.sink.region ? `the bucket is in ${saved.value.sink.region}, and ` : ""}the test file {saved.value.validationFile} was written.
          </p>
          <button type="button" className="button primary" onClick={() => wizardStep("exporter")}>
            Next: the exporter
          </button>
        </Success>
      )}
    </form>
  );
}

/** What the service account needs before validation can pass. */
function GcsPermissionHint({ serviceAccount, bucket }: { serviceAccount: string; bucket: string }) {
  return (
    <p className="hint">
      Streamdrop only creates files, so <strong>{serviceAccount}</strong> needs one permission on {bucket ? <code>gs://{bucket}</code> : "the bucket"}:{" "}
      <code>storage.objects.create</code>. The role "Storage Object Creator" grants exactly that; "Storage Legacy Bucket Writer" works too.
    </p>
  );
}
