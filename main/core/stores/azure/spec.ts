// What an Azure worker is given to write with, and the secret the keychain keeps.
export type AzureSecret = { kind: "sas"; token: string } | { kind: "account-key"; accountKey: string };

export interface AzureStorageSpec {
  type: "AZURE";
  bucket: string;
  prefix?: string;
  endpoint: string;
  accountName: string;
  secret: AzureSecret;
}
