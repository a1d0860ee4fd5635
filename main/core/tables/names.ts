// Field names as the lines spell them can be anything JSON allows: empty, thousands of characters
// long, holding control characters or half a UTF-16 pair. What each engine cannot name is left
// out with a note; these are the checks the engines share, and how a name is shown in a note.

/** Names shown in full up to this length; longer ones are shortened, so a note stays readable. */
const shownLength = 64;

/**
 * Half of a UTF-16 surrogate pair (`"\ud800"` in the JSON): no UTF-8 text, so no SQL, can spell
 * it; the statements would name another key.
 */
const hasLoneSurrogate = (name: string) => /\p{Cs}/u.test(name);

/** Why no engine's SQL can name a field, if none can: the reason every engine's note gives. */
export const unspellable = (name: string) =>
  hasLoneSurrogate(name) ? "its name holds half of a UTF-16 surrogate pair, which no UTF-8 text (so no SQL) can spell" : undefined;

/** C0 controls (NUL included), DEL and C1 controls. */
export const hasControlCharacter = (name: string) => /\p{Cc}/u.test(name);

/** Characters a terminal would act on or hide: controls, format characters (bidi overrides, zero widths), separators other than a space. */
const hidden = /[\p{C}\p{Z}]/u;

/**
 * How a field's name (or a path of names) appears in a note: as it is, when every character in it
 * shows; otherwise quoted, its hidden characters escaped, since the notes go to a terminal (the
 * CLI's stderr) and an escape sequence or an empty name would mislead there. A very long name is
 * shortened to its start and its length.
 */
export function shownName(name: string): string {
  const short = name.length > shownLength ? `${[...name].slice(0, shownLength / 2).join("")}… (${name.length} characters)` : name;
  if (name !== "" && ![...name].some((char) => char !== " " && hidden.test(char)) && !/^ | $/.test(name)) return short;
  return `"${[...short].map(escapeHidden).join("")}"`;
}

function escapeHidden(char: string): string {
  if (char === '"' || char === "\\") return `\\${char}`;
  if (char === " " || char === "…" || !hidden.test(char)) return char;
  const code = char.codePointAt(0)!;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
}
