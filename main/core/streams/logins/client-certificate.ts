// A client certificate for mutual TLS, as Aiven and MSK hand it out: a PEM certificate with its key
// (perhaps encrypted), or one PKCS#12 file with a password. Either is opened once, when given, into
// the certificate (PEM, kept beside the stream's CA file) and its key (PEM, unencrypted, kept in the
// keychain): a password is then no longer needed and never stored. Everything a broker could only
// refuse without saying why is checked here first: a key that is not the certificate's, a wrong
// password, an expired certificate (Java brokers refuse expired and untrusted ones alike, as
// "certificate_unknown").
import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import forge from "node-forge";
import { invalidInput } from "../../errors.js";
import type { ClientCertificate } from "./kafka-login.js";

/** How early a certificate's coming expiry is said. */
export const expiryWarningDays = 30;

const choose = { id: "set", setting: "client-certificate" } as const;

export type ClientCertificateInput = { format: "pem"; cert: string; key: string; passphrase?: string } | { format: "pkcs12"; p12: Buffer; passphrase: string };

/** The certificate and its unencrypted key, checked to belong together and to be valid now. */
export function openClientCertificate(input: ClientCertificateInput, now = new Date()): ClientCertificate {
  const opened = input.format === "pkcs12" ? fromPkcs12(input.p12, input.passphrase) : { cert: input.cert, key: openKey(input.key, input.passphrase) };
  const certificate = parseCertificate(opened.cert);
  if (!certificate.checkPrivateKey(opened.key))
    throw invalidInput(
      "The client key is not the key of the client certificate. Choose the key file that came with the certificate (for Aiven: service.key beside service.cert).",
      choose,
    );
  certificateProblem(certificate, now, true);
  return { cert: opened.cert, key: opened.key.export({ type: "pkcs8", format: "pem" }) as string };
}

/** The certificate's subject and expiry, for the window and the CLI. */
export function describeClientCertificate(cert: string): { subject: string; issuer: string; expiresAt: string } {
  const certificate = parseCertificate(cert);
  return {
    subject: certificate.subject.replace(/\n/g, ", "),
    issuer: certificate.issuer.replace(/\n/g, ", "),
    expiresAt: certificate.validToDate.toISOString(),
  };
}

/**
 * What a stream's certificate says before connecting: an error when it is not valid now (expired,
 * not yet valid), a warning when it expires within 30 days, nothing otherwise.
 */
export function certificateProblem(certificate: X509Certificate | string, now = new Date(), throwIfInvalid = false): { warning?: string; error?: string } {
  const cert = typeof certificate === "string" ? parseCertificate(certificate) : certificate;
  const day = (date: Date) => date.toISOString().slice(0, 10);
  const until = cert.validToDate;
  let error: string | undefined;
  if (until.getTime() <= now.getTime())
    error = `The client certificate (${subjectName(cert)}) expired on ${day(until)}. Get a renewed certificate from the cluster's provider and give it to the stream.`;
  else if (cert.validFromDate.getTime() > now.getTime())
    error = `The client certificate (${subjectName(cert)}) is valid only from ${day(cert.validFromDate)}. Check this computer's clock, or use a certificate valid today.`;
  if (error && throwIfInvalid) throw invalidInput(error, choose);
  if (error) return { error };
  const daysLeft = Math.floor((until.getTime() - now.getTime()) / 86_400_000);
  if (daysLeft < expiryWarningDays)
    return {
      warning: `The client certificate (${subjectName(cert)}) expires on ${day(until)}, in ${daysLeft} day${daysLeft === 1 ? "" : "s"}. Get a renewed certificate from the cluster's provider before then.`,
    };
  return {};
}

const subjectName = (cert: X509Certificate) => /CN=([^\n,]+)/.exec(cert.subject)?.[1] ?? cert.subject.replace(/\n/g, ", ");

function parseCertificate(pem: string): X509Certificate {
  if (!/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(pem))
    throw invalidInput(
      'The client certificate is not a PEM certificate: it must hold a "-----BEGIN CERTIFICATE-----" block. Choose the certificate file (for Aiven: service.cert), or a PKCS#12 file (.p12, .pfx) with its password.',
      choose,
    );
  try {
    return new X509Certificate(pem);
  } catch (error) {
    throw invalidInput(`The client certificate cannot be read (${(error as Error).message}). Choose the certificate file again.`, choose);
  }
}

function openKey(pem: string, passphrase: string | undefined): KeyObject {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem))
    throw invalidInput(
      'The client key is not a PEM private key: it must hold a "-----BEGIN PRIVATE KEY-----" block (or an RSA, EC or encrypted one). Choose the key file that came with the certificate.',
      choose,
    );
  const encrypted = /ENCRYPTED/.test(pem);
  if (encrypted && !passphrase) throw invalidInput("The client key is encrypted. Give its password too.", choose);
  try {
    return createPrivateKey({ key: pem, ...(encrypted ? { passphrase: passphrase! } : {}) });
  } catch (error) {
    // A wrong password usually fails the padding check (BAD_DECRYPT), but about one in 256 passes it and the
    // garbage then fails to decode instead: for an encrypted key, every failure to open it is the password's.
    if (encrypted) throw invalidInput("The client key's password is wrong: the key cannot be opened with it. Give the password it was encrypted with.", choose);
    throw invalidInput(`The client key cannot be read (${(error as Error).message}). Choose the key file again.`, choose);
  }
}

/** A PKCS#12 file's first certificate and the key that goes with it. */
function fromPkcs12(p12: Buffer, passphrase: string): { cert: string; key: KeyObject } {
  let bundle: forge.pkcs12.Pkcs12Pfx;
  try {
    bundle = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(p12.toString("binary"))), passphrase);
  } catch (error) {
    const message = (error as Error).message;
    if (/MAC could not be verified|Invalid password|decrypt/i.test(message))
      throw invalidInput("The PKCS#12 file's password is wrong: the file cannot be opened with it. Give the password it was exported with.", choose);
    throw invalidInput(
      `The file is not a PKCS#12 file Streamdrop can open (${message}). Choose a .p12 or .pfx file, or the certificate and key as PEM files.`,
      choose,
    );
  }
  const certBags = bundle.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [];
  // node-forge reads RSA only: an elliptic-curve certificate's bag is there, but holds no certificate it could read.
  if (certBags.length > 0 && certBags.every((bag) => !bag.cert))
    throw invalidInput(
      "The PKCS#12 file holds an elliptic-curve certificate, which Streamdrop cannot open from a PKCS#12 file. Export the certificate and its key as PEM files, and give those.",
      choose,
    );
  const certs = certBags.flatMap((bag) => (bag.cert ? [bag.cert] : []));
  const keys = [
    ...(bundle.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? []),
    ...(bundle.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? []),
  ].flatMap((bag) => (bag.key ? [bag.key] : []));
  if (certs.length === 0 || keys.length === 0)
    throw invalidInput(
      `The PKCS#12 file holds no ${certs.length === 0 ? "certificate" : "private key"}. Export it again with the certificate and its key.`,
      choose,
    );
  const key = createPrivateKey(forge.pki.privateKeyToPem(keys[0]!));
  // The certificate of that key first (a bundle may carry its CA chain too), then the rest as its chain.
  const pems = certs.map((cert) => forge.pki.certificateToPem(cert));
  const own = pems.findIndex((pem) => new X509Certificate(pem).checkPrivateKey(key));
  const ordered = own <= 0 ? pems : [pems[own]!, ...pems.filter((_, index) => index !== own)];
  return { cert: ordered.join(""), key };
}

/** A stream's client certificate as the window and the CLI show it: whose, until when, and a warning near expiry. */
export interface CertificateView {
  certFile: string;
  subject?: string;
  issuer?: string;
  expiresAt?: string;
  /** Expires within 30 days, or expired. */
  warning?: string;
  /** The file cannot be read (moved, deleted). */
  problem?: string;
}

export function certificateFileView(certFile: string, now = new Date()): CertificateView {
  let pem: string;
  try {
    pem = readFileSync(certFile, "utf8");
  } catch {
    return { certFile, problem: "The client certificate's file cannot be read: give the stream its client certificate again." };
  }
  try {
    const { warning, error } = certificateProblem(pem, now);
    return { certFile, ...describeClientCertificate(pem), ...(error ? { warning: error } : warning ? { warning } : {}) };
  } catch (error) {
    return { certFile, problem: (error as Error).message };
  }
}
