// The fields every path shares: sink name, bucket (checked as you type, by the rules of the
// sink's store), prefix, and the store's own advanced settings (store-forms.tsx).
import { useState } from "react";
import { bucketLabel, bucketNameMessage, type StoreType } from "../../../common/stores";
import { Field } from "../components/ui";
import { AdvancedSettings, storeSettingsInput } from "./store-forms";

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function useSinkSettings(prefill?: { bucket: string; pathPrefix?: string }, type: StoreType = "S3") {
  const [name, setName] = useState(prefill?.bucket ?? "");
  const [nameTouched, setNameTouched] = useState(false);
  const [bucket, setBucket] = useState(prefill?.bucket ?? "");
  const [pathPrefix, setPathPrefix] = useState(prefill?.pathPrefix ?? "");
  const [endpoint, setEndpoint] = useState("");
  const [region, setRegion] = useState("");
  const bucketProblem = bucket ? bucketNameMessage(type, bucket) : undefined;
  const sinkName = nameTouched ? name : bucket;
  const nameProblem = sinkName && !namePattern.test(sinkName) ? 'Use 1 to 100 letters, digits, ".", "_" or "-", starting with a letter or digit.' : undefined;
  return {
    type,
    fields: { sinkName, bucket, pathPrefix, endpoint, region },
    set: {
      name: (value: string) => (setName(value), setNameTouched(true)),
      bucket: setBucket,
      pathPrefix: setPathPrefix,
      endpoint: setEndpoint,
      region: setRegion,
    },
    bucketProblem,
    nameProblem,
    valid: Boolean(bucket && sinkName && !bucketProblem && !nameProblem),
    input: () => ({
      name: sinkName,
      bucket,
      ...(pathPrefix.trim() ? { pathPrefix: pathPrefix.trim() } : {}),
      ...storeSettingsInput(type, { endpoint, region }),
    }),
  };
}

export type SinkSettingsState = ReturnType<typeof useSinkSettings>;

/** `withRegion: false` where the form asks for the region itself (creating the bucket): one region field per form. */
export function SinkSettings({
  settings,
  showName = true,
  regionLabel,
  withRegion = true,
}: {
  settings: SinkSettingsState;
  showName?: boolean;
  regionLabel?: string;
  withRegion?: boolean;
}) {
  const { type, fields, set, bucketProblem, nameProblem } = settings;
  return (
    <>
      <Field label={`${bucketLabel(type)} name`} error={bucketProblem}>
        {(props) => (
          <input {...props} value={fields.bucket} onChange={(event) => set.bucket(event.target.value)} autoComplete="off" spellCheck={false} required />
        )}
      </Field>
      <Field label="Path prefix (optional)" hint="Where in the bucket the files go, e.g. events. The key may write only there.">
        {(props) => (
          <input {...props} value={fields.pathPrefix} onChange={(event) => set.pathPrefix(event.target.value)} autoComplete="off" spellCheck={false} />
        )}
      </Field>
      {showName && (
        <Field label="Sink name" hint="How Streamdrop refers to this bucket; defaults to the bucket name." error={nameProblem}>
          {(props) => (
            <input {...props} value={fields.sinkName} onChange={(event) => set.name(event.target.value)} autoComplete="off" spellCheck={false} required />
          )}
        </Field>
      )}
      <AdvancedSettings type={type} fields={fields} set={set} withRegion={withRegion} {...(regionLabel ? { regionLabel } : {})} />
    </>
  );
}
