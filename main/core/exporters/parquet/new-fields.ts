// Fields a Parquet exporter's events hold and its columns lack. Such a record goes to `-invalid`
// (a field is never dropped silently), and the worker gathers what the next columns version would
// need to keep it: the latest version's columns with every new field seen, typed as the events
// hold it. A person accepts or changes the proposal; the columns never change by themselves.
import type { ColumnsProposal } from "../../../../common/exporter-status.js";
import { maxColumnDepth, type Column } from "../../../../common/table-columns.js";
import { addMissingColumns, withNewFields } from "./propose-columns.js";
import { pathText, type PathPart } from "./column-values.js";

/** Paths kept at most: a topic of ever-new field names (ids as names) proposes a map, not thousands of columns. */
const maxFields = 50;

export class NewFields {
  private proposal?: ColumnsProposal;

  constructor(
    private readonly version: { version: number; columns: Column[] },
    /** Told each time the proposal grows. */
    private readonly changed: (proposal: ColumnsProposal) => void,
  ) {}

  /** A field at `path` (within the value's columns) holding `value`, which the columns lack. */
  saw(path: readonly PathPart[], value: unknown): void {
    const name = pathText(path);
    if (this.proposal?.fields.includes(name) || (this.proposal?.fields.length ?? 0) >= maxFields) return;
    // A field in a map's values has no column of its own to add (a map's values share one type),
    // and one deeper than columns may nest could not be taken back as columns: nothing to propose.
    if (path.some((part) => typeof part === "object" && "map" in part) || path.length > maxColumnDepth) return;
    const columns = withNewFields(this.proposal?.columns ?? this.version.columns, [eventAt(path, value) as Record<string, unknown>]);
    this.proposal = { basedOn: this.version.version, columns, fields: [...(this.proposal?.fields ?? []), name] };
    this.changed(this.proposal);
  }
}

/** An event holding `value` at `path` alone: a field's name an object, a list's elements a list. */
function eventAt(path: readonly PathPart[], value: unknown): unknown {
  return path.reduceRight<unknown>((inner, part) => (typeof part === "string" ? { [part]: inner } : [inner]), value);
}

/** Two workers' proposals as one: the later version's, or both one's new fields together. */
export function joinProposals(a: ColumnsProposal | undefined, b: ColumnsProposal | undefined): ColumnsProposal | undefined {
  if (!a || !b) return a ?? b;
  if (a.basedOn !== b.basedOn) return a.basedOn > b.basedOn ? a : b;
  return { basedOn: a.basedOn, columns: addMissingColumns(a.columns, b.columns), fields: [...new Set([...a.fields, ...b.fields])] };
}
