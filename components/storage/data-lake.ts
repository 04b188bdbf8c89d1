import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { denyInsecureTransport, policyJson, PolicyStatement } from "../shared/iam";
import { TAG_KEYS } from "../shared/tags";
import { ZoneLifecycle, zoneLifecycleRules } from "../../decisions/lifecycle";
import { accountRootStatement, cloudWatchLogsStatement } from "./kms";

export const DATA_ZONES = ["raw", "curated", "analytics"] as const;
export type DataZone = (typeof DATA_ZONES)[number];

export interface DataLakeArgs {
  /** Short environment name, used in bucket name prefixes (`bdp-<env>-raw-`). */
  environment: string;
  /** Lifecycle per data zone. */
  zones: Record<DataZone, ZoneLifecycle>;
  abortIncompleteUploadDays: number;
  logsExpireDays: number;
  artifactsNoncurrentExpireDays: number;
  /** Keep data buckets and the key when the stack is destroyed (prod). */
  retainOnDelete: boolean;
}

/** One bucket of the lake with the settings every bucket gets. */
export interface LakeBucket {
  bucket: aws.s3.Bucket;
  name: pulumi.Output<string>;
  arn: pulumi.Output<string>;
}

type LifecycleRules = aws.s3.BucketLifecycleConfigurationArgs["rules"];

/** The logs bucket: access and job logs expire after `logsExpireDays`. */
function logsLifecycleRules(args: DataLakeArgs): LifecycleRules {
  return [
    {
      id: "expire-logs",
      status: "Enabled",
      filter: {},
      abortIncompleteMultipartUpload: { daysAfterInitiation: args.abortIncompleteUploadDays },
      expiration: { days: args.logsExpireDays },
      noncurrentVersionExpiration: { noncurrentDays: 1 },
    },
  ];
}

/** The artifacts bucket: old script versions expire; scratch space under tmp/ after a week. */
function artifactsLifecycleRules(args: DataLakeArgs): LifecycleRules {
  return [
    {
      id: "artifact-versions",
      status: "Enabled",
      filter: {},
      abortIncompleteMultipartUpload: { daysAfterInitiation: args.abortIncompleteUploadDays },
      noncurrentVersionExpiration: { noncurrentDays: args.artifactsNoncurrentExpireDays },
    },
    {
      // Spark and Glue scratch space: never worth keeping.
      id: "expire-temporary",
      status: "Enabled",
      filter: { prefix: "tmp/" },
      expiration: { days: 7 },
      noncurrentVersionExpiration: { noncurrentDays: 1 },
    },
  ];
}

/**
 * The environment's S3 data lake: raw, curated and analytics zones plus buckets for job
 * artifacts and logs. Every bucket: SSE-KMS with bucket keys (one customer-managed key with
 * rotation), versioning, all public access blocked, ACLs disabled, TLS-only policy, server
 * access logs to the logs bucket, lifecycle rules. The raw bucket sends events to EventBridge
 * so uploads can start pipelines.
 */
export class DataLake extends pulumi.ComponentResource {
  readonly key: aws.kms.Key;
  readonly zones: Record<DataZone, LakeBucket>;
  readonly artifacts: LakeBucket;
  readonly logs: LakeBucket;

  constructor(name: string, args: DataLakeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:storage:DataLake", name, {}, opts);
    const child: pulumi.CustomResourceOptions = { parent: this };
    const retained: pulumi.CustomResourceOptions = { parent: this, retainOnDelete: args.retainOnDelete };

    this.key = this.declareKey(name, args, retained);
    // Logs first: every other bucket delivers its access logs here.
    this.logs = this.bucket(name, "logs", args, child, logsLifecycleRules(args));
    this.artifacts = this.bucket(name, "artifacts", args, child, artifactsLifecycleRules(args));
    const zoneBucket = (zone: DataZone) =>
      this.bucket(
        name,
        zone,
        args,
        retained,
        zoneLifecycleRules(args.zones[zone], args.abortIncompleteUploadDays),
      );
    this.zones = {
      raw: zoneBucket("raw"),
      curated: zoneBucket("curated"),
      analytics: zoneBucket("analytics"),
    };

    // Uploads to the raw zone become EventBridge events ("Object Created") that start pipelines.
    new aws.s3.BucketNotification(
      `${name}-raw-events`,
      { bucket: this.zones.raw.bucket.id, eventbridge: true },
      child,
    );

    this.registerOutputs({
      keyArn: this.key.arn,
      buckets: {
        raw: this.zones.raw.name,
        curated: this.zones.curated.name,
        analytics: this.zones.analytics.name,
        artifacts: this.artifacts.name,
        logs: this.logs.name,
      },
    });
  }

  /** The lake's key (rotated yearly), usable by CloudWatch Logs and S3 server access log delivery. */
  private declareKey(name: string, args: DataLakeArgs, retained: pulumi.CustomResourceOptions): aws.kms.Key {
    const identity = aws.getCallerIdentityOutput({}, { parent: this });
    const partition = aws.getPartitionOutput({}, { parent: this });
    const region = aws.getRegionOutput({}, { parent: this });
    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Data lake key of the ${args.environment} environment (S3, Glue, EMR, logs)`,
        enableKeyRotation: true,
        rotationPeriodInDays: 365,
        deletionWindowInDays: 30,
        policy: policyJson([
          accountRootStatement(partition.partition, identity.accountId),
          cloudWatchLogsStatement(partition.partition, region.region, identity.accountId),
          {
            Sid: "S3ServerAccessLogDelivery",
            Effect: "Allow",
            Principal: { Service: "logging.s3.amazonaws.com" },
            Action: ["kms:GenerateDataKey"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": identity.accountId } },
          },
        ]),
      },
      retained,
    );
    new aws.kms.Alias(
      `${name}-key-alias`,
      { name: `alias/bdp-${args.environment}-data-lake`, targetKeyId: key.keyId },
      { parent: this },
    );
    return key;
  }

  /** The bucket of a zone. */
  zone(zone: DataZone): LakeBucket {
    return this.zones[zone];
  }

  private bucket(
    name: string,
    purpose: string,
    args: DataLakeArgs,
    opts: pulumi.CustomResourceOptions,
    lifecycleRules: LifecycleRules,
  ): LakeBucket {
    const child = { parent: this };
    const isLogs = purpose === "logs";
    const bucket = new aws.s3.Bucket(
      `${name}-${purpose}`,
      {
        bucketPrefix: `bdp-${args.environment}-${purpose}-`,
        forceDestroy: false,
        tags: { [TAG_KEYS.component]: `data-lake-${purpose}` },
      },
      opts,
    );
    new aws.s3.BucketOwnershipControls(
      `${name}-${purpose}-ownership`,
      { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      child,
    );
    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
      `${name}-${purpose}-public-access`,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      child,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-${purpose}-encryption`,
      {
        bucket: bucket.id,
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.key.arn },
            bucketKeyEnabled: true,
          },
        ],
      },
      child,
    );
    const versioning = new aws.s3.BucketVersioning(
      `${name}-${purpose}-versioning`,
      { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
      child,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-${purpose}-lifecycle`,
      { bucket: bucket.id, rules: lifecycleRules },
      { parent: this, dependsOn: [versioning] },
    );
    const statements: PolicyStatement[] = [denyInsecureTransport(bucket.arn)];
    if (isLogs) {
      const identity = aws.getCallerIdentityOutput({}, { parent: this });
      statements.push({
        Sid: "S3ServerAccessLogDelivery",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: ["s3:PutObject"],
        Resource: [pulumi.interpolate`${bucket.arn}/s3-access/*`],
        Condition: { StringEquals: { "aws:SourceAccount": identity.accountId } },
      });
    }
    new aws.s3.BucketPolicy(
      `${name}-${purpose}-policy`,
      { bucket: bucket.id, policy: policyJson(statements) },
      // The public access block must exist first, or S3 may evaluate the policy as public.
      { parent: this, dependsOn: [publicAccessBlock] },
    );
    if (!isLogs) {
      new aws.s3.BucketLogging(
        `${name}-${purpose}-access-logs`,
        {
          bucket: bucket.id,
          targetBucket: this.logs.bucket.id,
          targetPrefix: `s3-access/${purpose}/`,
        },
        child,
      );
    }
    return { bucket, name: bucket.bucket, arn: bucket.arn };
  }
}
