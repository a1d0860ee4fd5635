// The two forms of Azure credentials, as read from a file or a paste (credentials.ts decides which
// a text is; sas.ts and connection-string.ts read and check each).
export type AzureCredentials =
  | {
      store: "AZURE";
      kind: "azure-sas";
      /** The blob service URL (`https://<account>.blob.core.windows.net`, or an emulator's `…/<account>`); absent for a bare token. */
      endpoint?: string;
      accountName?: string;
      /** Absent for an account SAS, or a bare token: the sink's container is used. */
      container?: string;
      /** The query string without its `?`: the secret. */
      token: string;
      /** `sp`, absent when a stored access policy holds the permissions. */
      permissions?: string;
      /** `se`, as an ISO time. */
      expiresOn?: string;
    }
  | { store: "AZURE"; kind: "azure-connection-string"; endpoint: string; accountName: string; accountKey: string };
