// Path 3: the document to forward to whoever administers the AWS account or the Google Cloud
// project: the exact aws or gcloud commands, and how to send the key back safely.
import { useState } from "react";
import { useStore } from "../store";
import { ActionButton, CopyButton, ErrorMessage, Field, SaveButton } from "../components/ui";
import { stores, storeTypes } from "../../../common/stores";
import { SinkSettings, useSinkSettings, type SinkType } from "./SinkSettings";

export function SomeoneElse() {
  const { wizard, setupDocument, gcloudSetupDocument, haveCredentialsNow } = useStore();
  const [type, setType] = useState<SinkType>("S3");
  const settings = useSinkSettings(undefined, type);
  const [region, setRegion] = useState("us-east-1");
  const [project, setProject] = useState("");
  const document = wizard.document;
  const admin = `${stores[type].cloud} administrator`;
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        const { bucket, pathPrefix } = settings.input();
        const prefix = pathPrefix ? { pathPrefix } : {};
        void (type === "S3" ? setupDocument({ bucket, region, ...prefix }) : gcloudSetupDocument({ bucket, ...prefix, ...(project.trim() ? { projectId: project.trim() } : {}) }));
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
      {type === "S3" ? (
        <Field label="Region of the bucket">{(props) => <input {...props} value={region} onChange={(event) => setRegion(event.target.value)} autoComplete="off" />}</Field>
      ) : (
        <Field label="Google Cloud project (optional)" hint="The project that holds the bucket; the document says <project-id> when left empty.">
          {(props) => <input {...props} value={project} onChange={(event) => setProject(event.target.value)} autoComplete="off" spellCheck={false} />}
        </Field>
      )}
      <div className="actions">
        <ActionButton type="submit" busy={document.state === "running"} busyLabel="Writing the document…" disabled={!settings.valid}>
          Write the setup document
        </ActionButton>
      </div>
      {document.state === "failed" && <ErrorMessage>{document.message}</ErrorMessage>}
      {document.state === "done" && (
        <>
          <p>
            Send this to your {admin}. It has the bucket, the {type === "S3" ? "policy" : "role"}, the exact {type === "S3" ? "aws" : "gcloud"} commands, and how to send the key back safely.
          </p>
          <div className="actions">
            <CopyButton text={document.value} label="Copy the document" />
            <SaveButton text={document.value} fileName="streamdrop-setup.md" type="text/markdown" />
          </div>
          <pre tabIndex={0} className="code document" aria-label="The setup document">
            {document.value}
          </pre>
          <button type="button" className="button primary" onClick={() => haveCredentialsNow({ bucket: settings.fields.bucket, ...(settings.fields.pathPrefix ? { pathPrefix: settings.fields.pathPrefix } : {}) })}>
            I have the credentials file now
          </button>
        </>
      )}
    </form>
  );
}
