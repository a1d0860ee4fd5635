// What the wizard shows differently for each store, in one table the type checker keeps whole:
// a new store in common/stores.ts fails to compile here until it says its own fields.
import type { ReactNode } from "react";
import type { FileKind } from "../../../common/record-format";
import type { StoreType } from "../../../common/stores";
import { Field } from "../components/ui";
import { call } from "../store/call";

export interface SettingsFields {
  endpoint: string;
  region: string;
}

interface StoreForm {
  /** The advanced part of the sink settings: endpoints of compatible stores and emulators, a fixed region. */
  advanced: { summary: string; endpointHint: string; region: boolean };
  /** The one setting the setup document asks beyond bucket and prefix (region, project, …). */
  setupDocument: {
    field: { label: string; hint?: string; initial: string };
    /** What the document holds, after "It has the bucket, " ("the policy, the exact aws commands"). */
    holds: string;
    /** Asks the main process for the document, through the store's own channel. */
    write(bucket: string, pathPrefix: string | undefined, value: string, compressions: FileKind[]): Promise<{ markdown: string }>;
  };
}

const prefixed = (pathPrefix: string | undefined) => (pathPrefix ? { pathPrefix } : {});

export const storeForms: Record<StoreType, StoreForm> = {
  S3: {
    advanced: { summary: "S3-compatible store or fixed region", endpointHint: "Only for S3-compatible stores, e.g. http://127.0.0.1:9000.", region: true },
    setupDocument: {
      field: { label: "Region of the bucket", initial: "us-east-1" },
      holds: "the policy, the exact aws commands",
      write: (bucket, pathPrefix, region, compressions) => call("aws:setupDoc", { bucket, region, ...prefixed(pathPrefix), compressions }),
    },
  },
  GCLOUD: {
    advanced: {
      summary: "Cloud Storage emulator",
      endpointHint: "Only for an emulator such as fake-gcs-server, e.g. http://127.0.0.1:4443. Leave empty for Google Cloud Storage.",
      region: false,
    },
    setupDocument: {
      field: {
        label: "Google Cloud project (optional)",
        hint: "The project that holds the bucket; the document says <project-id> when left empty.",
        initial: "",
      },
      holds: "the role, the exact gcloud commands",
      write: (bucket, pathPrefix, project, compressions) =>
        call("gcloud:setupDoc", { bucket, ...prefixed(pathPrefix), ...(project.trim() ? { projectId: project.trim() } : {}), compressions }),
    },
  },
  AZURE: {
    advanced: {
      summary: "Azurite or a private endpoint",
      endpointHint: "Only with a SAS token alone: the account's blob endpoint, e.g. https://myaccount.blob.core.windows.net. A SAS URL says it already.",
      region: false,
    },
    setupDocument: {
      field: {
        label: "Storage account (optional)",
        hint: "3 to 24 lowercase letters and digits; the document says <storage-account> when left empty.",
        initial: "",
      },
      holds: "a stored access policy that may only create and write, the exact az commands",
      write: (bucket, pathPrefix, account, compressions) =>
        call("azure:setupDoc", { bucket, ...prefixed(pathPrefix), ...(account.trim() ? { accountName: account.trim() } : {}), compressions }),
    },
  },
};

/** The store's own part of a sink's input, from the advanced fields. */
export const storeSettingsInput = (type: StoreType, fields: SettingsFields) => ({
  ...(fields.endpoint.trim() ? { endpoint: fields.endpoint.trim() } : {}),
  ...(storeForms[type].advanced.region && fields.region.trim() ? { region: fields.region.trim() } : {}),
});

export function AdvancedSettings({
  type,
  fields,
  set,
  regionLabel,
  withRegion = true,
}: {
  type: StoreType;
  fields: SettingsFields;
  set: { endpoint(value: string): void; region(value: string): void };
  regionLabel?: string;
  withRegion?: boolean;
}): ReactNode {
  const { summary, endpointHint, region } = storeForms[type].advanced;
  return (
    <details className="advanced">
      <summary>{summary}</summary>
      <Field label="Endpoint URL (optional)" hint={endpointHint}>
        {(props) => <input {...props} value={fields.endpoint} onChange={(event) => set.endpoint(event.target.value)} type="url" autoComplete="off" />}
      </Field>
      {region && withRegion && (
        <Field label={regionLabel ?? "Region (optional)"} hint="Found automatically from the bucket when left empty.">
          {(props) => <input {...props} value={fields.region} onChange={(event) => set.region(event.target.value)} autoComplete="off" />}
        </Field>
      )}
    </details>
  );
}
