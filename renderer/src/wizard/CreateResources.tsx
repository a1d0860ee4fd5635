// Path 2: the bucket, the least-privilege policy (shown first), the IAM user and key, the sink.
import { useState } from "react";
import { useStore } from "../store";
import { AdminCredentialsFields, useAdminCredentials } from "../components/AdminCredentialsFields";
import { ActionButton, CopyButton, ErrorMessage, Field, SaveButton, Success } from "../components/ui";
import { SinkSettings, useSinkSettings } from "./SinkSettings";
import { CompressionField } from "../components/CompressionField";
import { fileKindsOf, filesText } from "../components/file-choice";

const regions = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "eu-west-1",
  "eu-west-2",
  "eu-central-1",
  "eu-north-1",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-northeast-1",
  "ca-central-1",
  "sa-east-1",
];

export function CreateResources() {
  const { wizard, showPolicy, setupS3, wizardStep, chooseFiles } = useStore();
  const settings = useSinkSettings();
  const [region, setRegion] = useState("us-east-1");
  const admin = useAdminCredentials();
  /** Set when IAM said the user exists and the person chose another name. */
  const [userName, setUserName] = useState<string>();
  const { bucket, pathPrefix, endpoint } = settings.fields;
  const policy = wizard.policy;
  const setup = wizard.setup;
  const run = (options: { rotateKey?: boolean } = {}) => {
    const input = settings.input();
    void setupS3({
      bucket: input.bucket,
      createBucket: true,
      region,
      sinkName: input.name,
      ...(input.pathPrefix ? { pathPrefix: input.pathPrefix } : {}),
      ...(input.endpoint ? { endpoint: input.endpoint } : {}),
      ...(userName?.trim() ? { userName: userName.trim() } : {}),
      ...(options.rotateKey ? { rotateKey: true } : {}),
      admin: admin.value,
      compressions: fileKindsOf(wizard.files),
    });
  };
  const fixes = setup.state === "failed" ? (setup.fixes ?? []) : [];
  const existingUser = fixes.find((fix) => fix.id === "rotate-key");

  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        run();
      }}
    >
      <h3>The bucket</h3>
      <SinkSettings settings={settings} withRegion={false} />
      <Field label="Region for the new bucket">
        {(props) => (
          <select {...props} value={region} onChange={(event) => setRegion(event.target.value)}>
            {regions.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        )}
      </Field>

      <h3>The policy</h3>
      <CompressionField value={wizard.files} onChange={chooseFiles} />
      <p className="muted">
        The new IAM user gets exactly this: find the bucket's region, and write {filesText(wizard.files)} under the prefix. It cannot list, read or delete.
      </p>
      <ActionButton
        kind="secondary"
        busy={policy.state === "running"}
        busyLabel="Writing the policy…"
        disabled={!settings.valid}
        onClick={() => void showPolicy(bucket, pathPrefix || undefined, wizard.files)}
      >
        Show the policy
      </ActionButton>
      {policy.state === "done" && (
        <>
          <pre tabIndex={0} className="code" aria-label="The least-privilege policy">
            {policy.value}
          </pre>
          <div className="actions">
            <CopyButton text={policy.value} label="Copy the policy" />
            <SaveButton text={policy.value} fileName="streamdrop-policy.json" type="application/json" />
          </div>
        </>
      )}
      {policy.state === "failed" && <ErrorMessage>{policy.message}</ErrorMessage>}

      <h3>Admin credentials, used once</h3>
      <AdminCredentialsFields admin={admin} name="admin-from" />
      {userName !== undefined && (
        <Field label="IAM user name" hint="The user Streamdrop creates for this sink; up to 64 letters, digits and +=,.@_-.">
          {(props) => (
            <input {...props} value={userName} onChange={(event) => setUserName(event.target.value)} autoComplete="off" spellCheck={false} required />
          )}
        </Field>
      )}
      <p className="hint">{endpoint ? `S3, IAM and STS calls go to ${endpoint}.` : "Calls go to AWS."}</p>

      <div className="actions">
        <ActionButton
          type="submit"
          busy={setup.state === "running"}
          busyLabel="Creating the bucket, user, key and sink…"
          disabled={!settings.valid || !admin.complete || setup.state === "done"}
        >
          Create bucket, IAM user, key and sink
        </ActionButton>
      </div>
      {setup.state === "failed" && (
        <ErrorMessage>
          <p>{setup.message}</p>
          {existingUser && (
            <div className="actions">
              <button type="button" className="button primary" onClick={() => run({ rotateKey: true })}>
                Rotate its key
              </button>
              <button
                type="button"
                className="button secondary"
                onClick={() => setUserName(existingUser.id === "rotate-key" ? `${existingUser.userName}-2` : "")}
              >
                Use another user name
              </button>
            </div>
          )}
        </ErrorMessage>
      )}
      {setup.state === "done" && (
        <Success>
          <ul className="step-list">
            {setup.value.steps.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ul>
          <button type="button" className="button primary" onClick={() => wizardStep("exporter")}>
            Next: the exporter
          </button>
        </Success>
      )}
    </form>
  );
}
