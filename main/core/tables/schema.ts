// The columns of an exporter's lines, inferred from a sample of them, conservatively: a field is
// typed only as what every sampled value of it fits; a field whose kind varies (a number here, a
// string there) becomes JSON text, with a note, so no engine refuses a line it has not seen.
// Numbers are judged by their text (JSON.parse's source access): `1.0` is a fraction, and a whole
// number beyond a 64-bit integer is kept as JSON text, every digit of it.

import { shownName } from "./names.js";

export type FieldType =
  | { kind: "string" | "integer" | "double" | "boolean" | "json" }
  /** Only from a registered schema (registered-columns.ts): lines never say these by themselves. */
  | { kind: "decimal"; precision: number; scale: number }
  | { kind: "timestamp" | "date" }
  | { kind: "struct"; fields: Field[] }
  | { kind: "array"; element: FieldType };

export interface Field {
  /** The JSON key, as the lines spell it. */
  name: string;
  type: FieldType;
}

export interface InferredSchema {
  fields: Field[];
  /** The registered schema the columns come from; absent: inferred from the sampled lines. */
  registered?: { subject: string; version: number; id: number };
  /** What a person should know: fields typed loosely, and why. */
  notes: string[];
  /** Lines read. */
  sampled: number;
  /**
   * Not read from the topic now (`why`: it could not be): the columns of the last definition made
   * from it (`at`), or the envelope's own fields (fallback-columns.ts).
   */
  fallback?: { kind: "remembered"; at: string; why: string } | { kind: "envelope"; why: string };
}

/** Objects nested deeper than this are kept as JSON text: engines' struct types get unwieldy. */
const maxDepth = 4;

interface Shape {
  kinds: Set<"null" | "boolean" | "integer" | "double" | "big integer" | "string" | "object" | "array">;
  /** Keys in first-seen order. */
  keys?: Map<string, Shape>;
  element?: Shape;
}

const newShape = (): Shape => ({ kinds: new Set() });

/** A number as the line wrote it, in place of the value JSON.parse would give. */
class NumberText {
  constructor(readonly text: string) {}
  get kind(): "integer" | "double" | "big integer" {
    if (/[.eE]/.test(this.text)) return "double";
    const value = BigInt(this.text);
    return value >= -(2n ** 63n) && value < 2n ** 63n ? "integer" : "big integer";
  }
}

const withNumberText = (line: string): unknown =>
  JSON.parse(line, function (_key, value: unknown, context?: { source?: string }) {
    return typeof value === "number" && context?.source !== undefined ? new NumberText(context.source) : value;
  });

/** Every line must be a JSON object (as files of events are); lines that are not are skipped. */
export function inferSchema(lines: readonly string[]): InferredSchema {
  const root = newShape();
  let sampled = 0;
  for (const line of lines) {
    let value: unknown;
    try {
      value = withNumberText(line);
    } catch {
      continue;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) continue;
    observe(root, value);
    sampled += 1;
  }
  const notes: string[] = [];
  const fields = [...(root.keys ?? new Map<string, Shape>())].flatMap(([name, shape], index, all) => {
    // Engines' column names ignore case: of two keys that differ only in case, the first is kept.
    const first = all.find(([other]) => other.toLowerCase() === name.toLowerCase())![0];
    if (first !== name) {
      notes.push(`${shownName(name)} is left out: it differs from ${shownName(first)} only in case, and engines' column names ignore case.`);
      return [];
    }
    return [{ name, type: resolve(shape, name, 1, notes) }];
  });
  return { fields, notes, sampled };
}

function observe(shape: Shape, value: unknown): void {
  if (value === null) shape.kinds.add("null");
  else if (typeof value === "boolean") shape.kinds.add("boolean");
  else if (value instanceof NumberText) shape.kinds.add(value.kind);
  else if (typeof value === "number") shape.kinds.add(Number.isInteger(value) ? "integer" : "double");
  else if (typeof value === "string") shape.kinds.add("string");
  else if (Array.isArray(value)) {
    shape.kinds.add("array");
    shape.element ??= newShape();
    for (const item of value) observe(shape.element, item);
  } else {
    shape.kinds.add("object");
    shape.keys ??= new Map();
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      let child = shape.keys.get(key);
      if (!child) shape.keys.set(key, (child = newShape()));
      observe(child, item);
    }
  }
}

function resolve(shape: Shape, path: string, depth: number, notes: string[]): FieldType {
  const kinds = new Set(shape.kinds);
  kinds.delete("null");
  // Whole numbers and fractions of one field are all numbers.
  if (kinds.has("integer") && kinds.has("double")) kinds.delete("integer");
  if (kinds.size === 0) {
    notes.push(`${shownName(path)} was null in every sampled line: typed as a string.`);
    return { kind: "string" };
  }
  if (kinds.has("big integer")) {
    notes.push(`${shownName(path)} has whole numbers beyond a 64-bit integer in the sample: typed as JSON text, which keeps every digit.`);
    return { kind: "json" };
  }
  if (kinds.size > 1) {
    notes.push(`${shownName(path)} holds ${[...kinds].sort().join(" and ")} values in the sample: typed as JSON text, so every line reads.`);
    return { kind: "json" };
  }
  const [kind] = kinds;
  if (kind === "object") {
    const names = [...(shape.keys?.keys() ?? [])].map((name) => name.toLowerCase());
    if (names.some((name, index) => names.indexOf(name) !== index)) {
      notes.push(`${shownName(path)} has keys that differ only in case: typed as JSON text, since engines' field names ignore case.`);
      return { kind: "json" };
    }
    if (depth >= maxDepth || !shape.keys || shape.keys.size === 0) {
      notes.push(
        `${shownName(path)} is ${shape.keys?.size ? `nested more than ${maxDepth} levels deep` : "always an empty object"} in the sample: typed as JSON text.`,
      );
      return { kind: "json" };
    }
    return { kind: "struct", fields: [...shape.keys].map(([name, child]) => ({ name, type: resolve(child, `${path}.${name}`, depth + 1, notes) })) };
  }
  if (kind === "array") {
    if (!shape.element || shape.element.kinds.size === 0) {
      notes.push(`${shownName(path)} is always an empty list in the sample: typed as JSON text.`);
      return { kind: "json" };
    }
    return { kind: "array", element: resolve(shape.element, `${path}[]`, depth + 1, notes) };
  }
  return { kind: kind as "string" | "integer" | "double" | "boolean" };
}
