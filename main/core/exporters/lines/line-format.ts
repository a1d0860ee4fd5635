// What a line of a batch file holds, decided once per exporter (its fields and tombstone policy)
// and applied to each record by `lineOf`, a pure function of the record: the same record always
// gives the same bytes, so a file re-created after a crash is byte for byte the one it replaces.
//
// - Fields `value` (the default, the product page's format): the event itself, which must be a
//   JSON object; anything else goes to the `-invalid` companion file with its bytes, so nothing is lost.
// - Any other list of fields: one JSON object per record with those fields in the order given.
//   Keys, values and header values that are JSON are nested as JSON (their own bytes, minified);
//   other UTF-8 becomes a string; anything else base64, with a sibling `<name>Encoding: "base64"`.
// - Decoding (a file shape's `decode: "registry"`): keys and values in a Schema Registry's wire
//   format are their JSON, decoded with the writer's schema; a value that does not decode (an id
//   the registry does not know, bytes the schema does not read) makes the record an `-invalid`
//   line, its bytes and the reason, in either layout; a key that does not decode stays its bytes.
import { isUtf8 } from "node:buffer";
import type { Column } from "../../../../common/table-columns.js";
import { invalidInput } from "../../errors.js";
import { parseWire } from "../../schemas/wire-format.js";
import { checkJson, eventCheck, invalidRecord, isText, jsonLine } from "./jsonl.js";
import type { KafkaRecord } from "./records.js";
import type { Decoded, WireDecoder } from "./wire-decoding.js";
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
 *   3: in envelopes, bytes that start with a NUL byte (a Schema Registry's wire format) are base64,
 *      never a string of control characters.
 *   4: `-invalid` lines keep text as text, with an explicit `<name>Encoding` (`utf8` or `base64`).
 */
export const lineRules = 4;

/** The rules versions this build can re-create a file with. */
export const knownRules: readonly number[] = [1, 2, 3, 4];

/**
 * A group of a file's events stored as a part of its own: a Parquet file per writer schema, its
 * name's suffix `name` and its `columns`. Absent on a line: the file's one events part.
 */
export interface EventGroup {
  name: string;
  columns: Column[];
}

export type Line = { kind: "event"; line: Buffer; group?: EventGroup } | { kind: "invalid"; line: Buffer } | { kind: "skipped" };

/** Where a file's own check (a Parquet file's columns) puts an event's line: in the events part, in a group of them, or in `-invalid` for the reason given. */
export type LinePlace = { problem: string } | { group?: EventGroup };

/** A file's own check of an event's line (see LinePlace). */
export type LineCheck = (line: Buffer, record: KafkaRecord) => LinePlace;

/** Keys and values as they are: what a file that does not decode sees. */
const undecoded: Decoded = { kind: "plain" };

/**
 * The line `record` becomes in a file of `topic` written with `format`, under line rules `rules`,
 * its wire-format keys and values decoded by `decoder` when the file's shape decodes, and an event
 * line that `check` finds a problem with (a Parquet file's columns) made an `-invalid` line saying it.
 */
export function lineOf(record: KafkaRecord, format: LineFormat, topic: string, rules = lineRules, decoder?: WireDecoder, check?: LineCheck): Line {
  const line = eventLineOf(record, format, topic, rules, decoder);
  if (line.kind !== "event" || !check) return line;
  const place = check(line.line, record);
  if ("problem" in place) return { kind: "invalid", line: Buffer.from(invalidRecord(record, place.problem, rules), "utf8") };
  return place.group ? { ...line, group: place.group } : line;
}

/** The line `record` becomes before any check of the file's own (see lineOf). */
function eventLineOf(record: KafkaRecord, format: LineFormat, topic: string, rules: number, decoder?: WireDecoder): Line {
  const strict = rules >= 2;
  const invalid = (reason: string): Line => ({ kind: "invalid", line: Buffer.from(invalidRecord(record, strict ? reason : undefined, rules), "utf8") });
  if (record.value === null && format.tombstones !== "keep")
    return format.tombstones === "skip" ? { kind: "skipped" } : invalid("a tombstone (the record has no value)");
  const decode = (bytes: Buffer | null) => (decoder ? decoder.decode(bytes) : undecoded);
  if (isValueOnly(format.fields)) {
    const value = decode(record.value);
    const check = value.kind === "plain" ? eventCheck(record.value, strict) : decodedJson(value, true, strict);
    return "line" in check ? { kind: "event", line: check.line } : invalid(check.problem);
  }
  const decoded: Decodings = { key: undefined, value: undefined };
  for (const field of ["key", "value"] as const) {
    const bytes = format.fields.includes(field) ? decode(record[field]) : undecoded;
    if (bytes.kind === "plain") continue;
    const check = decodedJson(bytes, false, strict);
    if ("line" in check) decoded[field] = check.line.toString("utf8");
    // A key that does not decode stays its bytes: keys are often not in the wire format at all
    // (a big-endian long starts with a 0 byte too), and the record is an event all the same.
    else if (field === "value") return invalid(`the value: ${check.problem}`);
  }
  return { kind: "event", line: Buffer.from(envelope(record, format.fields, topic, rules, decoded), "utf8") };
}

/** A key's and a value's JSON, when they were decoded; undefined: their bytes as they are. */
type Decodings = Record<"key" | "value", string | undefined>;

/** A decoded key or value as one line of JSON (with `objectsOnly`, an object), or why it has none. */
function decodedJson(decoded: Exclude<Decoded, { kind: "plain" }>, objectsOnly: boolean, strict: boolean): { line: Buffer } | { problem: string } {
  switch (decoded.kind) {
    case "invalid":
      return { problem: decoded.reason };
    case "payload": {
      const check = checkJson(decoded.bytes, objectsOnly, strict);
      return "line" in check ? check : { problem: `${check.problem}, though schema id ${decoded.schemaId} is a JSON Schema` };
    }
    case "json":
      // The decoder's writer gives one line of exact JSON: an object starts with its brace.
      if (objectsOnly && decoded.text.charCodeAt(0) !== 0x7b) return { problem: `decoded with schema id ${decoded.schemaId}, but not an object` };
      return { line: Buffer.from(decoded.text, "utf8") };
  }
}

function envelope(record: KafkaRecord, fields: readonly RecordField[], topic: string, rules: number, decoded: Decodings): string {
  const bytesField = (name: string, bytes: Buffer | null) => bytesFieldOf(name, bytes, rules);
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
        return decoded.key !== undefined ? `"key":${decoded.key}` : bytesField("key", record.key);
      case "keySchemaId":
        return `"keySchemaId":${parseWire(record.key)?.schemaId ?? null}`;
      case "headers":
        return `"headers":[${record.headers.map((header) => `{"key":${JSON.stringify(header.key)},${bytesField("value", header.value)}}`).join(",")}]`;
      case "value":
        return decoded.value !== undefined ? `"value":${decoded.value}` : bytesField("value", record.value);
      case "valueSchemaId":
        return `"valueSchemaId":${parseWire(record.value)?.schemaId ?? null}`;
    }
  });
  return `{${parts.join(",")}}`;
}

/**
 * `"name":<JSON, a string, or null>`, or `"name":"<base64>","nameEncoding":"base64"` for bytes
 * that are not UTF-8 or (rules 3 on) start with a NUL byte, as the wire format does: such bytes
 * are binary even when they happen to be UTF-8, and a string would be full of control characters.
 */
function bytesFieldOf(name: string, bytes: Buffer | null, rules: number): string {
  if (bytes === null) return `"${name}":null`;
  if (rules >= 3 ? !isText(bytes) : !isUtf8(bytes)) return `"${name}":"${bytes.toString("base64")}","${name}Encoding":"base64"`;
  const json = mayStartJson(bytes) ? jsonLine(bytes, false, rules >= 2) : undefined;
  return `"${name}":${json ? json.toString("utf8") : JSON.stringify(bytes.toString("utf8"))}`;
}

/** Bytes a JSON text can start with (after JSON whitespace or a BOM): a cheap test before parsing. */
const jsonStarts = new Set([...'{["-0123456789tfn'].map((char) => char.charCodeAt(0)));

function mayStartJson(bytes: Buffer): boolean {
  let at = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (bytes[at] === 0x20 || bytes[at] === 0x09 || bytes[at] === 0x0a || bytes[at] === 0x0d) at += 1;
  return jsonStarts.has(bytes[at] ?? -1);
}
