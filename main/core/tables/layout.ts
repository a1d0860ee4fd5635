// Where an exporter's files are, as a query engine must be told: the folder they start in, the
// folders of its path template (each a partition column, or the same for every file), the suffix
// its compression gives them, and the pattern of its event files' names (never the `-invalid`
// companions, nor the `.strm_test_` validation files).
import { renderPathTemplate, storedTemplate, type PathToken, type SegmentPart, type TokenType } from "../../../common/path-template.js";
import { compressionFormats, type Compression, type RecordField } from "../../../common/record-format.js";
import { objectUri, type StoreType } from "../../../common/stores.js";

/** What a table definition needs to know of an exporter (no secret). */
export interface TableSource {
  exporter: string;
  store: StoreType;
  bucket: string;
  prefix?: string;
  topic: string;
  compression: Compression;
  template?: string;
  fields: RecordField[];
  /** When the exporter was made: partition projection starts there. */
  createdAt: string;
  /** Azure: the storage account. */
  accountName?: string;
}

export type Folder =
  /** The same for every file (literal text and the topic): part of the location. */
  | { kind: "fixed"; text: string }
  /** A partition column: hive style (`dt=…`) or the folder's value alone (`2026/`). */
  | { kind: "column"; name: string; hive: boolean; type: TokenType; value: SegmentPart[]; token?: PathToken };

export type ColumnFolder = Extract<Folder, { kind: "column" }>;

export function foldersOf(source: TableSource): Folder[] {
  if (!source.template) return [];
  const checked = storedTemplate(source.template);
  return checked.segments.map((segment, index): Folder => {
    const column = checked.columns.find((candidate) => candidate.segment === index);
    if (segment.hiveColumn) {
      const value = dropKey(segment.parts, segment.hiveColumn);
      return { kind: "column", name: segment.hiveColumn, hive: true, type: column?.type ?? "string", value, ...(column?.token ? { token: column.token } : {}) };
    }
    const timed = segment.parts.some((part) => "token" in part && part.token !== "topic");
    // No time in it: the same folder for every file (the time given is never read).
    if (!timed) return { kind: "fixed", text: renderPathTemplate([segment], 0, source.topic) };
    if (column?.token) return { kind: "column", name: column.name, hive: false, type: column.type, value: segment.parts, token: column.token };
    return { kind: "column", name: `folder${index + 1}`, hive: false, type: "string", value: segment.parts };
  });
}

/** `dt=` taken off a hive folder's parts: what remains is its value. */
function dropKey(parts: SegmentPart[], key: string): SegmentPart[] {
  const [first, ...rest] = parts;
  if (!first || !("text" in first)) return parts;
  const text = first.text.slice(key.length + 1);
  return text ? [{ text }, ...rest] : rest;
}

export const columnFolders = (folders: readonly Folder[]) => folders.filter((folder): folder is ColumnFolder => folder.kind === "column");

/** The exporter's folder, as the store's URI, ending in "/". */
export const locationOf = (source: TableSource) => objectUri(source.store, source.bucket, source.prefix ? `${source.prefix}/` : "");

export const suffixOf = (source: TableSource) => compressionFormats[source.compression].suffix;

/**
 * A glob over the event files: one `*` per folder (hive folders as `key=*`), and names that end in
 * a digit before the suffix (a partition or a counter), which `-invalid` names never do.
 */
export function eventFilesGlob(source: TableSource, folders: readonly Folder[]): string {
  const path = folders.map((folder) => (folder.kind === "fixed" ? folder.text : folder.hive ? `${folder.name}=*` : "*"));
  return `${locationOf(source)}${[...path, `*[0-9]${suffixOf(source)}`].join("/")}`;
}

/** A folder value's pattern, for engines that read columns from the file's path with a regex. */
export function valuePattern(parts: readonly SegmentPart[], topic: string): string {
  return parts.map((part) => ("text" in part ? escapeRegex(part.text) : part.token === "topic" ? escapeRegex(topic) : tokenPatterns[part.token])).join("");
}

const tokenPatterns: Record<Exclude<PathToken, "topic">, string> = {
  date: "[0-9]{4}-[0-9]{2}-[0-9]{2}",
  hour: "[0-9]{2}",
  yyyy: "[0-9]{4}",
  MM: "[0-9]{2}",
  dd: "[0-9]{2}",
  HH: "[0-9]{2}",
  mm: "[0-9]{2}",
};

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Java's date pattern for a folder value made of time tokens (Athena's date projection), and its step. */
export function javaDatePattern(parts: readonly SegmentPart[], topic: string): { format: string; unit: "YEARS" | "MONTHS" | "DAYS" | "HOURS" | "MINUTES" } {
  const patterns: Record<Exclude<PathToken, "topic">, string> = { date: "yyyy-MM-dd", hour: "HH", yyyy: "yyyy", MM: "MM", dd: "dd", HH: "HH", mm: "mm" };
  const units = ["YEARS", "MONTHS", "DAYS", "HOURS", "MINUTES"] as const;
  const unitOf: Record<Exclude<PathToken, "topic">, (typeof units)[number]> = {
    date: "DAYS",
    hour: "HOURS",
    yyyy: "YEARS",
    MM: "MONTHS",
    dd: "DAYS",
    HH: "HOURS",
    mm: "MINUTES",
  };
  let finest = 0;
  const format = parts
    .map((part) => {
      if ("text" in part) return quoteJava(part.text);
      if (part.token === "topic") return quoteJava(topic);
      finest = Math.max(finest, units.indexOf(unitOf[part.token]));
      return patterns[part.token];
    })
    .join("");
  return { format, unit: units[finest]! };
}

const quoteJava = (text: string) => `'${text.replace(/'/g, "''")}'`;
