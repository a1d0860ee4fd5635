// A stored line as the preview shows it: as written, or pretty-printed. Lines of an `-invalid`
// file written before line rules 4 hold the record's key and value in base64 with no encoding
// named; where those bytes are UTF-8 text, the pretty view shows the text beside them, since that
// is what a person needs to see why it was invalid. Newer lines keep text as text already.

const utf8 = new TextDecoder("utf-8", { fatal: true });

function decodedText(base64: unknown): string | undefined {
  if (typeof base64 !== "string") return undefined;
  try {
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

export function prettyLine(line: string, kind: "events" | "invalid"): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return line;
  }
  if (kind === "invalid" && parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
    const record = parsed as Record<string, unknown>;
    const shownAsText = (name: "key" | "value") => (record[`${name}Encoding`] === undefined ? decodedText(record[name]) : undefined);
    const valueText = shownAsText("value");
    const keyText = shownAsText("key");
    parsed = { ...record, ...(keyText !== undefined ? { keyAsText: keyText } : {}), ...(valueText !== undefined ? { valueAsText: valueText } : {}) };
  }
  return JSON.stringify(parsed, null, 2);
}
