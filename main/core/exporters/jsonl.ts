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

export type ConvertedMessage = { kind: "event"; line: string } | { kind: "invalid"; line: string };

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function convertMessage(message: RawMessage): ConvertedMessage {
  const text = eventText(message.value);
  if (text !== undefined) return { kind: "event", line: text };
  return { kind: "invalid", line: invalidRecord(message) };
}

/** The event as one line, or undefined when the value is not a JSON object. */
function eventText(value: Buffer | null): string | undefined {
  if (value === null || value.length === 0) return undefined;
  let text: string;
  try {
    text = utf8.decode(value);
  } catch {
    return undefined;
  }
  text = text.trim();
  if (text.charCodeAt(0) !== 0x7b /* { */) return undefined;
  try {
    JSON.parse(text);
  } catch {
    return undefined;
  }
  return /[\n\r]/.test(text) ? minifyJson(text) : text;
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
