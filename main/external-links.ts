// The only web pages the app opens in the user's browser: consoles of the storage it writes to
// (each store's provider builds its own page; this is the allow-list they must stay within).
const allowedHosts = new Set(["s3.console.aws.amazon.com", "console.aws.amazon.com", "console.cloud.google.com", "portal.azure.com"]);

export function isAllowedExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === "https:" && allowedHosts.has(url.hostname) && url.username === "" && url.password === "" && url.port === "";
}
