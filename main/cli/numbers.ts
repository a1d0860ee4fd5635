// Numbers typed on the command line: digits only. `Number()` would take "0x10" as 16, "1e3" as
// 1000 and "" as 0, each silently meaning something else than what was typed.
import { invalidInput } from "../core/errors.js";

export function wholeNumber(flag: string, raw: string, range?: { min: number; max?: number }): number {
  const text = raw.trim();
  if (!/^\d+$/.test(text)) throw invalidInput(`${flag} must be a whole number written in digits, such as 60 (got ${JSON.stringify(raw)}).`);
  const value = Number(text);
  if (range && (value < range.min || value > (range.max ?? Infinity)))
    throw invalidInput(`${flag} must be ${range.max === undefined ? `at least ${range.min}` : `from ${range.min} to ${range.max}`} (got ${value}).`);
  return value;
}
