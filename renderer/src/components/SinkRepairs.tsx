// What mends a sink, wherever its problem shows (the sink itself, an exporter's card, the
// exporter's settings): new credentials, a new key for the IAM user the app made, and that user's
// policy made to allow what the sink's exporters write, after showing the difference. Sections
// with buttons, not <form>s: a repair may be shown inside another form (the exporter's review),
// and a form in a form submits the outer one.
import { useEffect, useState } from "react";
import type { FileKind } from "../../../common/record-format";
import type { PolicyChangeInfo, SinkInfo } from "../../../preload/contract";
import { stores } from "../../../common/stores";
import { useStore } from "../store";
import { requestOf } from "../store/manage-slice";
import { AdminCredentialsFields, useAdminCredentials } from "./AdminCredentialsFields";
import { CredentialsInput, type CredentialsText } from "./CredentialsInput";
import { ActionButton, ErrorMessage, Success } from "./ui";

export function ReplaceCredentials({ sink }: { sink: SinkInfo }) {
  const { replaceCredentials } = useStore();
  const replaced = useStore((state) => requestOf<{ validationFile: string }>(state, `replace:${sink.name}`));
  const [credentials, setCredentials] = useState<CredentialsText>();
  return (
    <section className="form" role="form" aria-label={`New credentials for ${sink.name}`}>
      <p className="muted">
        The new credentials are checked against {sink.bucket} first (a validation file is written); only then do they replace the old ones, and the exporters
        restart with them.
      </p>
      <CredentialsInput onChange={setCredentials} hint={stores[sink.type].credentialsHint} />
      <div className="actions">
        <ActionButton
          onClick={() => {
            if (credentials?.text.trim()) void replaceCredentials(sink.name, credentials.text, credentials.label);
          }}
          busy={replaced.state === "running"}
          busyLabel="Validating the new credentials…"
          disabled={!credentials?.text.trim()}
        >
          Validate and replace
        </ActionButton>
      </div>
      {replaced.state === "done" && (
        <Success>Replaced: the new credentials wrote {replaced.value.validationFile}. The old ones were removed from the keychain.</Success>
      )}
      {replaced.state === "failed" && <ErrorMessage>{replaced.message}</ErrorMessage>}
    </section>
  );
}

export function RotateKey({ sink }: { sink: SinkInfo }) {
  const { rotateKey } = useStore();
  const rotated = useStore((state) => requestOf<{ accessKeyId: string; steps: string[] }>(state, `rotate:${sink.name}`));
  const admin = useAdminCredentials();
  return (
    <section className="form" role="form" aria-label={`Rotate the key of ${sink.iamUser}`}>
      <p className="muted">IAM user {sink.iamUser} gets a new access key; the sink switches to it once it works, and the key it used before is deleted.</p>
      <AdminCredentialsFields admin={admin} name={`rotate-admin-${sink.name}`} />
      <div className="actions">
        <ActionButton
          onClick={() => {
            void rotateKey(sink.name, admin.value);
          }}
          busy={rotated.state === "running"}
          busyLabel="Rotating the key…"
          disabled={!admin.complete}
        >
          Rotate the key
        </ActionButton>
      </div>
      {rotated.state === "done" && (
        <Success>
          <ul className="step-list">
            {rotated.value.steps.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ul>
        </Success>
      )}
      {rotated.state === "failed" && <ErrorMessage>{rotated.message}</ErrorMessage>}
    </section>
  );
}

/**
 * The policy of the sink's IAM user made to allow what its exporters write (and `compression`, one
 * an exporter is about to switch to): the admin credentials are lent once, the difference is
 * shown, and only then is it put.
 */
export function UpdatePolicy({ sink, compression, onDone }: { sink: SinkInfo; compression?: FileKind; onDone?: () => void }) {
  const { policyChange, updatePolicy, forget } = useStore();
  // The difference shown is this form's own (its sink and compression), and gone with it: an
  // update never puts a policy another form showed.
  const key = `${sink.name}:${compression ?? ""}`;
  const change = useStore((state) => requestOf<PolicyChangeInfo>(state, `policy:${key}`));
  const updated = useStore((state) => requestOf<PolicyChangeInfo & { updated: boolean; validationFiles: string[] }>(state, `policy-update:${key}`));
  useEffect(
    () => () => {
      forget(`policy:${key}`);
      forget(`policy-update:${key}`);
    },
    [key, forget],
  );
  const admin = useAdminCredentials();
  const compressions = compression ? [compression] : undefined;
  return (
    <section className="form" role="form" aria-label={`Update the policy of ${sink.iamUser}`}>
      <p className="muted">
        Streamdrop made IAM user {sink.iamUser} for this sink, so it can give its policy exactly what the sink&apos;s exporters write
        {compression ? `, ${compression} files included` : ""}. The admin credentials are used for this change only.
      </p>
      <AdminCredentialsFields admin={admin} name={`policy-admin-${sink.name}`} />
      <div className="actions">
        <ActionButton
          kind="secondary"
          busy={change.state === "running"}
          busyLabel="Reading the policy…"
          disabled={!admin.complete}
          onClick={() => void policyChange(key, sink.name, admin.value, compressions)}
        >
          Show the difference
        </ActionButton>
      </div>
      {change.state === "failed" && <ErrorMessage>{change.message}</ErrorMessage>}
      {change.state === "done" && (
        <>
          <PolicyDifference change={change.value} />
          <div className="actions">
            <ActionButton
              onClick={() => {
                void updatePolicy(key, sink.name, admin.value, change.value.proposed, compressions).then((ok) => ok && onDone?.());
              }}
              busy={updated.state === "running"}
              busyLabel="Updating the policy and checking it…"
              disabled={!admin.complete}
            >
              Update the policy
            </ActionButton>
          </div>
        </>
      )}
      {updated.state === "failed" && <ErrorMessage>{updated.message}</ErrorMessage>}
      {updated.state === "done" && (
        <Success>
          {updated.value.updated ? "The policy is updated" : "The policy already allowed it"}; the sink&apos;s key wrote{" "}
          {updated.value.validationFiles.join(", ")}. The exporters on the sink go on with it.
        </Success>
      )}
    </section>
  );
}

function PolicyDifference({ change }: { change: PolicyChangeInfo }) {
  if (change.added.length === 0 && change.removed.length === 0) return <p>The policy {change.policyName} already allows what the exporters write.</p>;
  return (
    <pre tabIndex={0} className="code diff" aria-label={`The difference to the policy ${change.policyName}`}>
      {[...change.removed.map((line) => `- ${line}`), ...change.added.map((line) => `+ ${line}`)].join("\n")}
    </pre>
  );
}
