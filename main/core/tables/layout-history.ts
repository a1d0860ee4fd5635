// The layouts an exporter's files are in, from the keys its export log holds: a change of prefix,
// path template or compression leaves earlier files where they were, and a table must read them
// too. The log names each file's key, not the settings it was written with, so the layout is read
// back from the keys:
// - The compression is the key's suffix.
// - The prefix is one a worker started with (its validation file's folder, also in the log) or
//   the current one, when the key is under it; else the folders before the first that holds the
//   file's time.
// - The template is the folders below the prefix with the file's time put back as tokens (a
//   {topic} folder is fixed text for one exporter, so it stays text). A folder can say it ambiguously (in December at noon, `12` is {MM} or {HH}), so the
//   keys of one shape (the same folders with every digit a digit) are read together: the template
//   that renders the most of them exactly wins, preferring a hive key's hint (month=, hour=…) and
//   then calendar order (year, month, day, hour, minute), as templates are written.
// Layouts of different shapes never match each other's files; keys of the current settings' shape
// belong to the current layout, so no file is read by two layouts' tables.
import { checkPathTemplate, pathTokens, renderPathTemplate, storedTemplate, type PathToken } from "../../../common/path-template.js";
import type { ExportLogEntry } from "../../../common/stored-files.js";
import { escapeRegex, foldersOf, foldersPattern, type EarlierLayout, type Layout } from "./layout.js";
import { parseBatchKey, validationFolder, type StoredBatchKey } from "./stored-keys.js";

export interface LayoutHistory {
  /** Layouts other than the current one, oldest first (by their first file). */
  earlier: EarlierLayout[];
  /** Event files in the current layout. */
  currentFiles: number;
}

/** Candidate templates tried per shape: the preferred come first, and a handful are ever plausible. */
const maxCandidates = 200;

/** The layouts of the event files in `entries` (the export log, oldest first), the current settings' apart. */
export function layoutHistory(entries: readonly ExportLogEntry[], current: Layout, topic: string): LayoutHistory {
  const keys = entries.flatMap((entry) => {
    const parsed = entry.kind === "events" ? parseBatchKey(entry.key) : undefined;
    return parsed && parsed.kind === "events" && parsed.topic === topic ? [parsed] : [];
  });
  const prefixes = knownPrefixes(entries, current);
  const found: Array<{ layout: Layout; files: number; first: number }> = [];
  for (const group of shapes(keys)) {
    for (const { layout, matched } of layoutsOfShape(group, current, prefixes, topic)) {
      const known = found.find((candidate) => sameLayout(candidate.layout, layout));
      if (known) known.files += matched.length;
      else found.push({ layout, files: matched.length, first: matched.reduce((first, key) => Math.min(first, key.time), Infinity) });
    }
  }
  const currentFiles = found.filter((candidate) => sameLayout(candidate.layout, current)).reduce((sum, candidate) => sum + candidate.files, 0);
  const earlier = found
    .filter((candidate) => !sameLayout(candidate.layout, current))
    .sort((a, b) => a.first - b.first)
    .map(({ layout, files }) => ({ ...layout, files }));
  return { earlier, currentFiles };
}

const sameLayout = (a: Layout, b: Layout) =>
  (a.prefix ?? "") === (b.prefix ?? "") && (a.template ?? "") === (b.template ?? "") && a.compression === b.compression;

/** Prefixes workers started with (their validation files' folders) and the current one, longest first. */
function knownPrefixes(entries: readonly ExportLogEntry[], current: Layout): string[] {
  const folders = entries.flatMap((entry) => {
    const folder = entry.kind === "validation" ? validationFolder(entry.key) : undefined;
    return folder === undefined ? [] : [folder];
  });
  return [...new Set([...folders, current.prefix ?? ""])].sort((a, b) => b.length - a.length);
}

/** Keys grouped by compression and shape (their folders with every digit a #), oldest group first. */
function shapes(keys: readonly StoredBatchKey[]): StoredBatchKey[][] {
  const groups = new Map<string, StoredBatchKey[]>();
  for (const key of keys) {
    const shape = `${key.compression} ${key.folder.replace(/[0-9]/g, "#")}`;
    const group = groups.get(shape);
    if (group) group.push(key);
    else groups.set(shape, [key]);
  }
  return [...groups.values()];
}

const folderPathOf = (folder: string) => (folder ? `${folder}/` : "");

/** Whether a layout's folders can be the folder of each key (whatever its time). */
function folderMatcher(layout: Layout, topic: string): (key: StoredBatchKey) => boolean {
  const pattern = new RegExp(`^${escapeRegex(folderPathOf(layout.prefix ?? ""))}${foldersPattern(foldersOf(layout, topic), topic)}$`);
  return (key) => pattern.test(folderPathOf(key.folder));
}

/** Whether a layout renders exactly a key's folder at its time. */
function renderer(layout: Layout, topic: string): (key: StoredBatchKey) => boolean {
  const segments = layout.template ? storedTemplate(layout.template).segments : [];
  return (key) => [layout.prefix, renderPathTemplate(segments, key.time, topic)].filter(Boolean).join("/") === key.folder;
}

/** Keys a shape's candidates are scored on: spread over its files, so a shape of thousands is read in a moment. */
const scoredKeys = 500;

function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, index) => items[Math.floor((index * items.length) / count)]!);
}

/**
 * The layout (or, when no one candidate matches every key, layouts) of one shape's keys: the
 * current settings' when its folders match them all; else the candidate whose folders match the
 * most of them, then renders the most exactly, earliest in preference on a tie.
 */
function layoutsOfShape(group: StoredBatchKey[], current: Layout, prefixes: readonly string[], topic: string) {
  const compression = group[0]!.compression;
  const currentFolders = { ...current, compression };
  if (group.every(folderMatcher(currentFolders, topic))) return [{ layout: currentFolders, matched: group }];
  const results: Array<{ layout: Layout; matched: StoredBatchKey[] }> = [];
  let rest = group;
  while (rest.length > 0) {
    const sample = spread(rest, scoredKeys);
    const scored = [...candidateLayouts(rest[0]!, prefixes, topic)].map((candidate) => {
      const layout = { ...candidate, compression };
      const matched = sample.filter(folderMatcher(layout, topic));
      return { layout, matched: matched.length, exact: matched.filter(renderer(layout, topic)).length };
    });
    // The first key's own folder as the prefix (the last candidate) always matches it: there is always a best.
    const best = scored.reduce((a, b) => (b.matched > a.matched || (b.matched === a.matched && b.exact > a.exact) ? b : a));
    const matched = rest.filter(folderMatcher(best.layout, topic));
    results.push({ layout: best.layout, matched });
    const taken = new Set(matched);
    rest = rest.filter((key) => !taken.has(key));
  }
  return results;
}

/** Prefix and template pairs that could have given a key's folder at its time, preferred first, a bounded number of them. */
function candidateLayouts(key: StoredBatchKey, prefixes: readonly string[], topic: string): Array<Omit<Layout, "compression">> {
  const segments = key.folder ? key.folder.split("/") : [];
  // A prefix a worker started with, the longest first; then any split, the folders before the first holding a token being the prefix.
  const known = prefixes.filter((prefix) => prefix === "" || key.folder === prefix || key.folder.startsWith(`${prefix}/`));
  const splits = [...new Set([...known.map((prefix) => (prefix ? prefix.split("/").length : 0)), ...segments.map((_, index) => index)])];
  const candidates: Array<Omit<Layout, "compression">> = [];
  const budget = { leaves: maxLeaves };
  for (const length of splits) {
    const prefix = segments.slice(0, length).join("/");
    const rest = segments.slice(length);
    const templates = rest.length === 0 ? [undefined] : templatesOf(rest, new Date(key.time * 1000), topic, budget);
    for (const template of templates) {
      candidates.push({ ...(prefix ? { prefix } : {}), ...(template ? { template } : {}) });
      if (candidates.length >= maxCandidates) break;
    }
  }
  // The folder itself as the prefix: no template (a flat layout).
  return [...candidates, { ...(key.folder ? { prefix: key.folder } : {}) }];
}

/** A hive key's hint for a two-digit value. */
const hints: Record<string, PathToken> = { month: "MM", mon: "MM", day: "dd", dd: "dd", hour: "hour", hr: "hour", hh: "HH", minute: "mm", min: "mm", mm: "mm" };
const calendarOrder: PathToken[] = ["MM", "dd", "HH", "mm"];

/** Templates tried in all, valid or not: the walk stops there whatever it has found. */
const maxLeaves = 5_000;

/** Templates whose folders render as `segments` at `time`, their first folder holding a token, valid, preferred first. */
function templatesOf(segments: readonly string[], time: Date, topic: string, budget: { leaves: number }): string[] {
  const found: string[] = [];
  const walk = (index: number, used: ReadonlySet<PathToken>, done: readonly string[]): void => {
    if (budget.leaves <= 0 || found.length >= maxCandidates) return;
    if (index === segments.length) {
      budget.leaves -= 1;
      const template = done.join("/");
      if (checkPathTemplate(template).ok) found.push(template);
      return;
    }
    for (const folder of folderTemplates(segments[index]!, time, topic, used)) {
      // The prefix ends before the first folder that holds a token.
      if (index === 0 && !folder.text.includes("{")) continue;
      walk(index + 1, folder.used, [...done, folder.text]);
    }
  };
  walk(0, new Set(), []);
  return found;
}

/** One folder as template text: tokens where the time renders, literal text elsewhere, each token once. */
function* folderTemplates(folder: string, time: Date, topic: string, used: ReadonlySet<PathToken>): Generator<{ text: string; used: Set<PathToken> }> {
  const key = /^([a-z_][a-z0-9_]*)=/.exec(folder)?.[1];
  const hint = key ? hints[key] : undefined;
  const twoDigits = hint ? [hint, ...calendarOrder.filter((token) => token !== hint && !(hint === "hour" && token === "HH"))] : calendarOrder;
  // No {topic}: for one exporter it is fixed text, which a prefix or a fixed folder says alike.
  const order: PathToken[] = ["date", "yyyy", ...twoDigits];
  const walk = function* (at: number, text: string, taken: Set<PathToken>): Generator<{ text: string; used: Set<PathToken> }> {
    if (at === folder.length) {
      yield { text, used: taken };
      return;
    }
    for (const token of order) {
      const value = pathTokens[token].render(time, topic);
      if (taken.has(token) || !value || !folder.startsWith(value, at)) continue;
      yield* walk(at + value.length, `${text}{${token}}`, new Set([...taken, token]));
    }
    yield* walk(at + 1, text + folder[at]!, taken);
  };
  // A hive key is literal: `hour=` is never {hour} rendered.
  const start = key ? key.length + 1 : 0;
  yield* walk(start, folder.slice(0, start), new Set(used));
}
