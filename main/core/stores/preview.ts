// The first lines of a stored file, for the output files view: each store reads the first bytes
// (stores/<store>/preview.ts) and this cuts them into lines.

/** How much of a file a preview reads, and how many of its lines it shows. */
export const previewBytes = 64 * 1024;
const previewLines = 20;

export interface FilePreview {
  lines: string[];
  truncated: boolean;
}

/** `complete`: the bytes are the whole file (it was shorter than `previewBytes`). */
export function firstLines(text: string, complete: boolean): FilePreview {
  const lines = text.split("\n").filter((line, index, all) => line !== "" || index < all.length - 1);
  return { lines: lines.slice(0, previewLines), truncated: lines.length > previewLines || !complete };
}
