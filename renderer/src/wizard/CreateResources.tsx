// Path 2: the bucket, the least-privilege policy (shown first), the IAM user and key, the sink.
import { useState } from "react";
import { useStore } from "../store";
import { ActionButton, CopyButton, ErrorMessage, Field, SaveButton, Success } from "../components/ui";
import { SinkSettings, useSinkSettings } from "./SinkSettings";

const regions = ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-west-2", "eu-central-1", "eu-north-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ca-central-1", "sa-east-1"];


export function CreateResources() {
  const { wizard, showPolicy, setupS3, wizardStep } = useStore();
  const settings = useSinkSettings();
  const [region, setRegion] = useState("us-east-1");
  const [adminFrom, setAdminFrom] = useState<"chain" | "key">("chain");
  const [profile, setProfile] = useState("");
  const [accessKeyId, setAccessKeyId] = useState("");
  const [secretAccessKey, setSecret] = useState("");
  const { bucket, pathPrefix, endpoint } = settings.fields;
  const policy = wizard.policy;
  const setup = wizard.setup;

  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        const input = settings.input();
        void setupS3({
          bucket: input.bucket,
          createBucket: true,
          region,
          sinkName: input.name,
          ...(input.pathPrefix ? { pathPrefix: input.pathPrefix } : {}),
          ...(input.endpoint ? { endpoint: input.endpoint } : {}),
          admin: adminFrom === "key" ? { from: "key", accessKeyId, secretAccessKey } : { from: "chain", ...(profile.trim() ? { profile: profile.trim() } : {}) },
        });
      }}
    >
      <h3>The bucket</h3>
      <SinkSettings settings={settings} />
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
      <p className="muted">The new IAM user gets exactly this: find the bucket's region, and write *.jsonl files under the prefix. It cannot list, read or delete.</p>
      <ActionButton kind="secondary" busy={policy.state === "running"} busyLabel="Writing the policy…" disabled={!settings.valid} onClick={() => void showPolicy(bucket, pathPrefix || undefined)}>
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
      <fieldset className="radios">
        <legend>Where do the admin credentials come from?</legend>
        <label>
          <input type="radio" name="admin-from" checked={adminFrom === "chain"} onChange={() => setAdminFrom("chain")} /> An AWS profile (or the environment, SSO)
        </label>
        <label>
          <input type="radio" name="admin-from" checked={adminFrom === "key"} onChange={() => setAdminFrom("key")} /> An access key I enter now
        </label>
      </fieldset>
      {adminFrom === "chain" ? (
        <Field label="AWS profile (optional)" hint="Empty uses the default profile or the environment.">
          {(props) => <input {...props} value={profile} onChange={(event) => setProfile(event.target.value)} autoComplete="off" />}
        </Field>
      ) : (
        <>
          <Field label="Admin access key ID">{(props) => <input {...props} value={accessKeyId} onChange={(event) => setAccessKeyId(event.target.value)} autoComplete="off" required />}</Field>
          <Field label="Admin secret access key" hint="Used for these steps only, never stored.">
            {(props) => <input {...props} type="password" value={secretAccessKey} onChange={(event) => setSecret(event.target.value)} autoComplete="off" required />}
          </Field>
        </>
      )}
      <p className="hint">{endpoint ? `S3, IAM and STS calls go to ${endpoint}.` : "Calls go to AWS."}</p>

      <div className="actions">
        <ActionButton type="submit" busy={setup.state === "running"} busyLabel="Creating the bucket, user, key and sink…" disabled={!settings.valid}>
          Create bucket, IAM user, key and sink
        </ActionButton>
      </div>
      {setup.state === "failed" && <ErrorMessage>{setup.message}</ErrorMessage>}
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
