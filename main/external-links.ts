// The only web pages the app opens in the user's browser: consoles of the storage it writes to.
const allowedHosts = new Set(["s3.console.aws.amazon.com", "console.aws.amazon.com", "console.cloud.google.com"]);

export function isAllowedExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === "https:" && allowedHosts.has(url.hostname) && url.username === "" && url.password === "" && url.port === "";
}

export function bucketConsoleUrl(bucket: string, region: string | undefined, prefix: string | undefined): string {
  const query = new URLSearchParams({ region: region ?? "us-east-1", ...(prefix ? { prefix: `${prefix}/` } : {}) });
  return `https://s3.console.aws.amazon.com/s3/buckets/${encodeURIComponent(bucket)}?${query}`;
}

export function gcsBucketConsoleUrl(bucket: string, prefix: string | undefined): string {
  return `https://console.cloud.google.com/storage/browser/${encodeURIComponent(bucket)}${prefix ? `/${prefix.split("/").map(encodeURIComponent).join("/")}` : ""}`;
}
