// Path prefixes inside a bucket: where a sink's credentials may write and where exporters put files.
import { invalidInput } from "../errors.js";

export const maxPrefixLength = 900;

/**
 * Drops leading and trailing slashes (users type `/events/` as often as `events`) and checks
 * what remains. Returns undefined for the bucket root.
 */
export function normalizePrefix(raw: string | undefined, what = "path prefix"): string | undefined {
  if (raw === undefined) return undefined;
  const prefix = raw.replace(/^\/+|\/+$/g, "");
  const fail = (problem: string) => invalidInput(`Invalid ${what} ${JSON.stringify(raw)}: ${problem}.`);
  if (prefix === "") {
    if (raw === "") return undefined;
    throw fail("it is only slashes; leave the prefix out to write at the bucket root");
  }
  // The prefix goes into the IAM policy's resource, where these are wildcards and variables:
  // `ev*` would also grant `events2/` and `evil/`.
  const wildcard = /[*?]|\$\{/.exec(prefix);
  if (wildcard)
    throw fail(
      `it contains ${JSON.stringify(wildcard[0])}, which an IAM policy reads as a ${wildcard[0] === "${" ? "variable" : "wildcard"}, so the policy would grant other folders too; use plain folder names`,
    );
  if (prefix.length > maxPrefixLength) throw fail(`it has ${prefix.length} characters, at most ${maxPrefixLength} are allowed`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(prefix)) throw fail("it contains a control character");
  for (const segment of prefix.split("/")) {
    if (segment === "") throw fail('it has an empty segment ("//"), which S3 policies and keys do not match');
    if (segment === "." || segment === "..") throw fail(`it has a "${segment}" segment; use plain folder names`);
  }
  return prefix;
}

/** True when `inner` is `outer` or lies below it (by whole segments). */
export function isWithinPrefix(inner: string | undefined, outer: string | undefined): boolean {
  if (outer === undefined) return true;
  if (inner === undefined) return false;
  return inner === outer || inner.startsWith(`${outer}/`);
}

export const joinKey = (prefix: string | undefined, name: string) => (prefix ? `${prefix}/${name}` : name);
