// How an exporter stores its files: plain JSON Lines, or compressed whole (the wizard's exporter
// step and the exporter's settings).
import { compressionFormats, compressions, type Compression } from "../../../common/record-format";
import { Field } from "./ui";

const labels: Record<Compression, string> = { none: "None: plain JSON Lines", gzip: "gzip", zstd: "zstd (smaller, faster to read)" };

export function CompressionField({ value, onChange }: { value: Compression; onChange: (value: Compression) => void }) {
  return (
    <Field label="Compression" hint="Files are stored as themselves, compressed whole: query engines read them as they are, and storage and scans cost less.">
      {(props) => (
        <select {...props} value={value} onChange={(event) => onChange(event.target.value as Compression)}>
          {compressions.map((compression) => (
            <option key={compression} value={compression}>
              {labels[compression]} ({compressionFormats[compression].suffix})
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
