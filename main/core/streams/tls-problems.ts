// A TLS connection's certificate failures, in Streamdrop's own words. Node words them its own
// way, and from Node 24 on adds advice for Node itself ("try running Node.js with
// --use-system-ca"), which no front end may show: the person fixes the stream (its CA file, or
// the system's authorities), not how a program is run. Recognized by the code Node gives (kept
// through kafkajs's wrapping errors), never by the wording.
import type { Fix } from "../../../common/fixes.js";
import { certificateProblem } from "./logins/certificate-validity.js";

/** Certificate codes whose cause is a CA the client does not trust: the stream needs the cluster's CA. */
const untrusted = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
]);

/**
 * The alerts a server sends when it refuses the client's certificate (or gets none): OpenSSL spells
 * them ERR_SSL_SSL/TLS_ALERT_…, BoringSSL (Electron) ERR_SSL_SSLV3_ALERT_… or ERR_SSL_TLSV13_ALERT_….
 * A Java broker sends certificate_unknown for an expired certificate and an untrusted one alike.
 */
const clientRefused = /ALERT_(BAD_CERTIFICATE|CERTIFICATE_(UNKNOWN|REQUIRED|EXPIRED|REVOKED)|UNKNOWN_CA)$/;

export type TlsProblemKind = "untrusted" | "expired" | "wrong-host" | "not-tls" | "client-refused";

export interface TlsProblem {
  kind: TlsProblemKind;
  /** What is wrong and what to do, naming no option of any program. */
  message: string;
  /** The setting that mends it, when one does (the CA file, the client certificate). */
  fixes: Fix[];
}

interface Link {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  originalError?: unknown;
}

/** The codes along an error's chain (kafkajs wraps: NumberOfRetriesExceeded -> ConnectionError {code}). */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  const seen = new Set<unknown>();
  let link = error as Link | undefined;
  while (link && typeof link === "object" && !seen.has(link) && seen.size < 10) {
    seen.add(link);
    if (typeof link.code === "string") codes.push(link.code);
    link = (link.cause ?? link.originalError) as Link | undefined;
  }
  return codes;
}

/** Who was on the other end, for the words: "Kafka at b1:9093" and "the cluster", or a registry's. */
export interface TlsPeer {
  /** Starts the sentence: `Kafka at b1:9093`, `The Schema Registry at https://…`. */
  peer: string;
  /** Whose CA file to choose: `the cluster`, `the registry`. */
  of: string;
  /** The CA certificate file the connection used, if its own (else the system's authorities). */
  caFile?: string | undefined;
  /** The client certificate (PEM) the connection showed, if any: a refusal of it is checked for expiry here. */
  clientCertificate?: string | undefined;
}

/** The certificate problem `error` is, explained for a connection to `to`; undefined when it is no such problem. */
export function tlsProblem(error: unknown, to: TlsPeer): TlsProblem | undefined {
  const codes = codesOf(error);
  const { peer, of } = to;
  const trust = to.caFile
    ? `the CA certificate the stream uses for ${of} (${to.caFile})`
    : `the system's trusted authorities (the stream has no CA certificate of its own for ${of})`;
  if (codes.some((code) => untrusted.has(code)))
    return {
      kind: "untrusted",
      message: `${peer} presented a certificate that ${trust} cannot verify. Choose ${of}'s CA certificate file for the stream (often ca.pem or ca.crt, from ${of}'s provider).`,
      fixes: [{ id: "set", setting: "ca-file" }],
    };
  if (codes.some((code) => clientRefused.test(code)))
    return { kind: "client-refused", message: clientRefusal(to), fixes: [{ id: "set", setting: "client-certificate" }] };
  if (codes.includes("CERT_HAS_EXPIRED"))
    return {
      kind: "expired",
      message: `${peer} presented a certificate that has expired. Its operator must renew it; nothing on this side can make an expired certificate valid.`,
      fixes: [],
    };
  if (codes.includes("ERR_TLS_CERT_ALTNAME_INVALID"))
    return {
      kind: "wrong-host",
      message: `${peer} presented a certificate for another host name. Use the name ${of}'s certificate lists (not an IP address or an alias).`,
      fixes: [],
    };
  if (codes.includes("ERR_SSL_WRONG_VERSION_NUMBER") || codes.includes("ERR_SSL_PACKET_LENGTH_TOO_LONG"))
    return {
      kind: "not-tls",
      message: `${peer} does not speak TLS there. Use ${of}'s TLS address, or a plain connection.`,
      fixes: [],
    };
  return undefined;
}

/** Why the server refused the client's certificate, as far as this side can tell (the server does not say). */
function clientRefusal({ peer, of, clientCertificate }: TlsPeer): string {
  if (!clientCertificate)
    return `${peer} asks for a client certificate, and the stream has none. Give the stream the client certificate and key ${of}'s provider gave you (for Aiven: service.cert and service.key).`;
  const { error } = certificateProblem(clientCertificate);
  if (error) return `${peer} refused the client certificate. ${error}`;
  return `${peer} refused the client certificate: ${of} does not trust the authority that issued it, or revoked it. Use a certificate ${of}'s provider issued for it.`;
}
