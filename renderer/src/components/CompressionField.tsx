// How an exporter stores its files: their format, JSON Lines (compressed whole, or plain) or
// Parquet (compressed per column, inside the file), and that compression. The wizard's sink setup
// and exporter step, and the exporter's settings, offer the same choice; the sink's policy and
// setup document follow it.
import { useId } from "react";
import {
  compressionFormats,
  compressions,
  fileKindFormats,
  parquetCompressions,
  type Compression,
  type ParquetCompression,
} from "../../../common/record-format";
import { freshFileChoice, type FileChoice } from "./file-choice";
import { Field } from "./ui";

const jsonlLabels: Record<Compression, string> = { none: "None: plain JSON Lines", gzip: "gzip", zstd: "zstd (smaller, faster to read)" };
const parquetLabels: Record<ParquetCompression, string> = {
  zstd: "zstd (small files, fast to read)",
  snappy: "snappy (fastest to write, larger files)",
  gzip: "gzip (smallest, slowest)",
  none: "None",
};

export function CompressionField({ value, onChange }: { value: FileChoice; onChange: (value: FileChoice) => void }) {
  const name = useId();
  const parquet = value.format === "parquet";
  return (
    <>
      <fieldset className="radios">
        <legend>File format</legend>
        <label>
          <input type="radio" name={name} checked={!parquet} onChange={() => onChange(freshFileChoice.jsonl)} />{" "}
          {`JSON Lines: a line of JSON per event (${fileKindFormats.none.suffix})`}
        </label>
        <label>
          <input type="radio" name={name} checked={parquet} onChange={() => onChange(freshFileChoice.parquet)} />{" "}
          {`Parquet: columns that query engines scan fast and cheaply (${fileKindFormats.parquet.suffix})`}
        </label>
      </fieldset>
      <Field
        label="Compression"
        hint={
          parquet
            ? "Parquet compresses each column inside the file; every query engine reads all four."
            : "Files are stored as themselves, compressed whole: query engines read them as they are, and storage and scans cost less."
        }
      >
        {(props) =>
          value.format === "parquet" ? (
            <select
              {...props}
              value={value.compression}
              onChange={(event) => onChange({ format: "parquet", compression: event.target.value as ParquetCompression })}
            >
              {parquetCompressions.map((compression) => (
                <option key={compression} value={compression}>
                  {parquetLabels[compression]}
                </option>
              ))}
            </select>
          ) : (
            <select {...props} value={value.compression} onChange={(event) => onChange({ format: "jsonl", compression: event.target.value as Compression })}>
              {compressions.map((compression) => (
                <option key={compression} value={compression}>
                  {jsonlLabels[compression]} ({compressionFormats[compression].suffix})
                </option>
              ))}
            </select>
          )
        }
      </Field>
    </>
  );
}
