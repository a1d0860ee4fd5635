// Apache Kafka 4.3.1, one KRaft node (broker + controller), run from its Maven Central jars.
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { mavenClasspath } from "./build-tools.js";
import { logDir, repoRoot, stateDir } from "./paths.js";
import { host, ports } from "./ports.js";
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
  dataDir: join(stateDir, "kafka-data"),
  logFile: join(logDir, "kafka.log"),
});

/** The CA that signs a node's TLS listener certificate: clients trust it with `--ca-file`. */
export const kafkaCaFile = (node: KafkaNode) => join(node.dataDir, "tls", "ca.pem");

const openssl: Tool = { command: "openssl", install: "Install OpenSSL, e.g. `apt-get install -y openssl`." };

/** A throwaway CA and a server certificate for 127.0.0.1, in the PEM keystore Kafka reads. */
function makeTlsFiles(node: KafkaNode): string {
  const dir = join(node.dataDir, "tls");
  mkdirSync(dir, { recursive: true });
  const file = (name: string) => join(dir, name);
  runTool(openssl, [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    file("ca.key"),
    "-out",
    file("ca.pem"),
    "-days",
    "3650",
    "-subj",
    "/CN=Streamdrop local stack CA",
  ]);
  runTool(openssl, ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", file("server.key"), "-out", file("server.csr"), "-subj", `/CN=${host}`]);
  writeFileSync(file("san.ext"), `subjectAltName=IP:${host},DNS:localhost\n`);
  runTool(openssl, [
    "x509",
    "-req",
    "-in",
    file("server.csr"),
    "-CA",
    file("ca.pem"),
    "-CAkey",
    file("ca.key"),
    "-CAcreateserial",
    "-out",
    file("server.pem"),
    "-days",
    "3650",
    "-extfile",
    file("san.ext"),
  ]);
  const keystore = file("keystore.pem");
  writeFileSync(keystore, readFileSync(file("server.key"), "utf8") + readFileSync(file("server.pem"), "utf8"), { mode: 0o600 });
  return keystore;
}

function serverProperties({ port, controllerPort, saslPort, sslPort, dataDir }: KafkaNode, keystore?: string): string {
  const sasl = [...(saslPort === undefined ? [] : [`SASL_PLAINTEXT://${host}:${saslPort}`]), ...(sslPort === undefined ? [] : [`SSL://${host}:${sslPort}`])];
  const tls = sslPort === undefined || !keystore ? [] : ["listener.name.ssl.ssl.keystore.type=PEM", `listener.name.ssl.ssl.keystore.location=${keystore}`];
  const { username, password } = stackScramUser;
  const saslLogins = [
    ...["scram-sha-256", "scram-sha-512"].map(
      (mechanism) => `listener.name.sasl_plaintext.${mechanism}.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;`,
    ),
    `listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_${username}="${password}";`,
  ];
  return [
    "process.roles=broker,controller",
    "node.id=1",
    `controller.quorum.voters=1@${host}:${controllerPort}`,
    `listeners=${[`PLAINTEXT://${host}:${port}`, `CONTROLLER://${host}:${controllerPort}`, ...sasl].join(",")}`,
    `advertised.listeners=${[`PLAINTEXT://${host}:${port}`, ...sasl].join(",")}`,
    "controller.listener.names=CONTROLLER",
    "inter.broker.listener.name=PLAINTEXT",
    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL",
    ...tls,
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
 * cluster is an explicit choice (`fresh: true`). Resolves once kafkajs can talk to it.
 */
export async function startKafka(node: KafkaNode = stackKafka(), { fresh = false } = {}): Promise<Running> {
  runTool(java, ["-version"]);
  const classpath = kafkaClasspath();
  const properties = join(node.dataDir, "server.properties");
  if (fresh || !existsSync(join(node.dataDir, "logs", "meta.properties"))) {
    rmSync(node.dataDir, { recursive: true, force: true });
    mkdirSync(node.dataDir, { recursive: true });
    writeFileSync(properties, serverProperties(node, node.sslPort === undefined ? undefined : makeTlsFiles(node)));
    const { username, password } = stackScramUser;
    const users =
      node.saslPort === undefined
        ? []
        : ["SCRAM-SHA-256", "SCRAM-SHA-512"].flatMap((mechanism) => ["--add-scram", `${mechanism}=[name=${username},password=${password}]`]);
    runTool(java, ["-cp", classpath, "kafka.tools.StorageTool", "format", "-t", randomUUID(), "-c", properties, ...users]);
  }
  const jvm = ["-Xms256m", "-Xmx768m", "-XX:+UseG1GC", `-Dlog4j2.configurationFile=${log4jConfig}`];
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
