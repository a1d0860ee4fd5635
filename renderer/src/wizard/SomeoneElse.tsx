// Path 3: the document to forward to whoever administers the AWS account or the Google Cloud
// project: the exact aws or gcloud commands, and how to send the key back safely.
import { useState } from "react";
import { useStore } from "../store";
import { ActionButton, CopyButton, ErrorMessage, Field, SaveButton } from "../components/ui";
import { stores, storeTypes } from "../../../common/stores";
import { SinkSettings, useSinkSettings } from "./SinkSettings";
import { storeForms } from "./store-forms";
import { CompressionField } from "../components/CompressionField";
import { fileKindsOf } from "../components/file-choice";
import type { StoreType } from "../../../common/stores";

export function SomeoneElse() {
  const { wizard, setupDocument, haveCredentialsNow, chooseFiles } = useStore();
  const [type, setType] = useState<StoreType>("S3");
  const settings = useSinkSettings(undefined, type);
  // One value per store, so switching back keeps what was typed.
  const [extra, setExtra] = useState<Record<StoreType, string>>(
    () => Object.fromEntries(Object.entries(storeForms).map(([store, form]) => [store, form.setupDocument.field.initial])) as Record<StoreType, string>,
  );
  const form = storeForms[type].setupDocument;
  const document = wizard.document;
  const admin = `${stores[type].cloud} administrator`;
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        const { bucket, pathPrefix } = settings.input();
        void setupDocument(() => form.write(bucket, pathPrefix, extra[type], fileKindsOf(wizard.files)));
      }}
    >
      <fieldset className="radios">
        <legend>Where is the bucket?</legend>
        {storeTypes.map((store) => (
          <label key={store}>
            <input type="radio" name="store" checked={type === store} onChange={() => setType(store)} /> {stores[store].fullName}
          </label>
        ))}
      </fieldset>
      <SinkSettings settings={settings} showName={false} />
      <Field label={form.field.label} {...(form.field.hint ? { hint: form.field.hint } : {})}>
        {(props) => (
          <input
            {...props}
            value={extra[type]}
            onChange={(event) => setExtra({ ...extra, [type]: event.target.value })}
            autoComplete="off"
            spellCheck={false}
          />
        )}
      </Field>
      <CompressionField value={wizard.files} onChange={chooseFiles} />
      <div className="actions">
        <ActionButton type="submit" busy={document.state === "running"} busyLabel="Writing the document…" disabled={!settings.valid}>
          Write the setup document
        </ActionButton>
      </div>
      {document.state === "failed" && <ErrorMessage>{document.message}</ErrorMessage>}
      {document.state === "done" && (
        <>
          <p>
            Send this to your {admin}. It has the bucket, {form.holds}, and how to send the key back safely.
          </p>
          <div className="actions">
            <CopyButton text={document.value} label="Copy the document" />
            <SaveButton text={document.value} fileName="streamdrop-setup.md" type="text/markdown" />
          </div>
          <pre tabIndex={0} className="code document" aria-label="The setup document">
            {document.value}
          </pre>
          <button
            type="button"
            className="button primary"
            onClick={() =>
              haveCredentialsNow({ bucket: settings.fields.bucket, ...(settings.fields.pathPrefix ? { pathPrefix: settings.fields.pathPrefix } : {}) })
            }
          >
            I have the credentials file now
          </button>
        </>
      )}
    </form>
  );
}
