// The one place that sorts an exporter's failures into the two kinds:
// - transient (a broker or store unreachable, a rebalance, throttling): retried with backoff, the
//   exporter stays retrying;
// - needing a person (a record batch no codec can read, authorization refused, the topic deleted,
//   SASL refused, the bucket gone, the key revoked): retrying cannot fix them, so the exporter goes
//   into an error state whose message says what is wrong and what to do, and it tries again only
//   slowly (the person may fix it meanwhile: it then recovers by itself).
import type { Fix } from "../../../common/fixes.js";
import type { ProblemCause } from "../../../common/problems.js";
import { StreamdropError } from "../errors.js";
import { CodecError } from "../streams/codecs.js";
import type { KafkaLogin } from "../streams/logins/kafka-login.js";
import { loginRefused, loginSummary, type LoginSummary } from "../streams/logins/login-refused.js";
import { mskNeedOf, mskStatement } from "../streams/logins/msk-iam-policy.js";
import { tlsProblem } from "../streams/tls-problems.js";

export type { ProblemCause };

/** A failure that needs a person. Its message names the cause in words and says what to do. */
export class NeedsPersonError extends StreamdropError {
  override name = "NeedsPersonError";
  constructor(
    readonly problem: ProblemCause,
    message: string,
    options?: { cause?: unknown; fixes?: readonly Fix[] },
  ) {
    super(
      problem === "storage-refused"
        ? "storage"
        : problem === "codec"
          ? "invalid-input"
          : problem === "export-log" || problem === "spool" || problem === "pending-file" || problem === "tls"
            ? "config"
            : "credentials",
      message,
      options,
    );
  }
}

export interface KafkaContext {
  topic: string;
  brokers: string[];
  groupId: string;
  login?: LoginSummary;
  /** The stream's own CA certificate file, if it has one: certificate failures name it. */
  caFile?: string;
  /** The client certificate (PEM) the worker shows, if any: a refusal of it is checked for expiry. */
  clientCertificate?: string;
}

/** What a worker's Kafka failures are explained with. */
export const kafkaContextOf = (spec: {
  topic: string;
  groupId: string;
  kafka: { brokers: string[]; sasl?: KafkaLogin | undefined; caFile?: string | undefined; clientCertificate?: { cert: string } | undefined };
}): KafkaContext => ({
  topic: spec.topic,
  brokers: spec.kafka.brokers,
  groupId: spec.groupId,
  ...(spec.kafka.sasl ? { login: loginSummary(spec.kafka.sasl)! } : {}),
  ...(spec.kafka.caFile ? { caFile: spec.kafka.caFile } : {}),
  ...(spec.kafka.clientCertificate ? { clientCertificate: spec.kafka.clientCertificate.cert } : {}),
});

interface KafkaErrorShape {
  name?: string;
  message?: string;
  type?: string;
  cause?: unknown;
  originalError?: unknown;
}

/** The error and every cause below it (kafkajs wraps: NumberOfRetriesExceeded -> the real one). */
export function kafkaErrorChain(error: unknown): KafkaErrorShape[] {
  const seen: KafkaErrorShape[] = [];
  let current = error as KafkaErrorShape | undefined;
  while (current && typeof current === "object" && !seen.includes(current) && seen.length < 10) {
    seen.push(current);
    current = (current.cause ?? current.originalError) as KafkaErrorShape | undefined;
  }
  return seen;
}

/**
 * On an MSK IAM login, Kafka's authorization refusals come from the credentials' IAM policy, not
 * from ACLs: the fix is the statement to add to that policy (as a store's refusal gives for S3).
 */
function mskAuthorization(link: unknown, context: KafkaContext, error: unknown): NeedsPersonError | undefined {
  if (context.login?.mechanism !== "aws-msk-iam" || !context.login.region) return undefined;
  const need = mskNeedOf(link);
  // A refused login ("connect") is said by loginRefused, with the Connect statement.
  if (!need || need === "connect") return undefined;
  const statement = mskStatement(need, { region: context.login.region, topic: context.topic, groupId: context.groupId });
  const what = need === "topic" ? `topic ${context.topic}` : need === "group" ? `consumer group ${context.groupId}` : "the cluster";
  return new NeedsPersonError(
    "kafka-authorization",
    `Amazon MSK refused ${context.login.who} access to ${what}: its IAM policy does not allow ${statement.Action.join(", ")}. Add the statement to the policy of those credentials.`,
    { cause: error, fixes: [{ id: "add-policy-statement", statement }] },
  );
}

/** A kafkajs failure that needs a person, explained; undefined for transient ones. */
export function kafkaProblem(error: unknown, context: KafkaContext): NeedsPersonError | undefined {
  const where = context.brokers.join(",");
  // A certificate the client cannot trust (or an expired one) fails the same way on every retry.
  const tls = tlsProblem(error, { peer: `Kafka at ${where}`, of: "the cluster", caFile: context.caFile, clientCertificate: context.clientCertificate });
  if (tls) return new NeedsPersonError("tls", tls.message, { cause: error, fixes: tls.fixes });
  for (const link of kafkaErrorChain(error)) {
    if (link instanceof NeedsPersonError) return link;
    const text = `${link.name ?? ""} ${link.type ?? ""} ${link.message ?? ""}`;
    if (link.name === "KafkaJSSASLAuthenticationError" || /SASL_AUTHENTICATION_FAILED/.test(text)) {
      const refused = loginRefused(where, context.login, link.message ?? "");
      return new NeedsPersonError("sasl", refused.message, { cause: error, fixes: refused.fixes });
    }
    const iam = mskAuthorization(link, context, error);
    if (iam) return iam;
    if (/TOPIC_AUTHORIZATION_FAILED/.test(text)) {
      return new NeedsPersonError(
        "kafka-authorization",
        `Kafka refused access to topic ${context.topic} (not authorized). Grant the stream's user Read and Describe on the topic.`,
        { cause: error },
      );
    }
    if (/GROUP_AUTHORIZATION_FAILED/.test(text)) {
      return new NeedsPersonError(
        "kafka-authorization",
        `Kafka refused the exporter's consumer group ${context.groupId} (not authorized). Grant the stream's user Read on that group (or on groups starting with streamdrop-).`,
        { cause: error },
      );
    }
    if (/CLUSTER_AUTHORIZATION_FAILED|TRANSACTIONAL_ID_AUTHORIZATION_FAILED/.test(text)) {
      return new NeedsPersonError(
        "kafka-authorization",
        `Kafka at ${where} refused an operation the exporter needs (${link.type ?? link.message}). Grant the stream's user Describe on the cluster.`,
        { cause: error },
      );
    }
    if (link.name === "KafkaJSNotImplemented" && /compression/i.test(text)) {
      return new NeedsPersonError(
        "codec",
        `A record batch in ${context.topic} uses a compression Streamdrop cannot read (${link.message}). Update Streamdrop; the events stay in Kafka meanwhile.`,
        { cause: error },
      );
    }
    if (link instanceof CodecError) {
      return new NeedsPersonError(
        "codec",
        `A record batch in ${context.topic} could not be decompressed (${link.message}). The batch may be corrupt, or written with a codec variant Streamdrop does not know; the events stay in Kafka. Check the topic's producers.`,
        { cause: error },
      );
    }
  }
  return undefined;
}

export const topicDeleted = (context: KafkaContext) =>
  new NeedsPersonError(
    "topic-deleted",
    `Topic ${context.topic} no longer exists on ${context.brokers.join(",")}: it was deleted. Re-create it (the exporter then exports what is produced to it) or delete the exporter.`,
  );

/**
 * A local file could not be written: a full disk or a folder the user cannot write. One wording
 * for every such file (the export log, the spool), so the reason and the fix read the same.
 */
export function localDiskProblem(cause: "export-log" | "spool", what: string, error: unknown, then: string): NeedsPersonError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === "ENOSPC" ? "the disk is full" : code === "EACCES" || code === "EPERM" ? "Streamdrop may not write there" : (error as Error).message;
  const fix = code === "ENOSPC" ? "Free some disk space" : "Fix the folder";
  return new NeedsPersonError(cause, `Cannot write ${what}: ${why}${code ? ` (${code})` : ""}. ${fix} so the exporter can go on: ${then}.`, { cause: error });
}

/** The export log could not take an entry. */
export const exportLogProblem = (file: string, error: unknown): NeedsPersonError =>
  localDiskProblem("export-log", `the export log ${file}`, error, "the last file is in the bucket, and is re-created and logged once it can be");
