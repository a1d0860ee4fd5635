// A CA certificate chosen as a file (a cluster's, a registry's): its PEM text is read here and kept
// by the core in the data folder once the form is saved.
import type { RefObject } from "react";
import { Field } from "./ui";

export interface CaFile {
  pem: string;
  file: string;
}

export function CaFileField({
  label,
  of,
  value,
  onChange,
  inputRef,
}: {
  label: string;
  of: string;
  value: CaFile | undefined;
  onChange: (ca: CaFile) => void;
  /** For a repair elsewhere on the form ("Choose the CA file") to open the file chooser. */
  inputRef?: RefObject<HTMLInputElement | null>;
}) {
  return (
    <Field
      label={label}
      hint={value ? `Using ${value.file}.` : `The PEM file of ${of}'s certificate authority; without one the system's trusted authorities are used.`}
    >
      {(props) => (
        <input
          {...props}
          ref={inputRef}
          type="file"
          accept=".pem,.crt,.cer,application/x-pem-file"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void file.text().then((pem) => onChange({ pem, file: file.name }));
          }}
        />
      )}
    </Field>
  );
}
