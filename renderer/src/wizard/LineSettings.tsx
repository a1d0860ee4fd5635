// What each line of the exporter's files holds: the event itself, or the record with the fields
// the user ticks (in Kafka's order), and what becomes of tombstones. The wizard's check and the
// exporter it creates use the same settings.
import { recordFields, type RecordField, type TombstonePolicy } from "../../../common/record-format";
import type { LineFormatWarningInfo } from "../../../preload/contract";

export interface LineChoice {
  fields: RecordField[];
  tombstones: TombstonePolicy;
}

export const defaultLineChoice: LineChoice = { fields: ["value"], tombstones: "invalid" };

export const isValueOnly = (fields: RecordField[]) => fields.length === 1 && fields[0] === "value";

const fieldLabels: Record<RecordField, string> = {
  topic: "Topic",
  partition: "Partition",
  offset: "Offset",
  timestamp: "Timestamp (epoch milliseconds)",
  key: "Key",
  keySchemaId: "Key's schema id (Schema Registry)",
  headers: "Headers",
  value: "Value",
  valueSchemaId: "Value's schema id (Schema Registry)",
};

const tombstoneLabels: Record<TombstonePolicy, string> = {
  invalid: "Put them in the -invalid file (nothing is lost)",
  skip: "Skip them (counted, not written)",
  keep: "Keep them as lines with value null",
};

/** Words for the dashboard: what a line holds. */
export const describeFields = (fields: RecordField[]) => (isValueOnly(fields) ? "the event itself" : fields.join(", "));

/**
 * The window's words for the core's line-format warning (lines without values), naming the
 * window's own choices (Record fields, Value) where the core says "the fields"; any other note,
 * such as a change's effect, keeps the core's words, which never name a command-line flag.
 */
export function lineWarningText(warning: LineFormatWarningInfo | { code: string; message: string }, fields: RecordField[]): string {
  if (warning.code !== "no-values") return warning.message;
  const held = fields.map((field) => fieldLabels[field].replace(/ \(.*\)$/, "")).join(", ");
  return `Value is not among the Record fields, so the files will hold no event values, only ${held}. To export the events too, tick Value under Record fields in the exporter's settings.`;
}

export function LineSettings({ value, onChange }: { value: LineChoice; onChange: (choice: LineChoice) => void }) {
  const valueOnly = isValueOnly(value.fields);
  const toggle = (field: RecordField, on: boolean) => {
    const fields = recordFields.filter((candidate) => (candidate === field ? on : value.fields.includes(candidate)));
    if (fields.length === 0) return;
    onChange({ fields, tombstones: value.tombstones === "keep" && isValueOnly(fields) ? "invalid" : value.tombstones });
  };
  return (
    <>
      <fieldset className="radios">
        <legend>What each line holds</legend>
        <label>
          <input
            type="radio"
            name="line-shape"
            checked={valueOnly}
            onChange={() => onChange({ fields: ["value"], tombstones: value.tombstones === "keep" ? "invalid" : value.tombstones })}
          />{" "}
          The event itself (the record's value, a JSON object)
        </label>
        <label>
          <input
            type="radio"
            name="line-shape"
            checked={!valueOnly}
            onChange={() => onChange({ ...value, fields: ["partition", "offset", "timestamp", "key", "value"] })}
          />{" "}
          The record with its metadata, as one JSON object
        </label>
      </fieldset>
      {!valueOnly && (
        <fieldset className="radios" aria-describedby="fields-hint">
          <legend>Record fields</legend>
          {recordFields.map((field) => (
            <label key={field} className="checkbox">
              <input type="checkbox" checked={value.fields.includes(field)} onChange={(event) => toggle(field, event.target.checked)} /> {fieldLabels[field]}
            </label>
          ))}
          <p className="hint" id="fields-hint">
            Values, keys and header values that are JSON are nested as JSON, other text becomes a string, anything else base64.
          </p>
        </fieldset>
      )}
      <fieldset className="radios">
        <legend>Tombstones (records with no value)</legend>
        {(["invalid", "skip", "keep"] as const).map((policy) => (
          <label key={policy}>
            <input
              type="radio"
              name="tombstones"
              checked={value.tombstones === policy}
              disabled={policy === "keep" && valueOnly}
              onChange={() => onChange({ ...value, tombstones: policy })}
            />{" "}
            {tombstoneLabels[policy]}
            {policy === "keep" && valueOnly && <span className="muted"> (needs the record with its metadata)</span>}
          </label>
        ))}
      </fieldset>
    </>
  );
}
