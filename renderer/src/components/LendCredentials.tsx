// Credentials lent once to preview a file the sink's own key may not read (by design): what each
// store asks for. They go to the main process for that one read and are not stored.
import { useState, type ReactNode } from "react";
import type { StoreType } from "../../../common/stores";
import type { Input } from "../../../preload/contract";
import { Field } from "./ui";

export type LentCredentials = NonNullable<Input<"files:preview">["admin"]>;

type Lender = (props: { onSubmit: (lent: LentCredentials) => void }) => ReactNode;

function AwsAdminKey({ onSubmit }: { onSubmit: (lent: LentCredentials) => void }) {
  const [accessKeyId, setAccessKeyId] = useState("");
  const [secretAccessKey, setSecret] = useState("");
  return (
    <form className="inline-form" onSubmit={(event) => (event.preventDefault(), onSubmit({ accessKeyId, secretAccessKey }))}>
      <Field label="Admin access key ID">
        {(props) => <input {...props} value={accessKeyId} onChange={(event) => setAccessKeyId(event.target.value)} autoComplete="off" required />}
      </Field>
      <Field label="Admin secret access key">
        {(props) => (
          <input {...props} type="password" value={secretAccessKey} onChange={(event) => setSecret(event.target.value)} autoComplete="off" required />
        )}
      </Field>
      <button type="submit" className="button primary">
        Preview with these credentials
      </button>
    </form>
  );
}

function AzureConnectionString({ onSubmit }: { onSubmit: (lent: LentCredentials) => void }) {
  const [connectionString, setConnectionString] = useState("");
  return (
    <form className="inline-form" onSubmit={(event) => (event.preventDefault(), onSubmit({ connectionString }))}>
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
      <button type="submit" className="button primary">
        Preview with these credentials
      </button>
    </form>
  );
}

/** A Cloud Storage sink's service account reads if granted storage.objects.get: nothing to lend. */
const nothingToLend: Lender = () => null;

export const lenders: Record<StoreType, Lender> = { S3: AwsAdminKey, GCLOUD: nothingToLend, AZURE: AzureConnectionString };
