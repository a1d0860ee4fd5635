// What a bucket the setup creates is given beside its privacy: a lifecycle rule that aborts
// incomplete multipart uploads, which the least-privilege key cannot abort itself after a crash.
// Apart from bucket.ts, which applies it, so that the setup document can say it without the S3 SDK.

export const abortMultipartAfterDays = 3;

export function lifecycleConfiguration() {
  return {
    Rules: [
      {
        ID: "streamdrop-abort-incomplete-multipart-uploads",
        Status: "Enabled" as const,
        Filter: { Prefix: "" },
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: abortMultipartAfterDays },
      },
    ],
  };
}
