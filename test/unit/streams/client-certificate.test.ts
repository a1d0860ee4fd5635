// A client certificate is opened once, when given: its key must be the certificate's, an encrypted
// key or PKCS#12 file needs its password (which is then not needed again), and a certificate that
// is not valid today is refused before any connection; one near its end is warned of.
import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import forge from "node-forge";
import { beforeAll, describe, expect, it } from "vitest";
import { certificateProblem } from "../../../main/core/streams/logins/certificate-validity.js";
import { openClientCertificate } from "../../../main/core/streams/logins/client-certificate.js";
import { tlsProblem } from "../../../main/core/streams/tls-problems.js";

const day = 86_400_000;

function issue(from: Date, to: Date, keys = forge.pki.rsa.generateKeyPair(1024)) {
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = "01";
  cert.validity.notBefore = from;
  cert.validity.notAfter = to;
  const name = [{ name: "commonName", value: "exporter" }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: forge.pki.privateKeyToPem(keys.privateKey), forgeCert: cert, keys };
}

let good: ReturnType<typeof issue>;
let other: ReturnType<typeof issue>;
beforeAll(() => {
  good = issue(new Date(Date.now() - day), new Date(Date.now() + 365 * day));
  other = issue(new Date(Date.now() - day), new Date(Date.now() + 365 * day));
});

describe("openClientCertificate", () => {
  it("keeps the certificate and an unencrypted key that belongs to it", () => {
    const opened = openClientCertificate({ format: "pem", cert: good.cert, key: good.key });
    expect(opened.cert).toBe(good.cert);
    expect(opened.key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(new X509Certificate(opened.cert).subject).toBe("CN=exporter");
  });

  it("refuses a key of another certificate, and text that is no certificate", () => {
    expect(() => openClientCertificate({ format: "pem", cert: good.cert, key: other.key })).toThrow("The client key is not the key of the client certificate");
    expect(() => openClientCertificate({ format: "pem", cert: "hello", key: good.key })).toThrow("The client certificate is not a PEM certificate");
    expect(() => openClientCertificate({ format: "pem", cert: good.cert, key: "hello" })).toThrow("The client key is not a PEM private key");
  });

  it("opens an encrypted key with its password, and names a wrong or missing one", { timeout: 60_000 }, () => {
    const encrypted = forge.pki.encryptRsaPrivateKey(good.keys.privateKey, "pass-word", { algorithm: "aes256" });
    expect(openClientCertificate({ format: "pem", cert: good.cert, key: encrypted, passphrase: "pass-word" }).key).not.toContain("ENCRYPTED");
    expect(() => openClientCertificate({ format: "pem", cert: good.cert, key: encrypted })).toThrow("The client key is encrypted. Give its password too.");
    expect(() => openClientCertificate({ format: "pem", cert: good.cert, key: encrypted, passphrase: "wrong" })).toThrow("The client key's password is wrong");
    // Some wrong passwords pass the padding check and fail later, in the decoder: they are wrong passwords too.
    for (let i = 0; i < 300; i++)
      expect(() => openClientCertificate({ format: "pem", cert: good.cert, key: encrypted, passphrase: `wrong-${i}` })).toThrow(
        "The client key's password is wrong",
      );
  });

  it("opens a PKCS#12 file with its password, and names a wrong one or a file that is none", () => {
    const p12 = forge.pkcs12.toPkcs12Asn1(good.keys.privateKey, [good.forgeCert], "p12-pass", { algorithm: "aes256" });
    const bytes = Buffer.from(forge.asn1.toDer(p12).getBytes(), "binary");
    const opened = openClientCertificate({ format: "pkcs12", p12: bytes, passphrase: "p12-pass" });
    expect(new X509Certificate(opened.cert).subject).toBe("CN=exporter");
    expect(() => openClientCertificate({ format: "pkcs12", p12: bytes, passphrase: "wrong" })).toThrow("The PKCS#12 file's password is wrong");
    expect(() => openClientCertificate({ format: "pkcs12", p12: Buffer.from("not a p12"), passphrase: "x" })).toThrow("is not a PKCS#12 file");
  });

  it("says plainly that an elliptic-curve PKCS#12 file cannot be opened, while its PEM files can", () => {
    // Made by OpenSSL, as a provider's would be (node-forge, which opens PKCS#12 files, reads RSA only).
    const dir = mkdtempSync(join(tmpdir(), "streamdrop-ec-"));
    const file = (name: string) => join(dir, name);
    execFileSync("openssl", ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", file("key.pem")]);
    execFileSync("openssl", ["req", "-new", "-x509", "-key", file("key.pem"), "-out", file("cert.pem"), "-subj", "/CN=ec-client", "-days", "60"]);
    execFileSync("openssl", ["pkcs12", "-export", "-inkey", file("key.pem"), "-in", file("cert.pem"), "-out", file("ec.p12"), "-passout", "pass:pw"]);
    expect(() => openClientCertificate({ format: "pkcs12", p12: readFileSync(file("ec.p12")), passphrase: "pw" })).toThrow(
      "The PKCS#12 file holds an elliptic-curve certificate, which Streamdrop cannot open from a PKCS#12 file. Export the certificate and its key as PEM files",
    );
    const opened = openClientCertificate({ format: "pem", cert: readFileSync(file("cert.pem"), "utf8"), key: readFileSync(file("key.pem"), "utf8") });
    expect(new X509Certificate(opened.cert).subject).toBe("CN=ec-client");
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a certificate that has expired or is not valid yet, before connecting", () => {
    const expired = issue(new Date(Date.now() - 400 * day), new Date(Date.now() - 30 * day));
    expect(() => openClientCertificate({ format: "pem", cert: expired.cert, key: expired.key })).toThrow(
      /^The client certificate \(exporter\) expired on \d{4}-\d{2}-\d{2}\./,
    );
    const future = issue(new Date(Date.now() + 10 * day), new Date(Date.now() + 400 * day));
    expect(() => openClientCertificate({ format: "pem", cert: future.cert, key: future.key })).toThrow(/is valid only from/);
  });
});

describe("certificateProblem", () => {
  it("warns within 30 days of the end, and not before", () => {
    const soon = issue(new Date(Date.now() - day), new Date(Date.now() + 12 * day + 3_600_000));
    expect(certificateProblem(soon.cert).warning).toMatch(/expires on \d{4}-\d{2}-\d{2}, in 12 days\. Get a renewed certificate/);
    expect(certificateProblem(good.cert)).toEqual({});
  });
});

describe("a refused client certificate", () => {
  const alert = (code: string) => Object.assign(new Error("alert"), { code });
  const peer = { peer: "Kafka at b1:9094", of: "the cluster" };

  it("is told apart from an untrusted server, in OpenSSL's and BoringSSL's spelling", () => {
    for (const code of ["ERR_SSL_SSL/TLS_ALERT_BAD_CERTIFICATE", "ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN", "ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED"])
      expect(tlsProblem(alert(code), { ...peer, clientCertificate: good.cert })).toMatchObject({
        kind: "client-refused",
        fixes: [{ id: "set", setting: "client-certificate" }],
      });
  });

  it("says no certificate, an expired one, or an untrusted issuer", () => {
    const code = "ERR_SSL_SSL/TLS_ALERT_CERTIFICATE_UNKNOWN";
    expect(tlsProblem(alert(code), peer)!.message).toContain("asks for a client certificate, and the stream has none");
    const expired = issue(new Date(Date.now() - 400 * day), new Date(Date.now() - 30 * day));
    expect(tlsProblem(alert(code), { ...peer, clientCertificate: expired.cert })!.message).toMatch(
      /refused the client certificate\. The client certificate \(exporter\) expired on/,
    );
    expect(tlsProblem(alert(code), { ...peer, clientCertificate: good.cert })!.message).toContain("does not trust the authority that issued it");
  });
});
