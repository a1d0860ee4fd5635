// What a line of a batch file holds, decided once per exporter (its fields and tombstone policy)
// and applied to each record by `lineOf`, a pure function of the record: the same record always
// gives the same bytes, so a file re-created after a crash is byte for byte the one it replaces.
//
// - Fields `value` (the default, the product page's format): the event itself, which must be a
//   JSON object; anything else goes to the `-invalid` companion file, base64, so nothing is lost.
// - Any other list of fields: one JSON object per record with those fields in the order given.
//   Keys, values and header values that are JSON are nested as JSON (their own bytes, minified);
//   other UTF-8 becomes a string; anything else base64, with a sibling `<name>Encoding: "base64"`.
import { isUtf8 } from "node:buffer";
import { invalidInput } from "../../errors.js";
import { eventCheck, invalidRecord, jsonLine } from "./jsonl.js";
import type { KafkaRecord } from "./records.js";
import {
  recordFields,
  tombstonePolicies,
  type LineFormat,
  type LineFormatWarning,
  type RecordField,
  type TombstonePolicy,
} from "../../../../common/record-format.js";

export { recordFields, tombstonePolicies, type LineFormat, type LineFormatWarning, type RecordField, type TombstonePolicy };

export const defaultLineFormat: LineFormat = { fields: ["value"], tombstones: "invalid" };

export const isValueOnly = (fields: readonly RecordField[]) => fields.length === 1 && fields[0] === "value";

/** Reads a comma list of fields (`key,value`), refusing unknown or repeated names. */
export function parseFields(text: string): RecordField[] {
  const names = text.split(",").map((name) => name.trim());
  if (names.some((name) => name === ""))
    throw invalidInput(`The fields ${JSON.stringify(text)} have an empty name. List them separated by commas, from: ${recordFields.join(", ")}.`);
  return checkFields(names);
}

export function checkFields(names: readonly string[]): RecordField[] {
  if (names.length === 0) throw invalidInput(`Choose at least one field, from: ${recordFields.join(", ")}.`);
  const unknown = names.filter((name) => !(recordFields as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw invalidInput(
      `Unknown field${unknown.length > 1 ? "s" : ""} ${unknown.map((name) => JSON.stringify(name)).join(", ")}. The fields a line can hold are: ${recordFields.join(", ")}.`,
    );
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  if (repeated.length > 0) throw invalidInput(`The field ${JSON.stringify(repeated[0])} is listed twice. Name each field once.`);
  return names as RecordField[];
}

export function checkTombstones(policy: string): TombstonePolicy {
  if (!(tombstonePolicies as readonly string[]).includes(policy))
    throw invalidInput(
      `Unknown tombstone policy ${JSON.stringify(policy)}: choose invalid (to the -invalid file), skip (write nothing) or keep (a line with "value": null).`,
    );
  return policy as TombstonePolicy;
}

/** The one rule between the two settings: a kept tombstone needs a line that can say "value": null beside something else. */
export function lineFormat(fields: readonly string[] = defaultLineFormat.fields, tombstones: string = defaultLineFormat.tombstones): LineFormat {
  const format = { fields: checkFields(fields), tombstones: checkTombstones(tombstones) };
  if (format.tombstones === "keep" && isValueOnly(format.fields)) {
    throw invalidInput(
      "Keeping tombstones needs fields besides value (for example key,value): a line of the value alone cannot say which record was deleted. Add fields such as key, or skip tombstones instead.",
    );
  }
  return format;
}

/** Fields without value are allowed (exporting keys alone may be the point), but then no event is exported: said, not refused. */
export function lineFormatWarnings(fields: readonly RecordField[]): LineFormatWarning[] {
  if (fields.includes("value")) return [];
  return [
    {
      code: "no-values",
      message: `The fields (${fields.join(", ")}) leave out value: the files hold no event values. Add value to the fields to export the events too.`,
    },
  ];
}

/**
 * The version of the code's rules that turn a record into a line and sort it into the events or
 * the `-invalid` part (line-format.ts, jsonl.ts, the gather kernel), and an intent into a key
 * (file-names.ts, common/path-template.ts). Bump it, and keep the old rules reachable by it,
 * whenever their output changes: an intent planned under other rules would otherwise be
 * re-created, after an upgrade, as another file under a name that may exist. The golden lines and
 * keys in test/unit/exporters/format.test.ts and path-template.test.ts fail on such a change.
 *   1: the first rules.
 *   2: JSON that readers do not all read the same (half a surrogate pair, a number past a double,
 *      a name given twice in one object) is not an event (value-only lines: to `-invalid`; envelopes: its text as a string), and
 *      each `-invalid` line says why (`reason`).
 */
export const lineRules = 2;

/** The rules versions this build can re-create a file with. */
export const knownRules: readonly number[] = [1, 2];

export type Line = { kind: "event"; line: Buffer } | { kind: "invalid"; line: Buffer } | { kind: "skipped" };

/** The line `record` becomes in a file of `topic` written with `format`, under line rules `rules`. */
export function lineOf(record: KafkaRecord, format: LineFormat, topic: string, rules = lineRules): Line {
  const strict = rules >= 2;
  const invalid = (reason: string): Line => ({ kind: "invalid", line: Buffer.from(invalidRecord(record, strict ? reason : undefined), "utf8") });
  if (record.value === null && format.tombstones !== "keep")
    return format.tombstones === "skip" ? { kind: "skipped" } : invalid("a tombstone (the record has no value)");
  if (isValueOnly(format.fields)) {
    const check = eventCheck(record.value, strict);
    return "line" in check ? { kind: "event", line: check.line } : invalid(check.problem);
  }
  return { kind: "event", line: Buffer.from(envelope(record, format.fields, topic, strict), "utf8") };
}

function envelope(record: KafkaRecord, fields: readonly RecordField[], topic: string, strict: boolean): string {
  const parts = fields.map((field) => {
    switch (field) {
      case "topic":
        return `"topic":${JSON.stringify(topic)}`;
      // Offsets and timestamps are kafkajs's decimal strings: written as JSON numbers, digit for digit.
      case "partition":
        return `"partition":${record.partition}`;
      case "offset":
        return `"offset":${record.offset}`;
      case "timestamp":
        return `"timestamp":${record.timestamp}`;
      case "key":
        return bytesField("key", record.key, strict);
      case "headers":
        return `"headers":[${record.headers.map((header) => `{"key":${JSON.stringify(header.key)},${bytesField("value", header.value, strict)}}`).join(",")}]`;
      case "value":
        return bytesField("value", record.value, strict);
    }
  });
  return `{${parts.join(",")}}`;
}

/** `"name":<JSON, a string, or null>`, or `"name":"<base64>","nameEncoding":"base64"` for bytes that are not UTF-8. */
function bytesField(name: string, bytes: Buffer | null, strict: boolean): string {
  if (bytes === null) return `"${name}":null`;
  if (!isUtf8(bytes)) return `"${name}":"${bytes.toString("base64")}","${name}Encoding":"base64"`;
  const json = mayStartJson(bytes) ? jsonLine(bytes, false, strict) : undefined;
  return `"${name}":${json ? json.toString("utf8") : JSON.stringify(bytes.toString("utf8"))}`;
}

/** Bytes a JSON text can start with (after JSON whitespace or a BOM): a cheap test before parsing. */
const jsonStarts = new Set([...'{["-0123456789tfn'].map((char) => char.charCodeAt(0)));

function mayStartJson(bytes: Buffer): boolean {
  let at = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (bytes[at] === 0x20 || bytes[at] === 0x09 || bytes[at] === 0x0a || bytes[at] === 0x0d) at += 1;
  return jsonStarts.has(bytes[at] ?? -1);
}
