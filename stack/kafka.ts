// Apache Kafka 4.3.1, one KRaft node (broker + controller), run from its Maven Central jars.
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { mavenClasspath } from "./build-tools.js";
import { logDir, repoRoot, stateDir } from "./paths.js";
import { StackError } from "./errors.js";
import { oidcIssuer, oidcJwksUrl, stackOidcAudience } from "./oidc.js";
import { host, httpAnswers, ports } from "./ports.js";
import { runTool, startServer, type Tool } from "./processes.js";
import type { Running } from "./state.js";

const java: Tool = { command: "java", install: "Install a Java 17+ runtime, e.g. `apt-get install -y openjdk-17-jre-headless`." };

const pom = join(repoRoot, "stack", "kafka", "pom.xml");
const log4jConfig = join(repoRoot, "stack", "kafka", "log4j2.properties");

/** The broker's classpath (cached per pom version; see build-tools.ts). */
export const kafkaClasspath = () => mavenClasspath(pom, "kafka", "Apache Kafka's jars");

export interface KafkaNode {
  port: number;
  controllerPort: number;
  /** A SASL_PLAINTEXT listener with PLAIN and SCRAM-SHA-256/512 for `stackScramUser`, when set. */
  saslPort?: number;
  /** A TLS listener whose certificate a CA made at format time signs (`<dataDir>/tls/ca.pem`), when set. */
  sslPort?: number;
  /** A TLS listener that requires a client certificate the same CA signs (`kafkaClientCerts`), when set. */
  mtlsPort?: number;
  /** A SASL_SSL listener with OAUTHBEARER, whose tokens Kafka's JWT validator checks against `oidc`, when set. */
  oauthPort?: number;
  /** The OpenID provider the OAuth listener trusts: its `iss` and key set (it must serve before the broker starts). */
  oidc?: { issuer: string; jwksUrl: string };
  dataDir: string;
  logFile: string;
}

/** The user of the stack's SASL listener (SCRAM users created at format time, PLAIN in its JAAS line); a local test account. */
export const stackScramUser = { username: "streamdrop", password: "local-stack-scram-password" } as const;

/** The stack's own broker; tests may run private ones with other ports and folders. */
export const stackKafka = (): KafkaNode => ({
  port: ports.kafka,
  controllerPort: ports.kafkaController,
  saslPort: ports.kafkaSasl,
  sslPort: ports.kafkaSsl,
  mtlsPort: ports.kafkaMtls,
  oauthPort: ports.kafkaOauth,
  oidc: { issuer: oidcIssuer(), jwksUrl: oidcJwksUrl() },
  dataDir: join(stateDir, "kafka-data"),
  logFile: join(logDir, "kafka.log"),
});

/** The CA that signs a node's TLS listener certificate: clients trust it with `--ca-file`. */
export const kafkaCaFile = (node: KafkaNode) => join(node.dataDir, "tls", "ca.pem");

const openssl: Tool = { command: "openssl", install: "Install OpenSSL, e.g. `apt-get install -y openssl`." };

/** Passphrases of `client-encrypted.key` and `client.p12` (test-only values). */
export const stackClientKeyPassphrase = "local-stack-key-passphrase";
export const stackClientP12Passphrase = "local-stack-p12-passphrase";

/** Client certificates for the mutual-TLS listener, made beside the CA (`<dataDir>/tls/`). */
export interface KafkaClientCerts {
  /** The CA that signs the broker's certificate and the good client certificates. */
  ca: string;
  /** CN=streamdrop-client, extendedKeyUsage=clientAuth, valid 10 years; `key` unencrypted. */
  cert: string;
  key: string;
  /** The same key, encrypted (PKCS#8, AES-256) with `stackClientKeyPassphrase`. */
  encryptedKey: string;
  /** `cert` and `key` as PKCS#12 (OpenSSL 3 defaults) with `stackClientP12Passphrase`. */
  p12: string;
  /** Signed by another CA, which the broker does not trust. */
  foreignCert: string;
  foreignKey: string;
  /** Signed by the stack CA, valid 2020-01-01 to 2020-02-01. */
  expiredCert: string;
  expiredKey: string;
  /** Signed by the stack CA, valid from its making for 10 days. */
  soonCert: string;
  soonKey: string;
}

export function kafkaClientCerts(node: KafkaNode): KafkaClientCerts {
  const file = (name: string) => join(node.dataDir, "tls", name);
  return {
    ca: file("ca.pem"),
    cert: file("client.pem"),
    key: file("client.key"),
    encryptedKey: file("client-encrypted.key"),
    p12: file("client.p12"),
    foreignCert: file("foreign-client.pem"),
    foreignKey: file("foreign-client.key"),
    expiredCert: file("expired-client.pem"),
    expiredKey: file("expired-client.key"),
    soonCert: file("soon-client.pem"),
    soonKey: file("soon-client.key"),
  };
}

const newKey = (key: string, csr: string, subject: string) =>
  runTool(openssl, ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", subject]);
const selfSignedCa = (key: string, cert: string, subject: string) =>
  runTool(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "3650", "-subj", subject]);
const signed = (csr: string, ca: { cert: string; key: string }, out: string, days: number, extfile: string) =>
  runTool(openssl, ["x509", "-req", "-in", csr, "-CA", ca.cert, "-CAkey", ca.key, "-CAcreateserial", "-out", out, "-days", String(days), "-extfile", extfile]);

/** A throwaway CA and a server certificate for 127.0.0.1, in the PEM keystore Kafka reads; made when missing. */
function makeTlsFiles(node: KafkaNode): string {
  const dir = join(node.dataDir, "tls");
  mkdirSync(dir, { recursive: true });
  const file = (name: string) => join(dir, name);
  const keystore = file("keystore.pem");
  if (existsSync(keystore) && existsSync(file("ca.pem")) && existsSync(file("ca.key"))) return keystore;
  selfSignedCa(file("ca.key"), file("ca.pem"), "/CN=Streamdrop local stack CA");
  newKey(file("server.key"), file("server.csr"), `/CN=${host}`);
  writeFileSync(file("san.ext"), `subjectAltName=IP:${host},DNS:localhost\n`);
  signed(file("server.csr"), { cert: file("ca.pem"), key: file("ca.key") }, file("server.pem"), 3650, file("san.ext"));
  writeFileSync(keystore, readFileSync(file("server.key"), "utf8") + readFileSync(file("server.pem"), "utf8"), { mode: 0o600 });
  // A new CA invalidates client certificates an older one signed.
  rmSync(file("clients.done"), { force: true });
  return keystore;
}

/** The client certificates of `kafkaClientCerts`, made once beside the CA (after `makeTlsFiles`). */
function makeClientCerts(node: KafkaNode): void {
  const certs = kafkaClientCerts(node);
  const dir = join(node.dataDir, "tls");
  const file = (name: string) => join(dir, name);
  const done = file("clients.done");
  if (existsSync(done)) return;
  const stackCa = { cert: certs.ca, key: file("ca.key") };
  const clientExt = file("client.ext");
  writeFileSync(clientExt, "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n");

  newKey(certs.key, file("client.csr"), "/CN=streamdrop-client");
  signed(file("client.csr"), stackCa, certs.cert, 3650, clientExt);
  runTool(openssl, ["pkey", "-in", certs.key, "-out", certs.encryptedKey, "-aes-256-cbc", "-passout", `pass:${stackClientKeyPassphrase}`]);
  runTool(openssl, [
    "pkcs12",
    "-export",
    "-in",
    certs.cert,
    "-inkey",
    certs.key,
    "-out",
    certs.p12,
    "-name",
    "streamdrop-client",
    "-passout",
    `pass:${stackClientP12Passphrase}`,
  ]);

  selfSignedCa(file("foreign-ca.key"), file("foreign-ca.pem"), "/CN=Some other CA");
  newKey(certs.foreignKey, file("foreign-client.csr"), "/CN=streamdrop-client");
  signed(file("foreign-client.csr"), { cert: file("foreign-ca.pem"), key: file("foreign-ca.key") }, certs.foreignCert, 3650, clientExt);

  newKey(certs.soonKey, file("soon-client.csr"), "/CN=streamdrop-client-soon");
  signed(file("soon-client.csr"), stackCa, certs.soonCert, 10, clientExt);

  // OpenSSL 3.0's `x509 -req` cannot set dates in the past; `openssl ca` can, from a throwaway database.
  newKey(certs.expiredKey, file("expired-client.csr"), "/CN=streamdrop-client-expired");
  const db = file("ca-db");
  rmSync(db, { recursive: true, force: true });
  mkdirSync(db);
  writeFileSync(join(db, "index.txt"), "");
  writeFileSync(join(db, "serial"), "1000\n");
  const caConfig = join(db, "ca.cnf");
  writeFileSync(
    caConfig,
    [
      "[ca]",
      "default_ca = stack_ca",
      "[stack_ca]",
      `database = ${join(db, "index.txt")}`,
      `serial = ${join(db, "serial")}`,
      `new_certs_dir = ${db}`,
      `certificate = ${stackCa.cert}`,
      `private_key = ${stackCa.key}`,
      "default_md = sha256",
      "policy = any_name",
      "unique_subject = no",
      "email_in_dn = no",
      "[any_name]",
      "commonName = supplied",
      "[client]",
      "basicConstraints = CA:FALSE",
      "keyUsage = digitalSignature, keyEncipherment",
      "extendedKeyUsage = clientAuth",
      "",
    ].join("\n"),
  );
  runTool(openssl, [
    "ca",
    "-batch",
    "-notext",
    "-config",
    caConfig,
    "-extensions",
    "client",
    "-startdate",
    "20200101000000Z",
    "-enddate",
    "20200201000000Z",
    "-in",
    file("expired-client.csr"),
    "-out",
    certs.expiredCert,
  ]);
  writeFileSync(done, `${new Date().toISOString()}\n`);
}

interface Listener {
  name: string;
  protocol: string;
  port: number;
}

function listeners({ saslPort, sslPort, mtlsPort, oauthPort }: KafkaNode): Listener[] {
  const optional: Array<[string, string, number | undefined]> = [
    ["SASL_PLAINTEXT", "SASL_PLAINTEXT", saslPort],
    ["SSL", "SSL", sslPort],
    ["MTLS", "SSL", mtlsPort],
    ["OAUTH", "SASL_SSL", oauthPort],
  ];
  return optional.filter((entry): entry is [string, string, number] => entry[2] !== undefined).map(([name, protocol, port]) => ({ name, protocol, port }));
}

const usesTls = (node: KafkaNode) => node.sslPort !== undefined || node.mtlsPort !== undefined || node.oauthPort !== undefined;

function serverProperties(node: KafkaNode, keystore?: string): string {
  const { port, controllerPort, saslPort, sslPort, mtlsPort, oauthPort, oidc, dataDir } = node;
  const extra = listeners(node);
  const addresses = extra.map((listener) => `${listener.name}://${host}:${listener.port}`);
  const needKeystore = () => {
    if (!keystore) throw new StackError("A TLS listener needs the keystore makeTlsFiles writes.");
    return keystore;
  };
  const keystoreLines = (listener: string) => [
    `listener.name.${listener}.ssl.keystore.type=PEM`,
    `listener.name.${listener}.ssl.keystore.location=${needKeystore()}`,
  ];
  const tls = sslPort === undefined ? [] : keystoreLines("ssl");
  const mtls =
    mtlsPort === undefined
      ? []
      : [
          "listener.name.mtls.ssl.client.auth=required",
          ...keystoreLines("mtls"),
          "listener.name.mtls.ssl.truststore.type=PEM",
          `listener.name.mtls.ssl.truststore.location=${kafkaCaFile(node)}`,
        ];
  const oauth = (() => {
    if (oauthPort === undefined) return [];
    if (!oidc) throw new StackError("Kafka's OAuth listener needs the OpenID provider it validates tokens against (KafkaNode.oidc).");
    const prefix = "listener.name.oauth.oauthbearer";
    return [
      ...keystoreLines("oauth"),
      "listener.name.oauth.sasl.enabled.mechanisms=OAUTHBEARER",
      `${prefix}.sasl.server.callback.handler.class=org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler`,
      `${prefix}.sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required ;`,
      `${prefix}.sasl.oauthbearer.jwks.endpoint.url=${oidc.jwksUrl}`,
      `${prefix}.sasl.oauthbearer.expected.audience=${stackOidcAudience}`,
      `${prefix}.sasl.oauthbearer.expected.issuer=${oidc.issuer}`,
    ];
  })();
  const { username, password } = stackScramUser;
  const saslLogins = [
    ...["scram-sha-256", "scram-sha-512"].map(
      (mechanism) => `listener.name.sasl_plaintext.${mechanism}.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;`,
    ),
    `listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_${username}="${password}";`,
  ];
  const protocolMap = [
    "CONTROLLER:PLAINTEXT",
    "PLAINTEXT:PLAINTEXT",
    "SASL_PLAINTEXT:SASL_PLAINTEXT",
    "SSL:SSL",
    ...extra.filter((l) => l.name !== l.protocol).map((l) => `${l.name}:${l.protocol}`),
  ];
  return [
    "process.roles=broker,controller",
    "node.id=1",
    `controller.quorum.voters=1@${host}:${controllerPort}`,
    `listeners=${[`PLAINTEXT://${host}:${port}`, `CONTROLLER://${host}:${controllerPort}`, ...addresses].join(",")}`,
    `advertised.listeners=${[`PLAINTEXT://${host}:${port}`, ...addresses].join(",")}`,
    "controller.listener.names=CONTROLLER",
    "inter.broker.listener.name=PLAINTEXT",
    `listener.security.protocol.map=${protocolMap.join(",")}`,
    ...tls,
    ...mtls,
    ...oauth,
    ...(saslPort === undefined ? [] : ["sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512", ...saslLogins]),
    `log.dirs=${join(dataDir, "logs")}`,
    "num.partitions=1",
    "offsets.topic.replication.factor=1",
    "offsets.topic.num.partitions=10",
    "transaction.state.log.replication.factor=1",
    "transaction.state.log.min.isr=1",
    "share.coordinator.state.topic.replication.factor=1",
    "share.coordinator.state.topic.min.isr=1",
    "group.initial.rebalance.delay.ms=0",
    "",
  ].join("\n");
}

/** Answers when the broker serves metadata to kafkajs, the client Streamdrop uses. */
export async function kafkaAnswers(port = ports.kafka): Promise<boolean> {
  const admin = new Kafka({
    brokers: [`${host}:${port}`],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Starts a broker on `node`, formatting its data folder first unless it holds a formatted log
 * already: a restart keeps the data (topics, committed offsets, SCRAM users). A new, empty
 * cluster is an explicit choice (`fresh: true`). server.properties is written on every start (TLS
 * files only when missing), so a restarted broker gains listeners added since it was formatted.
 * With an OAuth listener, the OpenID provider must already serve its key set. Resolves once
 * kafkajs can talk to it.
 */
export async function startKafka(node: KafkaNode = stackKafka(), { fresh = false } = {}): Promise<Running> {
  runTool(java, ["-version"]);
  const classpath = kafkaClasspath();
  const properties = join(node.dataDir, "server.properties");
  const format = fresh || !existsSync(join(node.dataDir, "logs", "meta.properties"));
  if (format) {
    rmSync(node.dataDir, { recursive: true, force: true });
    mkdirSync(node.dataDir, { recursive: true });
  }
  let keystore: string | undefined;
  if (usesTls(node)) {
    keystore = makeTlsFiles(node);
    if (node.mtlsPort !== undefined) makeClientCerts(node);
  }
  writeFileSync(properties, serverProperties(node, keystore));
  if (format) {
    const { username, password } = stackScramUser;
    const users =
      node.saslPort === undefined
        ? []
        : ["SCRAM-SHA-256", "SCRAM-SHA-512"].flatMap((mechanism) => ["--add-scram", `${mechanism}=[name=${username},password=${password}]`]);
    runTool(java, ["-cp", classpath, "kafka.tools.StorageTool", "format", "-t", randomUUID(), "-c", properties, ...users]);
  }
  const jvm = ["-Xms256m", "-Xmx768m", "-XX:+UseG1GC", `-Dlog4j2.configurationFile=${log4jConfig}`];
  if (node.oauthPort !== undefined && node.oidc) {
    // Kafka 4 fetches only allow-listed key-set URLs, and exits at start when it cannot fetch it.
    if (!(await httpAnswers(node.oidc.jwksUrl))) {
      throw new StackError(
        `Kafka's OAuth listener validates tokens with the key set at ${node.oidc.jwksUrl}, which does not answer: start the OpenID provider first.`,
      );
    }
    jvm.push(`-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=${node.oidc.jwksUrl}`);
  }
  const pid = await startServer({
    name: "Kafka",
    tool: java,
    args: [...jvm, "-cp", classpath, "kafka.Kafka", properties],
    logFile: node.logFile,
    answers: () => kafkaAnswers(node.port),
    timeoutMs: 90_000,
  });
  return { pid, port: node.port, logFile: node.logFile, dataDir: node.dataDir };
}
