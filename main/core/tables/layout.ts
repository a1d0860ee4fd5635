// Where an exporter's files are, as a query engine must be told. A layout is one way the exporter
// has laid files out: the folder they start in (its prefix), the folders of its path template
// (each a partition column, or the same for every file) and the suffix its compression gives them.
// An exporter whose settings changed has files in several layouts (layout-history.ts reads them
// from the export log); a definition reads every one of its current format (a table reads JSON
// Lines or Parquet, never both: the one declares columns its files lack, the other its lines'
// inferred ones), and names the others in a note.
//
// Each layout's event files are named exactly (its folders, then the file name with the
// exporter's topic in it): a glob for DuckDB, a regex for the engines that filter on the file's
// path (Athena's "$path", BigQuery's _FILE_NAME). The names never match the `-invalid`
// companions, the `.strm_test_` validation files, nor another topic's files, so exporters that
// share a prefix stay apart; and no two layouts' patterns match the same file, so none is read twice.
import { renderPathTemplate, storedTemplate, type PathToken, type SegmentPart, type TokenType } from "../../../common/path-template.js";
import { fileKindFormats, type Compression, type FileFormatName, type FileKind, type RecordField } from "../../../common/record-format.js";
import { objectUri, type StoreType } from "../../../common/stores.js";

/** One way an exporter has laid out its files. */
export interface Layout {
  prefix?: string;
  template?: string;
  compression: FileKind;
}

/** A layout of files stored before the exporter's settings changed, and how many event files of it the export log holds. */
export interface EarlierLayout extends Layout {
  files: number;
}

/** What a table definition needs to know of an exporter (no secret); its current settings' layout at the top level. */
export interface TableSource extends Layout {
  exporter: string;
  store: StoreType;
  bucket: string;
  topic: string;
  fields: RecordField[];
  /** When the exporter was made: partition projection starts there. */
  createdAt: string;
  /** Azure: the storage account. */
  accountName?: string;
  /** Layouts the export log holds event files in besides the current one, oldest first. */
  earlier?: readonly EarlierLayout[];
  /** Event files of the current layout the export log holds; absent when no log was read. */
  currentFiles?: number;
  /** Files stored before the oldest the export log still names (their layouts are not known). */
  forgottenFiles?: number;
}

/** A layout as a definition reads it: its folders, and whether it is the current settings'. */
export interface PlacedLayout extends Layout {
  current: boolean;
  /** Event files the export log holds in it (absent: not known). */
  files?: number;
  folders: Folder[];
}

export type Folder =
  /** The same for every file (literal text and the topic): part of the location. */
  | { kind: "fixed"; text: string }
  /** A partition column: hive style (`dt=…`) or the folder's value alone (`2026/`). */
  | { kind: "column"; name: string; hive: boolean; type: TokenType; value: SegmentPart[]; token?: PathToken };

export type ColumnFolder = Extract<Folder, { kind: "column" }>;

/** The kind of an exporter's event files: Parquet when it writes Parquet (its `compression` is then its `-invalid` parts'), else its JSON Lines compression. */
export const eventFileKind = (exporter: { compression: Compression; parquet?: unknown }): FileKind => (exporter.parquet ? "parquet" : exporter.compression);

/** The format a layout's files are in. */
export const formatOf = (layout: Pick<Layout, "compression">): FileFormatName => (layout.compression === "parquet" ? "parquet" : "jsonl");

const sameFormat = (a: Pick<Layout, "compression">, b: Pick<Layout, "compression">) => formatOf(a) === formatOf(b);

/** Every layout the definition reads (those of the current settings' format), oldest first, the current settings' last. */
export function layoutsOf(source: TableSource): PlacedLayout[] {
  const earlier = (source.earlier ?? []).filter((layout) => sameFormat(layout, source)).map((layout) => placed(layout, source.topic, false));
  return [...earlier, { ...placed(source, source.topic, true), ...(source.currentFiles !== undefined ? { files: source.currentFiles } : {}) }];
}

/** Earlier layouts of the other format (the exporter switched between JSON Lines and Parquet): not read, and named in a note. */
export function otherFormatLayouts(source: TableSource): PlacedLayout[] {
  return (source.earlier ?? []).filter((layout) => !sameFormat(layout, source)).map((layout) => placed(layout, source.topic, false));
}

function placed(layout: Layout & { files?: number }, topic: string, current: boolean): PlacedLayout {
  return {
    compression: layout.compression,
    ...(layout.prefix ? { prefix: layout.prefix } : {}),
    ...(layout.template ? { template: layout.template } : {}),
    ...(layout.files !== undefined ? { files: layout.files } : {}),
    current,
    folders: foldersOf(layout, topic),
  };
}

export function foldersOf(layout: Pick<Layout, "template">, topic: string): Folder[] {
  if (!layout.template) return [];
  const checked = storedTemplate(layout.template);
  return checked.segments.map((segment, index): Folder => {
    const column = checked.columns.find((candidate) => candidate.segment === index);
    if (segment.hiveColumn) {
      const value = dropKey(segment.parts, segment.hiveColumn);
      return { kind: "column", name: segment.hiveColumn, hive: true, type: column?.type ?? "string", value, ...(column?.token ? { token: column.token } : {}) };
    }
    const timed = segment.parts.some((part) => "token" in part && part.token !== "topic");
    // No time in it: the same folder for every file (the time given is never read).
    if (!timed) return { kind: "fixed", text: renderPathTemplate([segment], 0, topic) };
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

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The partition columns of every layout, each once (engines' names ignore case): the newest
 * layout that has a column decides its value and type, and comes first.
 */
export function partitionColumnsOf(layouts: readonly PlacedLayout[]): ColumnFolder[] {
  const columns: ColumnFolder[] = [];
  for (const layout of [...layouts].reverse())
    for (const column of columnFolders(layout.folders)) if (!columns.some((known) => sameName(known.name, column.name))) columns.push(column);
  return columns;
}

/**
 * The layout's own folder for a partition column, when it holds the column's value as the table
 * defines it (same name, type and value); otherwise the value comes from the file's name.
 */
export function ownFolder(layout: PlacedLayout, column: ColumnFolder): ColumnFolder | undefined {
  return columnFolders(layout.folders).find(
    (folder) => sameName(folder.name, column.name) && folder.type === column.type && JSON.stringify(folder.value) === JSON.stringify(column.value),
  );
}

/** A folder (the prefix, the bucket root) under the store's URI, ending in "/". */
export const folderUri = (source: Pick<TableSource, "store" | "bucket">, prefix: string | undefined) =>
  objectUri(source.store, source.bucket, prefix ? `${prefix}/` : "");

/** A layout's folder (its prefix), as the store's URI, ending in "/". */
export const locationOf = (source: Pick<TableSource, "store" | "bucket">, layout: Pick<Layout, "prefix">) => folderUri(source, layout.prefix);

export const suffixOf = (layout: Pick<Layout, "compression">) => fileKindFormats[layout.compression].suffix;

/** The folder every layout's prefix is in (whole segments): what a local copy of the exporter's files stands for. */
export function commonPrefix(layouts: readonly Pick<Layout, "prefix">[]): string | undefined {
  const split = layouts.map((layout) => (layout.prefix ? layout.prefix.split("/") : []));
  const common: string[] = [];
  for (let index = 0; split.every((segments) => index < segments.length && segments[index] === split[0]![index]); index += 1) common.push(split[0]![index]!);
  return common.length > 0 ? common.join("/") : undefined;
}

// --- Globs (DuckDB) ---------------------------------------------------------------------------

/** DuckDB's glob reads `*`, `?` and `[` as patterns: each becomes a one-character class. (It cannot match a `\` in a folder name at all.) */
export const escapeGlob = (text: string) => text.replace(/[*?[]/g, (char) => `[${char}]`);

const digits = (count: number) => "[0-9]".repeat(count);

const tokenGlobs: Record<Exclude<PathToken, "topic">, string> = {
  date: `${digits(4)}-${digits(2)}-${digits(2)}`,
  hour: digits(2),
  yyyy: digits(4),
  MM: digits(2),
  dd: digits(2),
  HH: digits(2),
  mm: digits(2),
};

const valueGlob = (parts: readonly SegmentPart[], topic: string) =>
  parts.map((part) => ("text" in part ? escapeGlob(part.text) : part.token === "topic" ? escapeGlob(topic) : tokenGlobs[part.token])).join("");

/**
 * A glob over one layout's event files, from its folder on: each folder's value as its tokens
 * render (digits where the time goes), then the file name: its time, `-<topic>---`, and a digit
 * before the suffix (a partition or a counter), which `-invalid` names never have. The fixed width
 * of the time keeps `my-clicks` out of `clicks`'s files. (A topic named `<topic>---<digits>` would
 * still match: a glob cannot say "digits and dashes only"; the regex below can.)
 */
export function eventFilesGlob(layout: PlacedLayout, topic: string): string {
  const folders = layout.folders.map((folder) =>
    folder.kind === "fixed" ? escapeGlob(folder.text) : `${folder.hive ? escapeGlob(`${folder.name}=`) : ""}${valueGlob(folder.value, topic)}`,
  );
  const time = `${digits(4)}-${digits(2)}-${digits(2)}T${digits(2)}:${digits(2)}:${digits(2)}`;
  return [...folders, `${time}-${escapeGlob(topic)}---*[0-9]${suffixOf(layout)}`].join("/");
}

// --- Regexes (Athena's "$path", BigQuery's _FILE_NAME) -----------------------------------------

/**
 * A regex's text for literal `text`, in the syntax Athena (Trino's Joni), BigQuery (RE2) and
 * DuckDB (RE2) share. A quote is written `\x27`, so the regex goes into any engine's string as it is.
 */
export const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/'/g, "\\x27");

const tokenPatterns: Record<Exclude<PathToken, "topic">, string> = {
  date: "[0-9]{4}-[0-9]{2}-[0-9]{2}",
  hour: "[0-9]{2}",
  yyyy: "[0-9]{4}",
  MM: "[0-9]{2}",
  dd: "[0-9]{2}",
  HH: "[0-9]{2}",
  mm: "[0-9]{2}",
};

/** A folder value's pattern. */
export function valuePattern(parts: readonly SegmentPart[], topic: string): string {
  return parts.map((part) => ("text" in part ? escapeRegex(part.text) : part.token === "topic" ? escapeRegex(topic) : tokenPatterns[part.token])).join("");
}

/** An event file's name: its time, its topic, its partitions (digits and dashes), its counter, its writer schema (Parquet per schema), its suffix; never `-invalid`. */
export const eventNamePattern = (topic: string, compression: FileKind) =>
  `[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}-${escapeRegex(topic)}---[0-9]+(-[0-9]+)*(\\.[0-9]+)?${compression === "parquet" ? "(\\.s[0-9]+(-[0-9]+)*)?" : ""}${escapeRegex(fileKindFormats[compression].suffix)}`;

/** The folders of a layout below its prefix, as a pattern ("" when it has none, else ending in "/"). */
export function foldersPattern(folders: readonly Folder[], topic: string): string {
  return folders
    .map(
      (folder) =>
        `${folder.kind === "fixed" ? escapeRegex(folder.text) : `${folder.hive ? escapeRegex(`${folder.name}=`) : ""}${valuePattern(folder.value, topic)}`}/`,
    )
    .join("");
}

/** The whole path of a layout's event files, from `root` (its folder as the engine names it, ending in "/"), anchored at both ends. */
export const eventPathPattern = (root: string, layout: PlacedLayout, topic: string) =>
  `^${escapeRegex(root)}${foldersPattern(layout.folders, topic)}${eventNamePattern(topic, layout.compression)}$`;

// --- Partition values from the file's name --------------------------------------------------------

/**
 * The file's cut time as its name holds it (`yyyy-MM-ddTHH:mm:ss`, UTC), the first group of this
 * pattern over its path. The folders are a pure function of that time (common/path-template.ts),
 * so a file written without a folder gets the value the folder would have held.
 */
export const fileTimePattern = "/([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})-[^/]*$";

/** A piece of a folder's value: literal text, or characters of the file time (1-based, as SQL's substr counts). */
export type ValuePiece = { literal: string } | { from: number; length: number };

const timePieces: Record<Exclude<PathToken, "topic">, { from: number; length: number }> = {
  date: { from: 1, length: 10 },
  yyyy: { from: 1, length: 4 },
  MM: { from: 6, length: 2 },
  dd: { from: 9, length: 2 },
  hour: { from: 12, length: 2 },
  HH: { from: 12, length: 2 },
  mm: { from: 15, length: 2 },
};

/** A column folder's value, from the file time: each token its characters of it, the rest as it is (adjacent text joined). */
export function valuePieces(column: ColumnFolder, topic: string): ValuePiece[] {
  const pieces: ValuePiece[] = [];
  for (const part of column.value) {
    const piece: ValuePiece = "text" in part ? { literal: part.text } : part.token === "topic" ? { literal: topic } : timePieces[part.token];
    const last = pieces.at(-1);
    if (last && "literal" in last && "literal" in piece) last.literal += piece.literal;
    else pieces.push({ ...piece });
  }
  return pieces;
}

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
