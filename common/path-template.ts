// Path templates: folders between an exporter's prefix and its file names, such as
// `dt={date}/hour={hour}` or `{yyyy}/{MM}/{dd}/{HH}`, so query engines read only the hours asked
// for. Time is the file's own UTC cut time (the one in its name), never an event's: the folder is a
// pure function of the file's intent, so a file re-created after a crash lands where it was
// planned, and a late event lands in the hour it was exported (Confluent's wall-clock partitioner
// works the same way).
//
// Pure (no Node): the core checks and renders templates, the window shows an example as you type,
// and table definitions read their partition columns from here.

/** How a token's folder value is typed when an engine reads it as a column. */
export type TokenType = "date" | "integer" | "string";

interface TokenSpec {
  /** The column a non-hive folder (`{yyyy}/…`) is read as. */
  column: string;
  type: TokenType;
  /** Athena's partition projection for the token's values (digits for zero-padded integers); years have no fixed range, Athena's is counted from the exporter's creation. */
  range?: readonly [number, number];
  digits?: number;
  render(time: Date, topic: string): string;
}

const pad = (value: number, digits = 2) => String(value).padStart(digits, "0");

export const pathTokens = {
  date: { column: "dt", type: "date", render: (t) => t.toISOString().slice(0, 10) },
  hour: { column: "hour", type: "integer", range: [0, 23], digits: 2, render: (t) => pad(t.getUTCHours()) },
  yyyy: { column: "year", type: "integer", digits: 4, render: (t) => pad(t.getUTCFullYear(), 4) },
  MM: { column: "month", type: "integer", range: [1, 12], digits: 2, render: (t) => pad(t.getUTCMonth() + 1) },
  dd: { column: "day", type: "integer", range: [1, 31], digits: 2, render: (t) => pad(t.getUTCDate()) },
  HH: { column: "hour", type: "integer", range: [0, 23], digits: 2, render: (t) => pad(t.getUTCHours()) },
  mm: { column: "minute", type: "integer", range: [0, 59], digits: 2, render: (t) => pad(t.getUTCMinutes()) },
  topic: { column: "topic", type: "string", render: (_t, topic) => topic },
} satisfies Record<string, TokenSpec>;

export type PathToken = keyof typeof pathTokens;
export const pathTokenNames = Object.keys(pathTokens) as PathToken[];

/** A piece of one folder: literal text, or a token. */
export type SegmentPart = { text: string } | { token: PathToken };

/** A folder of the template; `column` is set when the folder is hive style (`name=value`). */
export interface TemplateSegment {
  parts: SegmentPart[];
  /** `dt` of `dt={date}`: engines read the value after `=` as this column. */
  hiveColumn?: string;
}

/** A partition column the template's folders give: its name, type and where its value sits. */
export interface PartitionColumn {
  name: string;
  type: TokenType;
  /** The folder (0-based) and the token alone in it, when the value is exactly one token. */
  segment: number;
  token?: PathToken;
}

export type TemplateCheck = { ok: true; segments: TemplateSegment[]; columns: PartitionColumn[] } | { ok: false; problem: string };

export const maxTemplateBytes = 200;
const literal = /^[A-Za-z0-9._=-]*$/;
const hiveKey = /^([a-z_][a-z0-9_]*)=/;

/** Checks a template: known tokens only, each once, safe characters, no empty, `.` or `..` folders. */
export function checkPathTemplate(template: string): TemplateCheck {
  if (new TextEncoder().encode(template).length > maxTemplateBytes)
    return fail(`The path template is longer than ${maxTemplateBytes} bytes. Use fewer or shorter folders.`);
  if (template.startsWith("/") || template.endsWith("/"))
    return fail("The path template starts or ends with /. Write the folders without slashes at either end, for example dt={date}/hour={hour}.");
  const segments: TemplateSegment[] = [];
  const seen = new Set<PathToken>();
  for (const folder of template.split("/")) {
    if (folder === "") return fail("The path template has an empty folder (//). Remove the doubled slash.");
    if (folder === "." || folder === "..") return fail(`The path template has a ${folder} folder. Folders must be names; remove it.`);
    // Hive-style readers (Athena, Spark) skip files under folders that start with _ or . as hidden.
    if (folder.startsWith("_") || folder.startsWith("."))
      return fail(
        `The path template's folder ${JSON.stringify(folder)} starts with ${folder[0]}, which query engines take for a hidden folder and skip. Start it with a letter, a digit or a token.`,
      );
    const parts = partsOf(folder);
    if (typeof parts === "string") return fail(parts);
    for (const part of parts) {
      if (!("token" in part)) continue;
      if (seen.has(part.token)) return fail(`The token {${part.token}} is in the path template twice. Use each token once.`);
      seen.add(part.token);
    }
    const key = hiveKey.exec(folder)?.[1];
    if (key && folder === `${key}=`)
      return fail(`The path template's folder ${JSON.stringify(folder)} has no value after =. Give it one, such as ${key}={date}.`);
    const times = parts.filter((part) => "token" in part && part.token !== "topic");
    // Values of several time tokens sort and stay unique only with the year in them (2026-12-02-05, not 12-02).
    if (times.length > 1 && !parts.some((part) => "token" in part && (part.token === "date" || part.token === "yyyy"))) {
      return fail(
        `The path template's folder ${JSON.stringify(folder)} has several time tokens but no year. Add {yyyy} (or use {date}), or give each token its own folder.`,
      );
    }
    segments.push({ parts, ...(key ? { hiveColumn: key } : {}) });
  }
  if (seen.size === 0)
    return fail(
      `The path template has no token, so every file would sit in the same folder; a fixed folder belongs in the path prefix. Use tokens such as ${tokenList()}.`,
    );
  const columns = partitionColumns(segments);
  const names = columns.map((column) => column.name);
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  if (twice) return fail(`Two folders of the path template are read as the column ${twice}. Name them apart, for example hour={hour} and minute={mm}.`);
  return { ok: true, segments, columns };
}

function partsOf(folder: string): SegmentPart[] | string {
  const parts: SegmentPart[] = [];
  let rest = folder;
  while (rest.length > 0) {
    const open = rest.indexOf("{");
    const text = open < 0 ? rest : rest.slice(0, open);
    if (text.includes("}")) return `The path template has a } without its {. Write tokens as {name}, from ${tokenList()}.`;
    if (!literal.test(text))
      return `The path template's folder ${JSON.stringify(folder)} has a character other than letters, digits, . _ = and -. Use only those outside tokens.`;
    if (text) parts.push({ text });
    if (open < 0) break;
    const close = rest.indexOf("}", open);
    if (close < 0) return `The path template has a { without its }. Write tokens as {name}, from ${tokenList()}.`;
    const name = rest.slice(open + 1, close);
    if (!(pathTokenNames as string[]).includes(name)) return `Unknown token {${name}} in the path template. Use ${tokenList()}.`;
    parts.push({ token: name as PathToken });
    rest = rest.slice(close + 1);
  }
  return parts;
}

/** Hive folders give their key; a folder that is one token alone gives the token's column. */
function partitionColumns(segments: TemplateSegment[]): PartitionColumn[] {
  const columns: PartitionColumn[] = [];
  segments.forEach((segment, index) => {
    if (segment.hiveColumn) {
      // `dt={date}`: typed as its token only when the value after `=` is that token alone.
      const [first, second] = segment.parts;
      const alone =
        segment.parts.length === 2 &&
        first !== undefined &&
        "text" in first &&
        first.text === `${segment.hiveColumn}=` &&
        second !== undefined &&
        "token" in second
          ? second.token
          : undefined;
      columns.push({ name: segment.hiveColumn, type: alone ? pathTokens[alone].type : "string", segment: index, ...(alone ? { token: alone } : {}) });
    } else if (segment.parts.length === 1 && "token" in segment.parts[0]!) {
      const single = segment.parts[0].token;
      columns.push({ name: pathTokens[single].column, type: pathTokens[single].type, segment: index, token: single });
    }
  });
  return columns;
}

/**
 * A stored template's folders and columns. Templates are checked when they are set, so one that
 * fails here was edited by hand in the config: an error, not a person's input to explain.
 */
export function storedTemplate(template: string): { segments: TemplateSegment[]; columns: PartitionColumn[] } {
  const checked = checkPathTemplate(template);
  if (!checked.ok) throw new Error(`The exporter's path template ${JSON.stringify(template)} is not valid: ${checked.problem}`);
  return checked;
}

/** The folders a file cut at `epochSeconds` of `topic` goes in (no slash at either end). */
export function renderPathTemplate(segments: readonly TemplateSegment[], epochSeconds: number, topic: string): string {
  const time = new Date(epochSeconds * 1000);
  return segments.map((segment) => segment.parts.map((part) => ("token" in part ? pathTokens[part.token].render(time, topic) : part.text)).join("")).join("/");
}

export const tokenList = () => pathTokenNames.map((name) => `{${name}}`).join(", ");

const fail = (problem: string): TemplateCheck => ({ ok: false, problem });
