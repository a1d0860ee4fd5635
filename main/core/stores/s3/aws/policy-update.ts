// Mending the policy of the IAM user Streamdrop made for a sink, when its exporters need more (or
// less) than the policy allows: an exporter switching to gzip needs `*.jsonl.gz`. The policy the
// user must have is the least-privilege one for every exporter on the sink (their compressions,
// under the sink's prefix, where theirs lie); the one it has is read with admin credentials, lent
// once. A put is proven by writes the new policy allows, made with the sink's own key.
import type { IAMClient } from "@aws-sdk/client-iam";
import { fileKindFormats, kindsOrPlain, type FileKind } from "../../../../../common/record-format.js";
import { StreamdropError } from "../../../errors.js";
import type { SinkService } from "../../../sinks/sink-service.js";
import type { ValidationResult } from "../../validation.js";
import type { S3SinkRecord } from "../record.js";
import { adminAccess, adminIdentity, type AdminCredentials } from "./admin.js";
import { leastPrivilegePolicy, type PolicyDocument } from "./policy.js";
import { isSamePolicy, policyDifference, type PolicyDifference } from "./policy-difference.js";
import { newPolicyErrors, whileIamPropagates } from "./propagation.js";
import type { StepReporter } from "./setup.js";
import { sinkUserOf } from "./sink-user.js";
import { defaultPolicyName, putUserPolicy, readUserPolicy } from "./writer-user.js";

export interface PolicyChangeInput {
  sinkName: string;
  admin: AdminCredentials;
  /** Compressions to allow besides those the sink's exporters use: one an exporter is about to switch to. */
  compressions?: FileKind[];
  /**
   * The proposed policy as the person saw it (JSON text, `policyChange`'s): the update puts only
   * that one, and refuses when what is needed changed meanwhile (an exporter added or switched).
   */
  expected?: string;
}

export interface PolicyChange {
  sinkName: string;
  userName: string;
  policyName: string;
  /** What the proposed policy lets the sink's key write. */
  compressions: FileKind[];
  /** The user's inline policy now, as IAM holds it; undefined when it has none of that name. */
  current: unknown;
  proposed: PolicyDocument;
  difference: PolicyDifference;
}

export interface PolicyUpdate {
  change: PolicyChange;
  /** False when the user's policy was already the one proposed (nothing was put). */
  updated: boolean;
  /** The validation files the sink's key wrote under the new policy, one per compression it allows. */
  confirmed: ValidationResult[];
}

/** What the policy of the sink's IAM user must become, beside what it is. Changes nothing. */
export async function policyChange(sinks: SinkService, input: PolicyChangeInput, report: StepReporter = () => undefined): Promise<PolicyChange> {
  const { change } = await readChange(sinks, input, report);
  return change;
}

/** Puts the proposed policy on the sink's IAM user, and proves it with the sink's key. */
export async function updatePolicy(sinks: SinkService, input: PolicyChangeInput, report: StepReporter = () => undefined): Promise<PolicyUpdate> {
  const { change, sink, iam } = await readChange(sinks, input, report);
  try {
    if (input.expected !== undefined && !sameDocument(input.expected, change.proposed)) {
      throw new StreamdropError(
        "conflict",
        `What sink ${sink.name}'s exporters need changed since the policy's difference was shown: nothing was put. Show the difference again, then update.`,
      );
    }
    if (isSamePolicy(change.difference)) {
      report(`IAM user ${change.userName}'s policy ${change.policyName} already allows what sink ${sink.name}'s exporters write; nothing changed.`);
      return { change, updated: false, confirmed: [] };
    }
    await putUserPolicy(iam, change.userName, change.policyName, change.proposed);
    report(
      `Put the policy ${change.policyName} on IAM user ${change.userName}: ${change.difference.added.length} permission(s) added, ${change.difference.removed.length} removed.`,
    );
  } finally {
    iam.destroy();
  }
  const confirmed = await confirmWrites(sinks, sink, change);
  // Exporters the old policy refused wait out a slow retry; the engines running them (the app, a `run`) restart them now.
  await sinks.noteCredentialsChanged(sink.name);
  report(
    `The sink's key writes ${change.compressions.map((kind) => `*${fileKindFormats[kind].suffix}`).join(" and ")} files: ${confirmed.map((file) => file.uri).join(", ")}`,
  );
  return { change, updated: true, confirmed };
}

/** The same policy document, whatever its spacing. */
function sameDocument(text: string, document: PolicyDocument): boolean {
  try {
    return JSON.stringify(JSON.parse(text)) === JSON.stringify(document);
  } catch {
    return false;
  }
}

async function readChange(
  sinks: SinkService,
  input: PolicyChangeInput,
  report: StepReporter,
): Promise<{ change: PolicyChange; sink: S3SinkRecord; iam: IAMClient }> {
  const record = await sinks.get(input.sinkName);
  const compressions = kindsOrPlain([...(await sinks.exporterFileKinds(record.name)), ...(input.compressions ?? [])]);
  const proposed = leastPrivilegePolicy(record.bucket, record.pathPrefix, compressions);
  const { sink, userName } = sinkUserOf(record, "Streamdrop cannot change the policy of its credentials", () => [
    { id: "add-policy-statement", statement: proposed.Statement.find((statement) => statement.Action.includes("s3:PutObject"))! },
  ]);
  const access = adminAccess(input.admin, sink.endpoint);
  const identity = await adminIdentity(access);
  report(`Using admin credentials of ${identity.arn} (account ${identity.account}); they are not stored.`);
  const iam = await access.iam();
  try {
    const current = await readUserPolicy(iam, userName, defaultPolicyName).catch((error: unknown) => {
      throw error instanceof StreamdropError && error.code === "not-found"
        ? new StreamdropError("not-found", `${error.message} Sink ${sink.name} was set up with it; set the sink up again, or give it new credentials.`, {
            fixes: [{ id: "replace-credentials", sink: sink.name, bucket: sink.bucket }],
          })
        : error;
    });
    const change = {
      sinkName: sink.name,
      userName,
      policyName: defaultPolicyName,
      compressions,
      current,
      proposed,
      difference: policyDifference(current, proposed),
    };
    return { change, sink, iam };
  } catch (error) {
    iam.destroy();
    throw error;
  }
}

/** One validation file per compression the policy allows, with the sink's key, while IAM spreads the new policy. */
async function confirmWrites(sinks: SinkService, sink: S3SinkRecord, change: PolicyChange): Promise<ValidationResult[]> {
  const confirmed: ValidationResult[] = [];
  for (const compression of change.compressions) {
    try {
      confirmed.push(await whileIamPropagates(() => sinks.validateAt(sink, sink.pathPrefix, compression), newPolicyErrors));
    } catch (error) {
      if (!(error instanceof StreamdropError)) throw error;
      throw new StreamdropError(
        error.code,
        `The policy of IAM user ${change.userName} is updated, but the sink's key still cannot write with it: ${error.message}`,
        {
          cause: error,
          fixes: error.fixes,
        },
      );
    }
  }
  return confirmed;
}
