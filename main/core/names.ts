// Names of sinks, streams and batch exporters: safe in file names, URLs and CLI arguments.
import { invalidInput } from "./errors.js";

export type ResourceKind = "sink" | "stream" | "batch exporter";

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const nameRule = 'names are 1 to 100 characters of letters, digits, ".", "_" and "-", starting with a letter or digit';

export function checkName(kind: ResourceKind, name: string): string {
  if (!namePattern.test(name)) throw invalidInput(`Invalid ${kind} name ${JSON.stringify(name)}: ${nameRule}.`);
  return name;
}
