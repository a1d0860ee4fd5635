// Turns Kafka messages into JSON Lines. An event is a JSON object; one-line JSON passes through
// byte for byte, pretty-printed JSON is minified without re-encoding its numbers. Anything else
// (plain text, binary, empty, tombstones, non-object JSON) becomes a record for the `-invalid`
// companion file, so nothing is dropped. Same input, same bytes: recovery relies on it.

export interface RawMessage {
  partition: number;
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
}

/** The line as UTF-8 bytes: for one-line JSON, the message's own bytes (no copy, no re-encoding). */
export type ConvertedMessage = { kind: "event"; line: Buffer } | { kind: "invalid"; line: Buffer };

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function convertMessage(message: RawMessage): ConvertedMessage {
  const line = eventLine(message.value);
  if (line !== undefined) return { kind: "event", line };
  return { kind: "invalid", line: Buffer.from(invalidRecord(message), "utf8") };
}

/** The event as one line, or undefined when the value is not a JSON object. */
function eventLine(value: Buffer | null): Buffer | undefined {
  if (value === null || value.length === 0) return undefined;
  let raw: string;
  try {
    raw = utf8.decode(value);
  } catch {
    return undefined;
  }
  const text = raw.trim();
  if (text.charCodeAt(0) !== 0x7b /* { */) return undefined;
  try {
    JSON.parse(text);
  } catch {
    return undefined;
  }
  if (/[\n\r]/.test(text)) return Buffer.from(minifyJson(text), "utf8");
  // The common case: already one line with nothing to trim, so the message's bytes are the line.
  return text.length === raw.length ? value : Buffer.from(text, "utf8");
}

function invalidRecord(message: RawMessage): string {
  return JSON.stringify({
    partition: message.partition,
    offset: Number(message.offset),
    timestamp: Number(message.timestamp),
    key: message.key === null ? null : message.key.toString("base64"),
    value: message.value === null ? null : message.value.toString("base64"),
  });
}

/** Drops whitespace outside strings; the text is known to be valid JSON. */
export function minifyJson(text: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (inString) {
      out += char;
      if (char === "\\") out += text[++i] ?? "";
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
      out += char;
    } else if (char !== " " && char !== "\n" && char !== "\r" && char !== "\t") {
      out += char;
    }
  }
  return out;
}
