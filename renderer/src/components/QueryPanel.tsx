// "Query your data": the SQL that makes the exporter's files a table in Athena, BigQuery or DuckDB,
// ready to copy, with its columns read from the stream's latest events (JSON Lines) or taken from
// the exporter's columns (Parquet). Asked for on demand: sampling the topic takes a moment.
import { useState } from "react";
import { engineNames, tableEngines, type TableEngine } from "../../../common/table-engines";
import type { TableDefinitionInfo } from "../../../preload/contract";
import { useStore } from "../store";
import { requestOf } from "../store/manage-slice";
import { ActionButton, CopyButton, ErrorMessage, Field } from "./ui";

export function QueryPanel({ name, defaultEngine }: { name: string; defaultEngine: TableEngine }) {
  const { loadTable } = useStore();
  const table = useStore((state) => requestOf<TableDefinitionInfo>(state, `table:${name}`));
  const [engine, setEngine] = useState<TableEngine>(defaultEngine);
  const shown = table.state === "done" && table.value.engine === engine ? table.value : undefined;
  return (
    <section className="panel" aria-labelledby={`query-${name}`}>
      <h3 id={`query-${name}`}>Query your data</h3>
      <p className="hint">
        A table over this exporter's files: its columns come from the stream's latest events (for Parquet files, from the exporter's columns), its partitions
        from the folders by time, and its files are read in their format and compression as they are.
      </p>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          void loadTable(name, engine);
        }}
      >
        <Field label="Query engine">
          {(props) => (
            <select {...props} value={engine} onChange={(event) => setEngine(event.target.value as TableEngine)}>
              {tableEngines.map((candidate) => (
                <option key={candidate} value={candidate}>
                  {engineNames[candidate]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="actions">
          <ActionButton type="submit" kind="secondary" busy={table.state === "running"} busyLabel="Making the table definition…">
            Show the table definition
          </ActionButton>
        </div>
      </form>
      {table.state === "failed" && <ErrorMessage>{table.message}</ErrorMessage>}
      {shown && (
        <>
          <ul className="notes" aria-label="Notes on the table">
            {shown.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
          <pre tabIndex={0} className="code" aria-label={`The ${engineNames[engine]} table definition`}>
            {shown.sql}
          </pre>
          <div className="actions">
            <CopyButton text={shown.sql} label={`Copy the ${engineNames[engine]} SQL`} />
          </div>
        </>
      )}
    </section>
  );
}
