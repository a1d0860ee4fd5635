// `policy`, `setup s3` and `setup-doc`: the product page's three starting points, done for you.
import { Option, type Command } from "commander";
import { leastPrivilegePolicy } from "../../core/stores/s3/aws/policy.js";
import { setupDocument } from "../../core/stores/s3/aws/setup-doc.js";
import { definedFields } from "../../core/defined-fields.js";
import { gcloudSetupDocument } from "../../core/stores/gcs/setup-doc.js";
import { azureSetupDocument } from "../../core/stores/azure/setup-doc.js";
import type { Core } from "../../core/index.js";
import { adminCredentialsOf, withAdminOptions, type AdminOptions } from "../admin-options.js";
import { sinkView } from "../../core/sinks/sink-view.js";
import { printJson } from "../output.js";
import { storeTypes, type StoreType } from "../../../common/stores.js";
import { compressions, fileFormats, type Compression, type FileFormatName, type FileKind } from "../../../common/record-format.js";

interface SetupOptions extends AdminOptions {
  pathPrefix?: string;
  region?: string;
  createBucket?: boolean;
  user?: string;
  sink?: string;
  endpoint?: string;
  writeCredentialsFile?: string;
  rotateKey?: boolean;
  compression: Compression[];
  format: FileFormatName[];
}

interface SetupDocOptions {
  sinkType: StoreType;
  pathPrefix?: string;
  region: string;
  user?: string;
  project?: string;
  serviceAccount?: string;
  account?: string;
  resourceGroup?: string;
  sink?: string;
  compression: Compression[];
  format: FileFormatName[];
}

/** Each store's setup document from the options that apply to it (the type checker asks for every store). */
const setupDocuments: Record<StoreType, (bucket: string, options: SetupDocOptions) => string> = {
  S3: (bucket, options) => setupDocument({ ...documentCommon(bucket, options), region: options.region, ...(options.user ? { userName: options.user } : {}) }),
  GCLOUD: (bucket, options) =>
    gcloudSetupDocument({
      ...documentCommon(bucket, options),
      ...(options.project ? { projectId: options.project } : {}),
      ...(options.serviceAccount ? { serviceAccountName: options.serviceAccount } : {}),
    }),
  AZURE: (bucket, options) =>
    azureSetupDocument({
      ...documentCommon(bucket, options),
      ...(options.account ? { accountName: options.account } : {}),
      ...(options.resourceGroup ? { resourceGroup: options.resourceGroup } : {}),
    }),
};

const documentCommon = (bucket: string, options: SetupDocOptions) => ({
  bucket,
  ...definedFields(options, ["pathPrefix"]),
  ...(options.sink ? { sinkName: options.sink } : {}),
  compressions: fileKindsOfOptions(options),
});

/** `--compression none gzip`: how the sink's exporters compress JSON Lines, so the policy and documents cover their files. */
const compressionOption = () =>
  new Option("--compression <kind...>", "how the sink's exporters compress JSON Lines files: none, gzip, zstd (give two while switching)")
    .choices(compressions)
    .default(["none"]);

/** `--format jsonl parquet`: the files the sink's exporters write (a Parquet exporter's -invalid files are JSON Lines). */
const formatOption = () =>
  new Option("--format <format...>", "the files the sink's exporters write: jsonl, parquet (give both while switching)")
    .choices(fileFormats)
    .default(["jsonl"]);

/** The kinds of file the options say: JSON Lines by compression, and Parquet when said (its -invalid files are the JSON Lines kinds). */
const fileKindsOfOptions = (options: { compression: Compression[]; format: FileFormatName[] }): FileKind[] => [
  ...options.compression,
  ...(options.format.includes("parquet") ? (["parquet"] as const) : []),
];

export function registerAwsCommands(program: Command, core: () => Core): void {
  program
    .command("policy <bucket>")
    .description("print the least-privilege IAM policy for a sink's credentials")
    .option("--path-prefix <prefix>", "where the credentials may write")
    .addOption(compressionOption())
    .addOption(formatOption())
    .action((bucket: string, options: { pathPrefix?: string; compression: Compression[]; format: FileFormatName[] }) =>
      printJson(leastPrivilegePolicy(bucket, options.pathPrefix, fileKindsOfOptions(options))),
    );

  program
    .command("setup-doc <bucket>")
    .description(
      "print a Markdown document for whoever administers the AWS account (or, with --sink-type GCLOUD, the Google Cloud project; AZURE, the storage account)",
    )
    .addOption(
      new Option("--sink-type <type>", "S3 (aws CLI commands), GCLOUD (gcloud commands) or AZURE (az commands; the bucket is the container)")
        .choices(storeTypes)
        .default("S3"),
    )
    .option("--path-prefix <prefix>", "where the credentials may write")
    .option("--region <region>", "S3: the bucket's region", "us-east-1")
    .option("--user <name>", "S3: the IAM user to create (default streamdrop-<bucket>)")
    .option("--project <id>", "GCLOUD: the Google Cloud project")
    .option("--service-account <name>", "GCLOUD: the service account to create (default streamdrop-<bucket>)")
    .option("--account <name>", "AZURE: the storage account")
    .option("--resource-group <name>", "AZURE: the storage account's resource group")
    .option("--sink <name>", "the sink name to suggest (default: the bucket name)")
    .addOption(compressionOption())
    .addOption(formatOption())
    .action((bucket: string, options: SetupDocOptions) => {
      process.stdout.write(setupDocuments[options.sinkType](bucket, options));
    });

  const setupS3Command = program
    .command("setup")
    .description("set up cloud storage for a sink")
    .command("s3 <bucket>")
    .description("create (or reuse) the bucket, an IAM user with the least-privilege policy and its key, and a validated sink")
    .option("--path-prefix <prefix>", "where the credentials may write")
    .option("--region <region>", "region for a new bucket", "us-east-1")
    .option("--create-bucket", "create the bucket if it does not exist")
    .option("--user <name>", "IAM user to create (default streamdrop-<bucket>)")
    .option("--sink <name>", "sink to create or update (default: the bucket name)")
    .option("--endpoint <url>", "send S3, IAM and STS calls to this endpoint (S3-compatible stores, tests)")
    .option("--write-credentials-file <file>", "also save the new key as `aws iam create-access-key` prints it (mode 0600)")
    .option("--rotate-key", "the user exists: give it a new key, switch the sink to it and delete the key it used");
  withAdminOptions(setupS3Command)
    .addOption(compressionOption())
    .addOption(formatOption())
    .action(async (bucket: string, options: SetupOptions) => {
      const admin = await adminCredentialsOf(options);
      // The setup loads with it the S3, IAM and STS SDKs, which no other command needs.
      const { setupS3 } = await import("../../core/stores/s3/aws/setup.js");
      const result = await setupS3(
        core().sinks,
        {
          bucket,
          createBucket: options.createBucket ?? false,
          rotateKey: options.rotateKey ?? false,
          admin,
          compressions: fileKindsOfOptions(options),
          ...definedFields(options, ["pathPrefix", "region", "endpoint", "writeCredentialsFile"]),
          ...(options.user ? { userName: options.user } : {}),
          ...(options.sink ? { sinkName: options.sink } : {}),
        },
        (step) => process.stderr.write(`${step}\n`),
      );
      printJson({
        ...sinkView(result.sink),
        setup: {
          bucket: result.bucket.state,
          iamUser: result.userName,
          accessKeyId: result.accessKeyId,
          ...(result.deletedKeyId ? { deletedAccessKeyId: result.deletedKeyId } : {}),
          ...(result.credentialsFile ? { credentialsFile: result.credentialsFile } : {}),
        },
        validation: { region: result.validation.region, file: result.validation.uri },
      });
    });
}
