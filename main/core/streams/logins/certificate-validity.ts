// What a client certificate (PEM) says, read with Node's own X509Certificate: whose it is, until
// when, and whether it is valid now. Apart from client-certificate.ts, which opens what a person
// gives (a PKCS#12 file through node-forge): an exporter's worker checks the certificate it shows
// here, and so never loads node-forge (10 MiB resident loaded alone into Node 24).
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { invalidInput } from "../../errors.js";

/** How early a certificate's coming expiry is said. */
export const expiryWarningDays = 30;

/** The setting that mends a client certificate's problem. */
export const chooseCertificate = { id: "set", setting: "client-certificate" } as const;

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
  if (error && throwIfInvalid) throw invalidInput(error, chooseCertificate);
  if (error) return { error };
  const daysLeft = Math.floor((until.getTime() - now.getTime()) / 86_400_000);
  if (daysLeft < expiryWarningDays)
    return {
      warning: `The client certificate (${subjectName(cert)}) expires on ${day(until)}, in ${daysLeft} day${daysLeft === 1 ? "" : "s"}. Get a renewed certificate from the cluster's provider before then.`,
    };
  return {};
}

const subjectName = (cert: X509Certificate) => /CN=([^\n,]+)/.exec(cert.subject)?.[1] ?? cert.subject.replace(/\n/g, ", ");

export function parseCertificate(pem: string): X509Certificate {
  if (!/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(pem))
    throw invalidInput(
      'The client certificate is not a PEM certificate: it must hold a "-----BEGIN CERTIFICATE-----" block. Choose the certificate file (for Aiven: service.cert), or a PKCS#12 file (.p12, .pfx) with its password.',
      chooseCertificate,
    );
  try {
    return new X509Certificate(pem);
  } catch (error) {
    throw invalidInput(`The client certificate cannot be read (${(error as Error).message}). Choose the certificate file again.`, chooseCertificate);
  }
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
