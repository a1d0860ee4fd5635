// Amazon S3's and Google Cloud Storage's bucket naming rules, each with a message that names the
// rule a name breaks. Shared: the wizard checks names as they are typed, the core before it acts.
const reservedPrefixes = ["xn--", "sthree-", "amzn-s3-demo-"];
const reservedSuffixes = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/** The first rule the name breaks, or undefined when it is a valid bucket name. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `must be 3 to 63 characters long (it has ${name.length})`;
  const bad = [...name].find((char) => !/[a-z0-9.-]/.test(char));
  if (bad !== undefined) return `may contain only lowercase letters, digits, dots and hyphens (found ${JSON.stringify(bad)})`;
  if (!/^[a-z0-9]/.test(name)) return "must start with a lowercase letter or a digit";
  if (!/[a-z0-9]$/.test(name)) return "must end with a lowercase letter or a digit";
  if (name.includes("..")) return "must not contain two adjacent dots";
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return "must not be formatted as an IP address";
  const prefix = reservedPrefixes.find((reserved) => name.startsWith(reserved));
  if (prefix) return `must not start with the reserved prefix "${prefix}"`;
  const suffix = reservedSuffixes.find((reserved) => name.endsWith(reserved));
  if (suffix) return `must not end with the reserved suffix "${suffix}"`;
  return undefined;
}

/** Cloud Storage: like S3's, plus underscores, up to 222 characters when dotted (63 per part). */
export function gcsBucketNameProblem(name: string): string | undefined {
  const dotted = name.includes(".");
  if (name.length < 3 || name.length > (dotted ? 222 : 63)) return `must be 3 to ${dotted ? 222 : 63} characters long (it has ${name.length})`;
  const bad = [...name].find((char) => !/[a-z0-9._-]/.test(char));
  if (bad !== undefined) return `may contain only lowercase letters, digits, dots, hyphens and underscores (found ${JSON.stringify(bad)})`;
  if (!/^[a-z0-9]/.test(name)) return "must start with a lowercase letter or a digit";
  if (!/[a-z0-9]$/.test(name)) return "must end with a lowercase letter or a digit";
  if (name.split(".").some((part) => part.length === 0 || part.length > 63)) return "must have dot-separated parts of 1 to 63 characters";
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return "must not be formatted as an IP address";
  if (name.startsWith("goog")) return 'must not start with "goog"';
  if (/google|g00gle/.test(name)) return 'must not contain "google"';
  return undefined;
}

/** Azure Blob Storage containers: 3 to 63 lowercase letters, digits and single hyphens. */
export function azureContainerNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `must be 3 to 63 characters long (it has ${name.length})`;
  const bad = [...name].find((char) => !/[a-z0-9-]/.test(char));
  if (bad !== undefined) return `may contain only lowercase letters, digits and hyphens (found ${JSON.stringify(bad)})`;
  if (!/^[a-z0-9]/.test(name)) return "must start with a lowercase letter or a digit";
  if (!/[a-z0-9]$/.test(name)) return "must end with a lowercase letter or a digit";
  if (name.includes("--")) return "must not contain two hyphens in a row";
  return undefined;
}
