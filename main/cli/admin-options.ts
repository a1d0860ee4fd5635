// Admin credentials for the AWS work the CLI does once (setting up, rotating a key, updating a
// policy): the AWS default credential chain, a profile of it, or a create-access-key file. Used
// for that one command, never stored.
import type { Command } from "commander";
import type { AdminCredentials } from "../core/stores/s3/aws/admin.js";
import { readAccessKeyFile } from "../core/stores/s3/aws/access-key-file.js";

export interface AdminOptions {
  profile?: string;
  adminCredentialsFile?: string;
}

export const withAdminOptions = (command: Command): Command =>
  command
    .option("--profile <name>", "admin credentials from this AWS profile (default: the AWS default credential chain)")
    .option("--admin-credentials-file <file>", "admin credentials from a create-access-key JSON file (used once, never stored)");

export async function adminCredentialsOf(options: AdminOptions): Promise<AdminCredentials> {
  if (options.adminCredentialsFile) return { from: "key", accessKey: await readAccessKeyFile(options.adminCredentialsFile) };
  return { from: "chain", ...(options.profile ? { profile: options.profile } : {}) };
}
