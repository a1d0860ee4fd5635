// A credentials file dropped, picked or pasted: the AWS console's accessKeys.csv, the JSON of
// `aws iam create-access-key`, S3-compatible credentials or a Google Cloud service-account key.
// A picked file's content never shows on screen; pasted text is masked.
import { useState, type DragEvent } from "react";
import { Field } from "./ui";

export interface CredentialsText {
  text: string;
  /** Names it in messages: the file's name, or "pasted credentials". */
  label: string;
}

export function CredentialsInput({ onChange, hint }: { onChange: (credentials: CredentialsText) => void; hint?: string }) {
  const [pasted, setPasted] = useState("");
  const [fromFile, setFromFile] = useState<string>();
  const readFile = async (file: File | undefined) => {
    if (!file) return;
    setFromFile(file.name);
    setPasted("");
    onChange({ text: await file.text(), label: file.name });
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    void readFile(event.dataTransfer.files[0]);
  };
  return (
    <div className="dropzone" onDragOver={(event) => event.preventDefault()} onDrop={onDrop}>
      <Field label="Credentials file" hint={hint ?? "Drop the file here or pick it. It is read here, stored only in your OS keychain, and never shown again."}>
        {(props) => <input {...props} type="file" accept=".json,application/json,.csv,text/csv" onChange={(event) => void readFile(event.target.files?.[0])} />}
      </Field>
      <Field label="…or paste its content">
        {(props) => (
          <textarea
            {...props}
            rows={4}
            value={pasted}
            placeholder={fromFile ? `Loaded ${fromFile}` : undefined}
            onChange={(event) => {
              setPasted(event.target.value);
              setFromFile(undefined);
              onChange({ text: event.target.value, label: "pasted credentials" });
            }}
            spellCheck={false}
            autoComplete="off"
            className="secret"
          />
        )}
      </Field>
    </div>
  );
}
