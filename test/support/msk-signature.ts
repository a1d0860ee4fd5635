// An MSK IAM token's SigV4 signature computed again with @smithy/signature-v4 and a given key:
// the proof that the token was signed with that key (and not another), without an MSK to ask.
import { createHash, createHmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import { decodeMskToken, type AwsCredentials } from "../../main/core/streams/logins/msk-iam-token.js";

type Data = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: Data): string | Uint8Array =>
  typeof data === "string" ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** Node's hashes in the shape @smithy/signature-v4 takes. */
class NodeSha256 {
  private readonly hash;
  constructor(secret?: Data) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: Data) {
    this.hash.update(bytes(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

export async function recomputedSignature(token: string, credentials: AwsCredentials): Promise<string> {
  const decoded = decodeMskToken(token);
  const hostname = decoded.url.hostname;
  const signer = new SignatureV4({ service: "kafka-cluster", region: decoded.region, credentials, sha256: NodeSha256, applyChecksum: false });
  const presigned = await signer.presign(
    { method: "GET", protocol: "https:", hostname, path: "/", headers: { host: hostname }, query: { Action: "kafka-cluster:Connect" } },
    { signingDate: decoded.date, expiresIn: decoded.expiresSeconds },
  );
  return String(presigned.query?.["X-Amz-Signature"]);
}
