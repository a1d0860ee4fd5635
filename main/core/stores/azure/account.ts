// Storage account names, and the hosts and endpoints that carry them. Azure's rule for a name is
// 3 to 24 lowercase letters and digits. A name outside it is not merely refused by Azure later: it
// changes where requests go (a "/" ends the host, so AccountName=ac/ct would send them to "ac").

export const accountNameRule = "3 to 24 lowercase letters and digits";

export const isAccountName = (name: string) => /^[a-z0-9]{3,24}$/.test(name);

/** Azure's own hosts name the account: `<account>.blob.<suffix>`, or `<account>.privatelink.blob.<suffix>`. */
export const namesAccount = (hostname: string) => /^[a-z0-9]{3,24}\.(privatelink\.)?blob\./i.test(hostname);

/**
 * Where a blob service URL names its account: the host's first label on Azure's hosts, else the
 * path's first segment (an emulator's `http://127.0.0.1:10000/devstoreaccount1`); undefined when
 * neither does. Throws URIError on a segment that is not validly escaped.
 */
export function accountInUrl(url: URL): { accountName: string | undefined; hostStyle: boolean; rest: string[] } {
  const segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  if (namesAccount(url.hostname)) return { accountName: url.hostname.split(".")[0]!.toLowerCase(), hostStyle: true, rest: segments };
  return { accountName: segments[0], hostStyle: false, rest: segments.slice(1) };
}

/**
 * A host name suffix such as core.windows.net: DNS labels joined by single dots, the last one
 * starting with a letter (so not an IP address), and nothing else: no port, path, query, "@".
 */
export const isHostSuffix = (suffix: string) =>
  suffix.length <= 200 && /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(suffix);
