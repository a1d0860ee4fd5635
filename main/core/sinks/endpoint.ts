// A sink's endpoint (an S3-compatible store, an emulator): a plain http(s) URL without credentials.
import { invalidInput } from "../errors.js";

export function checkEndpoint(raw: string): string {
  // A query or fragment may hold a token (a SAS pasted whole): never echoed, never kept.
  const secretish = /[?#]/.test(raw);
  const shown = secretish ? "" : ` ${JSON.stringify(raw)}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidInput(`Invalid endpoint${shown}: give a full URL such as https://s3.example.com or http://127.0.0.1:9000.`);
  }
  if (secretish)
    throw invalidInput("Invalid endpoint: it has a query or fragment (after ? or #). Give the address alone; a SAS or token belongs in the credentials.");
  if (url.protocol !== "http:" && url.protocol !== "https:") throw invalidInput(`Invalid endpoint${shown}: it must start with http:// or https://.`);
  if (url.username || url.password) throw invalidInput("Invalid endpoint: do not put credentials in the endpoint URL; use a credentials file.");
  return raw.replace(/\/+$/, "");
}
