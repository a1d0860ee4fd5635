// `create sink`, `list sinks`, `get sink`, `delete sink`: the strm verbs over the sink service; and
// `rotate-key sink`, `update-policy sink` for the IAM user `setup s3` made for a sink.
import { Option, type Command } from "commander";
import type { Core } from "../../core/index.js";
import { planSink, type SinkInput } from "../../core/sinks/sink-options.js";
import { bucketView, sinkView } from "../../core/sinks/sink-view.js";
import { providerOf } from "../../core/stores/registry.js";
import { StreamdropError } from "../../core/errors.js";
import { checkName } from "../../core/names.js";
import { outputOption, printJson, printTable, type OutputFormat } from "../output.js";
import { storeTypes, type StoreType } from "../../../common/stores.js";
import { fileKinds, type FileKind } from "../../../common/record-format.js";
import type { PolicyChange } from "../../core/stores/s3/aws/policy-update.js";
import { adminCredentialsOf, withAdminOptions, type AdminOptions } from "../admin-options.js";

export interface Verbs {
  create: Command;
  list: Command;
  get: Command;
  delete: Command;
  update: Command;
}

interface CreateSinkOptions {
  credentialsFile?: string;
  useDefaultCredentials?: boolean;
  sinkType?: StoreType;
  endpoint?: string;
  region?: string;
  assumeRoleArn?: string;
  pathPrefix?: string;
  dryRun?: boolean;
}

export function registerSinkCommands(program: Command, verbs: Verbs, core: () => Core): void {
  verbs.create
    .command("sink <name> <bucket>")
    .description("create a sink, or update the sink with this name (new credentials replace the old ones)")
    .option(
      "--credentials-file <file>",
      "the JSON printed by `aws iam create-access-key`, S3-compatible {url, accessKey, secretKey}, a Google Cloud service-account key (JSON), or an Azure container SAS URL or connection string; the sink type follows from it",
    )
    .addOption(new Option("--sink-type <type>", "S3, GCLOUD or AZURE, overriding the type the credentials file implies").choices(storeTypes))
    .option("--use-default-credentials", "use the AWS default credential chain (servers without a keychain); nothing is stored")
    .option("--endpoint <url>", "an S3-compatible endpoint (path-style addressing), or a Cloud Storage emulator")
    .option("--region <region>", "the bucket's region (found with GetBucketLocation when left out)")
    .option("--assume-role-arn <arn>", "assume this IAM role with the credentials (STS), refreshed before it expires")
    .option("--path-prefix <prefix>", "where the credentials may write; exporters on the sink stay within it")
    .option("--dry-run", "check everything that needs no network or keychain, print the sink, change nothing")
    .action(async (name: string, bucket: string, options: CreateSinkOptions) => {
      const input = sinkInput(name, bucket, options);
      if (options.dryRun) {
        // Needs no core: a dry run touches no data folder, log or keychain.
        const plan = await planSink(input);
        const credentials = providerOf(plan).secretOf(plan) ? "keychain" : "default-chain";
        printJson({ dryRun: true, sink: { ref: { name: plan.name }, sinkType: plan.type, bucket: bucketView(plan, credentials) } });
        return;
      }
      const saved = await core().sinks.create(input);
      printJson({
        ...sinkView(saved.sink),
        validation: { ...(saved.validation.region ? { region: saved.validation.region } : {}), file: saved.validation.uri },
      });
      process.stderr.write(`${saved.created ? "Created" : "Updated"} sink ${saved.sink.name}; wrote the validation file ${saved.validation.uri}.\n`);
      for (const warning of saved.warnings) process.stderr.write(`Warning: ${warning}\n`);
    });

  verbs.list
    .command("sinks")
    .description("list sinks (never their credentials)")
    .addOption(outputOption("table"))
    .action(async (options: { output: OutputFormat }) => {
      const sinks = await core().sinks.list();
      if (options.output === "json") return printJson({ sinks: sinks.map((sink) => ({ sink: sinkView(sink) })) });
      printTable(
        ["NAME", "TYPE", "BUCKET", "PATH PREFIX", "REGION", "ENDPOINT", "CREDENTIALS"],
        sinks.map((sink) => {
          const view = sinkView(sink);
          return [
            view.ref.name,
            view.sinkType,
            view.bucket.bucketName,
            view.bucket.pathPrefix,
            view.bucket.region,
            view.bucket.endpoint,
            view.bucket.credentials,
          ];
        }),
      );
    });

  verbs.get
    .command("sink <name>")
    .description("show one sink (never its credentials)")
    .option("--recursive", "also show the batch exporters linked to it")
    .addOption(outputOption("json"))
    .action(async (name: string, options: { recursive?: boolean; output: OutputFormat }) => {
      const sink = sinkView(await core().sinks.get(name));
      const exporters = options.recursive ? await core().sinks.linkedExporters(name) : undefined;
      if (options.output === "json")
        return printJson({
          sink,
          ...(exporters
            ? {
                batchExporters: exporters.map((exporter) => ({
                  ref: { name: exporter.name },
                  streamRef: { name: exporter.streamName },
                  sinkName: exporter.sinkName,
                })),
              }
            : {}),
        });
      printTable(
        ["NAME", "TYPE", "BUCKET", "PATH PREFIX", "REGION", "ENDPOINT", "CREDENTIALS"],
        [[sink.ref.name, sink.sinkType, sink.bucket.bucketName, sink.bucket.pathPrefix, sink.bucket.region, sink.bucket.endpoint, sink.bucket.credentials]],
      );
      if (exporters) {
        process.stdout.write("\n");
        printTable(
          ["BATCH EXPORTER", "STREAM"],
          exporters.map((exporter) => [exporter.name, exporter.streamName]),
        );
      }
    });

  registerIamUserCommands(program, core);

  verbs.delete
    .command("sink <name>")
    .description("delete a sink; refused while batch exporters are linked to it")
    .option("--recursive", "delete the linked batch exporters too")
    .action(async (name: string, options: { recursive?: boolean }) => {
      const { sink, deletedExporters } = await core().sinks.delete(name, { recursive: options.recursive ?? false });
      // Admin credentials the app remembered for previews of this sink's files go with it.
      await core().lent.forget(sink.id);
      const also = deletedExporters.length > 0 ? ` and its batch exporters ${deletedExporters.join(", ")}` : "";
      process.stderr.write(`Deleted sink ${name}${also}.\n`);
    });
}

/** `rotate-key sink` and `update-policy sink`: what the CLI may do for the IAM user `setup s3` made for a sink. */
function registerIamUserCommands(program: Command, core: () => Core): void {
  withAdminOptions(
    program
      .command("rotate-key")
      .description("give the IAM user Streamdrop made for a sink a new access key")
      .command("sink <name>")
      .description("a new key for the sink's IAM user (made by `setup s3`): the sink switches to it once it works, and the key it used is deleted"),
  ).action(async (name: string, options: AdminOptions) => {
    const { rotateKey } = await import("../../core/stores/s3/aws/rotate-key.js");
    const result = await rotateKey(core().sinks, { sinkName: name, admin: await adminCredentialsOf(options) }, say);
    printJson({
      ...sinkView(result.sink),
      rotated: { iamUser: result.userName, accessKeyId: result.accessKeyId, ...(result.deletedKeyId ? { deletedAccessKeyId: result.deletedKeyId } : {}) },
      validation: { region: result.validation.region, file: result.validation.uri },
    });
  });

  withAdminOptions(
    program
      .command("update-policy")
      .description("give the policy of the IAM user Streamdrop made for a sink what the sink's exporters need")
      .command("sink <name>")
      .description("put the least-privilege policy for every exporter on the sink on its IAM user (made by `setup s3`), then prove it with the sink's key")
      .addOption(
        new Option(
          "--compression <kind...>",
          "also allow files an exporter is about to write: none (.jsonl), gzip (.jsonl.gz), zstd (.jsonl.zst), parquet (.parquet)",
        ).choices(fileKinds),
      )
      .option("--dry-run", "print how the policy would change, and change nothing"),
  ).action(async (name: string, options: AdminOptions & { compression?: FileKind[]; dryRun?: boolean }) => {
    const input = { sinkName: name, admin: await adminCredentialsOf(options), ...(options.compression ? { compressions: options.compression } : {}) };
    const { policyChange, updatePolicy } = await import("../../core/stores/s3/aws/policy-update.js");
    if (options.dryRun) {
      const change = await policyChange(core().sinks, input, say);
      say(differenceText(change));
      say(`Dry run: the policy of IAM user ${change.userName} is unchanged.`);
      return printJson({ dryRun: true, ...policyView(change), policy: { current: change.current ?? null, proposed: change.proposed } });
    }
    const update = await updatePolicy(core().sinks, input, say);
    if (update.updated) say(differenceText(update.change));
    printJson({ ...policyView(update.change), updated: update.updated, validation: { files: update.confirmed.map((file) => file.uri) } });
  });
}

const say = (text: string) => process.stderr.write(`${text}\n`);

const policyView = (change: PolicyChange) => ({
  sink: change.sinkName,
  iamUser: change.userName,
  policyName: change.policyName,
  added: change.difference.added,
  removed: change.difference.removed,
});

/** The difference as a person reads it: `+` for what the policy would allow anew, `-` for what it would no longer. */
function differenceText(change: PolicyChange): string {
  const { added, removed } = change.difference;
  if (added.length + removed.length === 0)
    return `The policy ${change.policyName} of IAM user ${change.userName} already is the one the sink's exporters need.`;
  const lines = [...added.map((line) => `  + ${line}`), ...removed.map((line) => `  - ${line}`)];
  return [`The policy ${change.policyName} of IAM user ${change.userName}${change.current === undefined ? " (the user has none yet)" : ""}:`, ...lines].join(
    "\n",
  );
}

function sinkInput(name: string, bucket: string, options: CreateSinkOptions): SinkInput {
  // Arguments are checked in the order they are typed, so the first message is about the first mistake.
  checkName("sink", name);
  if (options.credentialsFile && options.useDefaultCredentials) {
    throw new StreamdropError("invalid-input", "Give either --credentials-file or --use-default-credentials, not both.");
  }
  if (!options.credentialsFile && !options.useDefaultCredentials) {
    throw new StreamdropError(
      "invalid-input",
      "A sink needs credentials: give --credentials-file <file> (the JSON of `aws iam create-access-key`, or a Google Cloud service-account key), or --use-default-credentials (S3) on servers.",
    );
  }
  const credentials: SinkInput["credentials"] = options.credentialsFile ? { from: "file", path: options.credentialsFile } : { from: "default-chain" };
  return {
    name,
    bucket,
    credentials,
    ...(options.sinkType !== undefined ? { sinkType: options.sinkType } : {}),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.assumeRoleArn !== undefined ? { assumeRoleArn: options.assumeRoleArn } : {}),
    ...(options.pathPrefix !== undefined ? { pathPrefix: options.pathPrefix } : {}),
  };
}
