// When AWS refused a write that one more statement would allow (an exporter switched to gzip,
// say), the policy's difference: the statement to add, marked as added, ready to copy.
import type { Fix, PolicyStatement } from "../../../common/fixes";
import { CopyButton } from "./ui";

export function statementOf(fixes: readonly Fix[] | undefined): PolicyStatement | undefined {
  const fix = fixes?.find((candidate) => candidate.id === "add-policy-statement");
  return fix?.id === "add-policy-statement" ? fix.statement : undefined;
}

/** The statement as lines of a diff against the policy's Statement list. */
export function statementDiff(statement: PolicyStatement): string {
  const added = JSON.stringify(statement, null, 2)
    .split("\n")
    .map((line) => `+   ${line}`);
  return ['  "Statement": [', "    …the statements it has,", ...added, "  ]"].join("\n");
}

/** `whose`: the credentials the policy belongs to, in words ("the sink's", "the login's"). */
export function PolicyStatementFix({ fixes, whose = "the sink's", then = "try again" }: { fixes: readonly Fix[] | undefined; whose?: string; then?: string }) {
  const statement = statementOf(fixes);
  if (!statement) return null;
  return (
    <section className="panel" aria-label="The policy's difference">
      <p>
        Add this statement to the policy of {whose} IAM user or role (IAM in the AWS console), then {then}:
      </p>
      <pre tabIndex={0} className="code diff" aria-label="The statement to add">
        {statementDiff(statement)}
      </pre>
      <div className="actions">
        <CopyButton text={JSON.stringify(statement, null, 2)} label="Copy the statement" />
      </div>
    </section>
  );
}
