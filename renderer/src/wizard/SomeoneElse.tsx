// Path 3: the document to forward to whoever administers the AWS account.
import { useState } from "react";
import { useStore } from "../store";
import { ActionButton, CopyButton, ErrorMessage, Field, SaveButton } from "../components/ui";
import { SinkSettings, useSinkSettings } from "./SinkSettings";

export function SomeoneElse() {
  const { wizard, setupDocument, haveCredentialsNow } = useStore();
  const settings = useSinkSettings();
  const [region, setRegion] = useState("us-east-1");
  const document = wizard.document;
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        const { bucket, pathPrefix } = settings.input();
        void setupDocument({ bucket, region, ...(pathPrefix ? { pathPrefix } : {}) });
      }}
    >
      <SinkSettings settings={settings} showName={false} />
      <Field label="Region of the bucket">{(props) => <input {...props} value={region} onChange={(event) => setRegion(event.target.value)} autoComplete="off" />}</Field>
      <div className="actions">
        <ActionButton type="submit" busy={document.state === "running"} busyLabel="Writing the document…" disabled={!settings.valid}>
          Write the setup document
        </ActionButton>
      </div>
      {document.state === "failed" && <ErrorMessage>{document.message}</ErrorMessage>}
      {document.state === "done" && (
        <>
          <p>Send this to your AWS administrator. It has the bucket, the policy, the exact aws commands, and how to send the key back safely.</p>
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
