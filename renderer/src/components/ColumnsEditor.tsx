// A Parquet exporter's columns, as the window shows and edits them: the text form the core takes
// (`id int64, at timestamp(micros)`, read and printed by common/table-columns.ts, as the CLI does),
// checked as it is typed, and each column's name and type in a table. The wizard's exporter step
// and the exporter's settings share it.
import type { ReactNode } from "react";
import type { ColumnsProposal } from "../../../common/exporter-status";
import { columnsText, parseColumns, typeText, type Column, type ColumnType } from "../../../common/table-columns";
import type { ExporterInfo, ExporterStatusInfo } from "../../../preload/contract";
import { Field } from "./ui";

/** What the text says: nothing yet, columns, or what is wrong with it (in the window's words). */
export type ColumnsDraft = { state: "empty" } | { state: "ok"; columns: Column[]; text: string } | { state: "problem"; problem: string };

export function readColumns(text: string): ColumnsDraft {
  if (text.trim() === "") return { state: "empty" };
  const parsed = parseColumns(text);
  if ("problem" in parsed) return { state: "problem", problem: `The columns cannot be read: ${parsed.problem}.` };
  return { state: "ok", columns: parsed.columns, text: columnsText(parsed.columns) };
}

/** A type in words, for the table beside its text. */
export function typeWords(type: ColumnType): string {
  switch (type.kind) {
    case "string":
      return "text";
    case "boolean":
      return "true or false";
    case "int32":
      return "a whole number (32-bit)";
    case "int64":
      return "a whole number (64-bit)";
    case "double":
      return "a number (double precision)";
    case "timestamp":
      return `a time in UTC, to the ${type.unit === "millis" ? "millisecond" : "microsecond"}`;
    case "date":
      return "a date";
    case "decimal":
      return `a decimal of ${type.precision} digits, ${type.scale} after the point`;
    case "json":
      return "any JSON, kept as JSON text";
    case "struct":
      return `a record of ${type.fields.map((field) => field.name).join(", ")}`;
    case "list":
      return `a list, each ${typeWords(type.items)}`;
    case "map":
      return `names, each to ${typeWords(type.values)}`;
  }
}

const syntax = "Name and type, separated by commas, such as: id int64, at timestamp(micros), tags list<string>, address struct<city string>.";
const types =
  "Types: string, boolean, int32, int64, double, date, timestamp(millis or micros), decimal(precision,scale), json, struct<…>, list<type>, map<type>.";

export function ColumnsEditor({
  text,
  onChange,
  label = "Columns",
  emptyHint,
  children,
}: {
  text: string;
  onChange: (text: string) => void;
  label?: string;
  /** What an empty text means where the editor is (proposed when the exporter is made, …). */
  emptyHint?: string;
  /** Shown between the text and the table: a proposal's source, a button to propose again. */
  children?: ReactNode;
}) {
  const draft = readColumns(text);
  return (
    <div className="columns-editor">
      <Field
        label={label}
        hint={
          <>
            {syntax} {types} Every column may be empty in an event; events whose fields do not fit go to the -invalid file with the reason.
            {draft.state === "empty" && emptyHint ? ` ${emptyHint}` : ""}
          </>
        }
        {...(draft.state === "problem" ? { error: draft.problem } : {})}
      >
        {(props) => (
          <textarea
            {...props}
            className="code-input"
            rows={Math.min(8, Math.max(3, Math.ceil(text.length / 80)))}
            value={text}
            onChange={(event) => onChange(event.target.value)}
            spellCheck={false}
            autoComplete="off"
          />
        )}
      </Field>
      {children}
      {draft.state === "ok" && <ColumnsTable columns={draft.columns} caption={`${label}: ${draft.columns.length} in each file`} />}
    </div>
  );
}

export function ColumnsTable({ columns, caption }: { columns: Column[]; caption: string }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">Type</th>
            <th scope="col">Holds</th>
          </tr>
        </thead>
        <tbody>
          {columns.map((column) => (
            <tr key={column.name}>
              <td>
                <code>{column.name}</code>
              </td>
              <td>
                <code>{typeText(column.type)}</code>
              </td>
              <td>{typeWords(column.type)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Where a Parquet exporter's columns come from, offered where its events are decoded with the
 * stream's registry: each event's registered schema (a file per schema), or columns of its own.
 */
export function ColumnsSourceField({ fromRegistry, onChange }: { fromRegistry: boolean; onChange: (fromRegistry: boolean) => void }) {
  return (
    <fieldset className="radios">
      <legend>Where the columns come from</legend>
      <label>
        <input type="radio" name="columns-source" checked={fromRegistry} onChange={() => onChange(true)} /> Each event&apos;s registered schema: a file for each
        schema its events were written with, every field of it a column
      </label>
      <label>
        <input type="radio" name="columns-source" checked={!fromRegistry} onChange={() => onChange(false)} /> Columns kept with the exporter, as written here
      </label>
    </fieldset>
  );
}

/**
 * The next columns the engine proposes for a Parquet exporter whose events hold new fields, while
 * they still add to its latest version (once a version is saved after it, it is answered).
 */
export function pendingProposal(exporter: ExporterInfo, status: ExporterStatusInfo | undefined): ColumnsProposal | undefined {
  const proposal = status?.columnsProposal;
  return proposal && exporter.format === "parquet" && proposal.basedOn === exporter.columns?.version ? proposal : undefined;
}

/** The new fields, said as a list: `coupon`, `address.zip`. */
export function FieldList({ fields }: { fields: string[] }) {
  return (
    <>
      {fields.map((field, index) => (
        <span key={field}>
          {index > 0 && ", "}
          <code>{field}</code>
        </span>
      ))}
    </>
  );
}
