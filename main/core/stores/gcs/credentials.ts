// The credentials a Cloud Storage sink writes with: a JSON service-account key. Google's other
// credential files, and P12 keys (recognised by their structure), are named and refused, each
// with what to do instead.
import { createPrivateKey } from "node:crypto";
import { z } from "zod";
import { credentialsProblem as problem, describeIssues, type CredentialsReader } from "../credentials.js";
import { looksLikePkcs12 } from "./pkcs12.js";

/** The parts of a Google service-account key the storage client needs. */
export interface ServiceAccountKey {
  projectId: string;
  clientEmail: string;
  privateKey: string;
  privateKeyId?: string;
}

export type GcsCredentials = { store: "GCLOUD"; kind: "gcs-service-account" } & ServiceAccountKey;

const serviceAccountFile = z.object({
  type: z.literal("service_account"),
  project_id: z.string().trim().min(1),
  client_email: z.string().trim().min(1),
  private_key: z.string().includes("PRIVATE KEY-----"),
  private_key_id: z.string().optional(),
});

/** Google credential types that are not a service-account key, and what to do instead. */
const otherGoogleCredentials: Record<string, string> = {
  authorized_user: "holds Google user credentials (from `gcloud auth application-default login`), not a service-account key",
  external_account: "holds a Google workload identity federation configuration (external account), not a service-account key",
  external_account_authorized_user: "holds Google workforce identity federation user credentials, not a service-account key",
  impersonated_service_account: "holds Google impersonated service-account credentials, not a service-account key",
  gdch_service_account: "holds a Google Distributed Cloud Hosted service-account key, which Cloud Storage does not accept",
};
const keysCreate = "in the Google Cloud console: IAM, Service accounts, Keys, Add key, JSON";
const createServiceAccountKey = `Create a JSON key for the service account that writes to the bucket: ${keysCreate}.`;

export const gcsCredentialsReader: CredentialsReader<GcsCredentials> = {
  expected: "a JSON service-account key (Google Cloud Storage)",
  shapes: ['"type": "service_account" (a Google Cloud service-account key)'],
  fromBytes(bytes, source) {
    if (!looksLikePkcs12(bytes)) return undefined;
    throw problem(
      source,
      `is a PKCS#12 (P12) key, which Streamdrop does not support. For Google Cloud Storage create a JSON key for the service account instead (${keysCreate}); for S3 use the JSON printed by \`aws iam create-access-key\`.`,
    );
  },
  fromJson(record, source) {
    if (record.type === "service_account") return serviceAccount(record, source);
    if (typeof record.type === "string" && record.type in otherGoogleCredentials) {
      throw problem(
        source,
        `${otherGoogleCredentials[record.type]}. Streamdrop writes to Google Cloud Storage with a service-account key. ${createServiceAccountKey}`,
      );
    }
    return undefined;
  },
};

function serviceAccount(record: Record<string, unknown>, source: string): GcsCredentials {
  const parsed = serviceAccountFile.safeParse(record);
  if (!parsed.success)
    throw problem(source, `is not a complete Google Cloud service-account key: ${describeIssues(parsed.error, record)}. ${createServiceAccountKey}`);
  const key = parsed.data;
  // A key that does not parse would only fail later, inside the first upload, in OpenSSL's words.
  try {
    createPrivateKey(key.private_key);
  } catch {
    throw problem(
      source,
      `has a "private_key" that is malformed (not a readable PEM private key: cut short, edited, or with its line breaks lost). Download the key again. ${createServiceAccountKey}`,
    );
  }
  return {
    store: "GCLOUD",
    kind: "gcs-service-account",
    projectId: key.project_id,
    clientEmail: key.client_email,
    privateKey: key.private_key,
    ...(key.private_key_id ? { privateKeyId: key.private_key_id } : {}),
  };
}
