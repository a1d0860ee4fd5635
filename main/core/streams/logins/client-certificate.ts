// A client certificate for mutual TLS, as Aiven and MSK hand it out: a PEM certificate with its key
// (perhaps encrypted), or one PKCS#12 file with a password. Either is opened once, when given, into
// the certificate (PEM, kept beside the stream's CA file) and its key (PEM, unencrypted, kept in the
// keychain): a password is then no longer needed and never stored. Everything a broker could only
// refuse without saying why is checked here first: a key that is not the certificate's, a wrong
// password, an expired certificate (Java brokers refuse expired and untrusted ones alike, as
// "certificate_unknown"). node-forge, which reads PKCS#12 files, loads with the first one: the
// engine otherwise never needs it.
import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { createRequire } from "node:module";
import type forgeModule from "node-forge";
import { invalidInput } from "../../errors.js";
import { certificateProblem, chooseCertificate, parseCertificate } from "./certificate-validity.js";
import type { ClientCertificate } from "./kafka-login.js";

const load = createRequire(import.meta.url);
let forgeLoaded: typeof forgeModule | undefined;
const nodeForge = () => (forgeLoaded ??= load("node-forge") as typeof forgeModule);

export type ClientCertificateInput = { format: "pem"; cert: string; key: string; passphrase?: string } | { format: "pkcs12"; p12: Buffer; passphrase: string };

/** The certificate and its unencrypted key, checked to belong together and to be valid now. */
export function openClientCertificate(input: ClientCertificateInput, now = new Date()): ClientCertificate {
  const opened = input.format === "pkcs12" ? fromPkcs12(input.p12, input.passphrase) : { cert: input.cert, key: openKey(input.key, input.passphrase) };
  const certificate = parseCertificate(opened.cert);
  if (!certificate.checkPrivateKey(opened.key))
    throw invalidInput(
      "The client key is not the key of the client certificate. Choose the key file that came with the certificate (for Aiven: service.key beside service.cert).",
      chooseCertificate,
    );
  certificateProblem(certificate, now, true);
  return { cert: opened.cert, key: opened.key.export({ type: "pkcs8", format: "pem" }) as string };
}

function openKey(pem: string, passphrase: string | undefined): KeyObject {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem))
    throw invalidInput(
      'The client key is not a PEM private key: it must hold a "-----BEGIN PRIVATE KEY-----" block (or an RSA, EC or encrypted one). Choose the key file that came with the certificate.',
      chooseCertificate,
    );
  const encrypted = /ENCRYPTED/.test(pem);
  if (encrypted && !passphrase) throw invalidInput("The client key is encrypted. Give its password too.", chooseCertificate);
  try {
    return createPrivateKey({ key: pem, ...(encrypted ? { passphrase: passphrase! } : {}) });
  } catch (error) {
    // A wrong password usually fails the padding check (BAD_DECRYPT), but about one in 256 passes it and the
    // garbage then fails to decode instead: for an encrypted key, every failure to open it is the password's.
    if (encrypted)
      throw invalidInput("The client key's password is wrong: the key cannot be opened with it. Give the password it was encrypted with.", chooseCertificate);
    throw invalidInput(`The client key cannot be read (${(error as Error).message}). Choose the key file again.`, chooseCertificate);
  }
}

/** A PKCS#12 file's first certificate and the key that goes with it. */
function fromPkcs12(p12: Buffer, passphrase: string): { cert: string; key: KeyObject } {
  const forge = nodeForge();
  let bundle: forgeModule.pkcs12.Pkcs12Pfx;
  try {
    bundle = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(p12.toString("binary"))), passphrase);
  } catch (error) {
    const message = (error as Error).message;
    if (/MAC could not be verified|Invalid password|decrypt/i.test(message))
      throw invalidInput("The PKCS#12 file's password is wrong: the file cannot be opened with it. Give the password it was exported with.", chooseCertificate);
    throw invalidInput(
      `The file is not a PKCS#12 file Streamdrop can open (${message}). Choose a .p12 or .pfx file, or the certificate and key as PEM files.`,
      chooseCertificate,
    );
  }
  const certBags = bundle.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [];
  // node-forge reads RSA only: an elliptic-curve certificate's bag is there, but holds no certificate it could read.
  if (certBags.length > 0 && certBags.every((bag) => !bag.cert))
    throw invalidInput(
      "The PKCS#12 file holds an elliptic-curve certificate, which Streamdrop cannot open from a PKCS#12 file. Export the certificate and its key as PEM files, and give those.",
      chooseCertificate,
    );
  const certs = certBags.flatMap((bag) => (bag.cert ? [bag.cert] : []));
  const keys = [
    ...(bundle.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? []),
    ...(bundle.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? []),
  ].flatMap((bag) => (bag.key ? [bag.key] : []));
  if (certs.length === 0 || keys.length === 0)
    throw invalidInput(
      `The PKCS#12 file holds no ${certs.length === 0 ? "certificate" : "private key"}. Export it again with the certificate and its key.`,
      chooseCertificate,
    );
  const key = createPrivateKey(forge.pki.privateKeyToPem(keys[0]!));
  // The certificate of that key first (a bundle may carry its CA chain too), then the rest as its chain.
  const pems = certs.map((cert) => forge.pki.certificateToPem(cert));
  const own = pems.findIndex((pem) => new X509Certificate(pem).checkPrivateKey(key));
  const ordered = own <= 0 ? pems : [pems[own]!, ...pems.filter((_, index) => index !== own)];
  return { cert: ordered.join(""), key };
}
