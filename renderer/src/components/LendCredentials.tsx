// Credentials lent to preview a file the sink's own key may not read (by design): what each store
// asks for. They go to the main process, which keeps them for this session (asked once), and in
// the OS keychain only when the person ticks "Remember".
import { useState, type ReactNode } from "react";
import type { StoreType } from "../../../common/stores";
import type { Input } from "../../../preload/contract";
import { Field } from "./ui";

export type LentCredentials = NonNullable<Input<"files:preview">["admin"]>;

type Lender = (props: { onSubmit: (lent: LentCredentials, remember: boolean) => void }) => ReactNode;

function RememberBox({ remember, onChange }: { remember: boolean; onChange: (remember: boolean) => void }) {
  return (
    <label className="checkbox">
      <input type="checkbox" checked={remember} onChange={(event) => onChange(event.target.checked)} /> Remember them in the OS keychain (else until Streamdrop
      quits)
    </label>
  );
}

function AwsAdminKey({ onSubmit }: { onSubmit: (lent: LentCredentials, remember: boolean) => void }) {
  const [accessKeyId, setAccessKeyId] = useState("");
  const [secretAccessKey, setSecret] = useState("");
  const [remember, setRemember] = useState(false);
  return (
    <form className="inline-form" onSubmit={(event) => (event.preventDefault(), onSubmit({ accessKeyId, secretAccessKey }, remember))}>
      <Field label="Admin access key ID">
        {(props) => <input {...props} value={accessKeyId} onChange={(event) => setAccessKeyId(event.target.value)} autoComplete="off" required />}
      </Field>
      <Field label="Admin secret access key">
        {(props) => (
          <input {...props} type="password" value={secretAccessKey} onChange={(event) => setSecret(event.target.value)} autoComplete="off" required />
        )}
      </Field>
      <RememberBox remember={remember} onChange={setRemember} />
      <button type="submit" className="button primary">
        Preview with these credentials
      </button>
    </form>
  );
}

function AzureConnectionString({ onSubmit }: { onSubmit: (lent: LentCredentials, remember: boolean) => void }) {
  const [connectionString, setConnectionString] = useState("");
  const [remember, setRemember] = useState(false);
  return (
    <form className="inline-form" onSubmit={(event) => (event.preventDefault(), onSubmit({ connectionString }, remember))}>
      <Field label="Storage account connection string" hint="In the Azure portal: the storage account, Access keys, Connection string.">
        {(props) => (
          <input
            {...props}
            type="password"
            value={connectionString}
            onChange={(event) => setConnectionString(event.target.value)}
            autoComplete="off"
            required
          />
        )}
      </Field>
      <RememberBox remember={remember} onChange={setRemember} />
      <button type="submit" className="button primary">
        Preview with these credentials
      </button>
    </form>
  );
}

/** A Cloud Storage sink's service account reads if granted storage.objects.get: nothing to lend. */
const nothingToLend: Lender = () => null;

export const lenders: Record<StoreType, Lender> = { S3: AwsAdminKey, GCLOUD: nothingToLend, AZURE: AzureConnectionString };
