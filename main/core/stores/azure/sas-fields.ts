// What a SAS says, checked offline field by field. A SAS that Azure would refuse (or that would
// reach the wrong place) is refused here naming the field that is wrong, instead of passing a dry
// run and then failing as a network or authorization error. Messages name fields and show only
// what is not secret (permission letters, times); never the signature, never the whole token.
import { credentialsProblem as problem } from "../credentials.js";

// Says az's command without its options: the window shows these messages too, and shows no "--" option.
export const generateSas =
  "Generate a SAS for the container with permissions create and write (cw) and an expiry: in the Azure portal (the container, Shared access tokens) or with `az storage container generate-sas`";
const copyAgain = "Copy the whole SAS again";

/** Every letter a blob, container or account SAS may grant (Azure's own list; case matters). */
const permissionLetters = "racwdxyltfmeopiu";

/** Clocks differ a little: Azure advises a start 15 minutes back, so a start this far ahead is still taken. */
const clockSkewMs = 15 * 60_000;

export interface SasFields {
  /** `sp`, absent when a stored access policy holds the permissions. */
  permissions?: string;
  /** `se`, as an ISO time; absent when a stored access policy holds it. */
  expiresOn?: string;
}

/** Checks a SAS token (the query without its `?`); `protocol` is its URL's (`https:`), when it came with one. */
export function checkSas(token: string, source: string, protocol?: string): SasFields {
  const fields = sasFields(token, source);
  checkSigned(fields, source);
  checkResource(fields, source);
  checkProtocols(fields, source, protocol);
  const permissions = checkPermissions(fields, source);
  const expiresOn = checkTimes(fields, source);
  return { ...(permissions !== undefined ? { permissions } : {}), ...(expiresOn ? { expiresOn } : {}) };
}

/** Whether the SAS may be used over https only (`spr=https`): it cannot work against an http:// endpoint. */
export const httpsOnly = (token: string) => new URLSearchParams(token).get("spr") === "https";

export const httpsOnlyProblem = 'may be used over https only (its protocols "spr" are https), but its URL is http://';

/** A field's name as a message shows it: SAS field names are a few letters, anything else is not quoted. */
const named = (name: string) => (/^[a-z]{1,12}$/i.test(name) ? `"${name}"` : "one field");

/** The token's fields, decoded as a query is. A field given twice is ambiguous (which one would Azure read?), so refused. */
function sasFields(token: string, source: string): Map<string, string> {
  // The token goes out as the query of every request: what a query cannot hold would change it.
  if (/[^\w\-.~%!$&'()*+,;=:@/?]/.test(token))
    throw problem(source, `holds a SAS with characters a URL's query cannot hold (such as a space, a quote or "#"). ${copyAgain}.`);
  const fields = new Map<string, string>();
  for (const piece of token.split("&").filter(Boolean)) {
    const at = piece.indexOf("=");
    const name = decoded(at < 0 ? piece : piece.slice(0, at), "field name", source);
    if (fields.has(name)) throw problem(source, `holds a SAS that gives ${named(name)} twice. ${copyAgain}.`);
    fields.set(name, decoded(at < 0 ? "" : piece.slice(at + 1), named(name), source));
  }
  return fields;
}

/** Percent-decoding as Azure does it ("+" is a space), refusing an escape Azure could not decode either. */
function decoded(raw: string, what: string, source: string): string {
  const malformed = () =>
    problem(source, `holds a SAS whose ${what} is not validly percent-encoded (each "%" must start an escape such as %2B). ${copyAgain}.`);
  if (/%(?![0-9a-f]{2})/i.test(raw)) throw malformed();
  try {
    return decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    throw malformed(); // an escape that is not UTF-8, such as %FF
  }
}

function checkSigned(fields: Map<string, string>, source: string): void {
  const version = fields.get("sv");
  const signature = fields.get("sig");
  if (!version || !signature) throw problem(source, `is not a complete SAS: it needs at least "sv" and "sig". ${copyAgain}.`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(version) || !utcTime(version))
    throw problem(source, `holds a SAS whose service version "sv" is not a date such as 2025-01-05. ${copyAgain}.`);
  // Azure signs with HMAC-SHA256: 32 bytes, 44 base64 characters. Anything else was cut short or
  // changed on the way, and a "+" left unescaped reads as a space.
  const bytes = Buffer.from(signature, "base64");
  if (bytes.length !== 32 || bytes.toString("base64") !== signature) {
    throw problem(
      source,
      `holds a SAS whose signature "sig" is not 44 base64 characters, as Azure's are: it was cut short or changed (a "+" in it must be written %2B). ${copyAgain}.`,
    );
  }
}

function checkResource(fields: Map<string, string>, source: string): void {
  const resource = fields.get("sr");
  if (resource !== undefined && resource !== "c") {
    throw problem(
      source,
      `is a SAS for ${resource === "b" ? "a single blob" : /^[a-z]{1,3}$/.test(resource) ? `resource "${resource}"` : "another resource"}; Streamdrop needs one for the container (sr=c) or the account. ${generateSas}.`,
    );
  }
  if (!fields.has("ss") && !fields.has("srt")) return;
  // An account SAS: it must reach the Blob service (b) and objects (o), the blobs it creates.
  const services = letters(fields, "ss", "services", "bqtf", source);
  if (!services?.includes("b")) throw problem(source, `holds an account SAS without the Blob service (b) among its services "ss". ${generateSas}.`);
  const types = letters(fields, "srt", "resource types", "sco", source);
  if (!types?.includes("o"))
    throw problem(source, `holds an account SAS without objects (o) among its resource types "srt": it may not create blobs. ${generateSas}.`);
}

function checkProtocols(fields: Map<string, string>, source: string, protocol: string | undefined): void {
  const allowed = fields.get("spr");
  if (allowed === undefined) return;
  if (allowed !== "https" && allowed !== "https,http")
    throw problem(source, `holds a SAS whose protocols "spr" are neither "https" nor "https,http". ${copyAgain}.`);
  if (allowed === "https" && protocol === "http:")
    throw problem(source, `holds a SAS that ${httpsOnlyProblem}. Use the blob service's https:// URL, or a SAS that allows http.`);
}

function checkPermissions(fields: Map<string, string>, source: string): string | undefined {
  const permissions = letters(fields, "sp", "permissions", permissionLetters, source);
  if (permissions === undefined) {
    // Without "sp", only a stored access policy can say what the SAS grants.
    if (!fields.has("si")) throw problem(source, `holds a SAS with neither permissions "sp" nor a stored access policy "si" that holds them. ${generateSas}.`);
    return undefined;
  }
  const missing = [
    ["c", "create"],
    ["w", "write"],
  ]
    .filter(([letter]) => !permissions.includes(letter!))
    .map(([letter, name]) => `${name} (${letter})`);
  if (missing.length > 0)
    throw problem(
      source,
      `holds a SAS without the ${missing.join(" and ")} permission${missing.length > 1 ? "s" : ""} (it grants "${permissions}"): Streamdrop stores every file as a new blob. ${generateSas}.`,
    );
  return permissions;
}

/** A field of letters, each one Azure knows (shown: letters are not secret); undefined when absent. */
function letters(fields: Map<string, string>, name: string, what: string, known: string, source: string): string | undefined {
  const value = fields.get(name);
  if (value === undefined) return undefined;
  if (value === "") throw problem(source, `holds a SAS whose ${what} "${name}" are empty. ${copyAgain}.`);
  const unknown = [...new Set(value)].filter((letter) => !known.includes(letter));
  if (unknown.length > 0) {
    const shown = unknown.every((letter) => /^[A-Za-z0-9]$/.test(letter)) ? ` (${unknown.join("")})` : "";
    throw problem(source, `holds a SAS whose ${what} "${name}" have letters Azure does not know${shown}: Azure's are ${known}. ${copyAgain}.`);
  }
  return value;
}

function checkTimes(fields: Map<string, string>, source: string): string | undefined {
  const startsOn = sasTime(fields, "st", "start", source);
  const expiresOn = sasTime(fields, "se", "expiry", source);
  if (!expiresOn && !fields.has("si"))
    throw problem(source, `holds a SAS with neither an expiry "se" nor a stored access policy "si" that holds one. ${generateSas}.`);
  if (startsOn && expiresOn && startsOn >= expiresOn) {
    throw problem(
      source,
      `holds a SAS that starts (st, ${startsOn.toISOString()}) no earlier than it expires (se, ${expiresOn.toISOString()}), so it is never valid. ${generateSas}.`,
    );
  }
  if (expiresOn && expiresOn.getTime() <= Date.now()) throw problem(source, `holds a SAS that expired on ${expiresOn.toISOString()}. ${generateSas}.`);
  if (startsOn && startsOn.getTime() > Date.now() + clockSkewMs) {
    throw problem(
      source,
      `holds a SAS that is valid only from ${startsOn.toISOString()} (its start "st"): Azure refuses it until then. Give it again from then, or generate one that starts now.`,
    );
  }
  return expiresOn?.toISOString();
}

function sasTime(fields: Map<string, string>, name: "st" | "se", what: string, source: string): Date | undefined {
  const raw = fields.get(name);
  if (raw === undefined) return undefined;
  const at = utcTime(raw);
  if (!at)
    throw problem(
      source,
      `holds a SAS whose ${what} "${name}" is not a UTC time such as 2026-12-31T23:59:59Z or 2026-12-31. ${copyAgain}, or generate a new one.`,
    );
  return at;
}

/** Azure's SAS times: a UTC date, or a date with a UTC time to the minute, the second or a fraction of it. */
const sasTimeForm = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?Z)?$/;

/** The time `raw` names, or undefined when it names none (a five-digit year, the 30th of February, hour 24). */
function utcTime(raw: string): Date | undefined {
  const match = sasTimeForm.exec(raw);
  if (!match) return undefined;
  const [, year, month, day, hour = "00", minute = "00", second = "00", fraction = ""] = match;
  const written = `${year}-${month}-${day}T${hour}:${minute}:${second}`;
  const at = new Date(`${written}.${fraction.padEnd(3, "0").slice(0, 3)}Z`);
  // Date rolls some days over into the next month: a time that does not read back is not one.
  return !Number.isNaN(at.getTime()) && at.toISOString().startsWith(written) ? at : undefined;
}
