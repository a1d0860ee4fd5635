// Every S3 bucket naming rule, each with a name that breaks it and the words that name the rule.
export const brokenBucketNames: Array<[name: string, rule: string]> = [
  ["ab", "must be 3 to 63 characters long (it has 2)"],
  ["a".repeat(64), "must be 3 to 63 characters long (it has 64)"],
  ["My-Bucket", 'may contain only lowercase letters, digits, dots and hyphens (found "M")'],
  ["my_bucket", 'may contain only lowercase letters, digits, dots and hyphens (found "_")'],
  ["-bucket", "must start with a lowercase letter or a digit"],
  ["bucket-", "must end with a lowercase letter or a digit"],
  ["my..bucket", "must not contain two adjacent dots"],
  ["192.168.5.4", "must not be formatted as an IP address"],
  ["xn--bucket", 'must not start with the reserved prefix "xn--"'],
  ["sthree-bucket", 'must not start with the reserved prefix "sthree-"'],
  ["bucket-s3alias", 'must not end with the reserved suffix "-s3alias"'],
  ["bucket--ol-s3", 'must not end with the reserved suffix "--ol-s3"'],
  ["bucket.mrap", 'must not end with the reserved suffix ".mrap"'],
  ["bucket--x-s3", 'must not end with the reserved suffix "--x-s3"'],
];
