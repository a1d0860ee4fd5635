// A sink's endpoint (an S3-compatible store, an emulator): a plain http(s) URL without credentials.
import { invalidInput } from "../errors.js";

export function checkEndpoint(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidInput(`Invalid endpoint ${JSON.stringify(raw)}: give a full URL such as https://s3.example.com or http://127.0.0.1:9000.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw invalidInput(`Invalid endpoint ${JSON.stringify(raw)}: it must start with http:// or https://.`);
  if (url.username || url.password) throw invalidInput("Invalid endpoint: do not put credentials in the endpoint URL; use a credentials file.");
  return raw.replace(/\/+$/, "");
}
