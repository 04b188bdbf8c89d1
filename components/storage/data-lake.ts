import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { denyInsecureTransport, policyJson, PolicyStatement } from "../shared/iam";
import { TAG_KEYS } from "../shared/tags";
import { AwsScope, awsScope } from "../shared/aws-scope";
import { assertValidArgs } from "../shared/args";
import { DataLakeRef } from "../shared/locations";
import { NamePrefixArgs, namePrefixOf } from "../shared/names";
import { ZoneLifecycle, zoneLifecycleRules } from "../../decisions/lifecycle";
import { DATA_ZONES, DataZone } from "../../decisions/pipeline";
import { ArgsProblem, problemAt } from "../../decisions/problems";
import { bucketPrefixError } from "../../decisions/s3";
import { accountRootStatement, cloudWatchLogsStatement } from "./kms";

export { DATA_ZONES, DataZone };

/** What each bucket of the lake is for; its name starts with `<namePrefix>-<purpose>-`. */
export const LAKE_BUCKET_PURPOSES = [...DATA_ZONES, "artifacts", "logs"] as const;

/**
 * Physical names: buckets `<namePrefix>-<raw|curated|analytics|artifacts|logs>-<unique suffix>`,
 * key alias `alias/<namePrefix>-data-lake`.
 */
export interface DataLakeArgs extends NamePrefixArgs {
  /** Lifecycle per data zone. */
  zones: Record<DataZone, ZoneLifecycle>;
  abortIncompleteUploadDays: number;
  logsExpireDays: number;
  artifactsNoncurrentExpireDays: number;
  /** Keep data buckets and the key when the stack is destroyed (prod). */
  retainOnDelete: boolean;
}

/**
 * Every problem with a lake's args: its name prefix must start valid bucket names with room for
 * the longest purpose and the provider's unique suffix.
 */
export function validateDataLakeArgs(name: string, args: NamePrefixArgs): ArgsProblem[] {
  const prefix = namePrefixOf(name, args);
  const longest = LAKE_BUCKET_PURPOSES.reduce((a, b) => (b.length > a.length ? b : a));
  const problem = bucketPrefixError(`${prefix}-${longest}-`);
  return problemAt(
    [args.namePrefix === undefined ? "name" : "namePrefix"],
    problem && `starts bucket names ("${prefix}-${longest}-..."): ${problem}`,
    prefix,
  );
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
 * An S3 data lake: raw, curated and analytics zones plus buckets for job
 * artifacts and logs. Every bucket: SSE-KMS with bucket keys (one customer-managed key with
 * rotation), versioning, all public access blocked, ACLs disabled, TLS-only policy, server
 * access logs to the logs bucket, lifecycle rules. The raw bucket sends events to EventBridge
 * so uploads can start pipelines.
 */
export class DataLake extends pulumi.ComponentResource implements DataLakeRef {
  readonly key: aws.kms.Key;
  readonly keyArn: pulumi.Output<string>;
  readonly zones: Record<DataZone, LakeBucket>;
  readonly artifacts: LakeBucket;
  readonly logs: LakeBucket;
  /** The start of the lake's physical names (namePrefixOf). */
  readonly namePrefix: string;
  private readonly scope: AwsScope;

  constructor(name: string, args: DataLakeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:storage:DataLake", name, {}, opts);
    assertValidArgs("bdp:storage:DataLake", name, validateDataLakeArgs(name, args));
    this.namePrefix = namePrefixOf(name, args);
    this.scope = awsScope(this);
    const child: pulumi.CustomResourceOptions = { parent: this };
    const retained: pulumi.CustomResourceOptions = { parent: this, retainOnDelete: args.retainOnDelete };

    this.key = this.declareKey(name, retained);
    this.keyArn = this.key.arn;
    // Logs first: every other bucket delivers its access logs here.
    this.logs = this.bucket(name, "logs", child, logsLifecycleRules(args));
    this.artifacts = this.bucket(name, "artifacts", child, artifactsLifecycleRules(args));
    const zoneBucket = (zone: DataZone) =>
      this.bucket(name, zone, retained, zoneLifecycleRules(args.zones[zone], args.abortIncompleteUploadDays));
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
  private declareKey(name: string, retained: pulumi.CustomResourceOptions): aws.kms.Key {
    const scope = this.scope;
    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Data lake key of ${this.namePrefix} (S3, Glue, EMR, logs)`,
        enableKeyRotation: true,
        rotationPeriodInDays: 365,
        deletionWindowInDays: 30,
        policy: policyJson([
          accountRootStatement(scope.partition, scope.accountId),
          cloudWatchLogsStatement(scope.partition, scope.region, scope.accountId),
          {
            Sid: "S3ServerAccessLogDelivery",
            Effect: "Allow",
            Principal: { Service: "logging.s3.amazonaws.com" },
            Action: ["kms:GenerateDataKey"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": scope.accountId } },
          },
        ]),
      },
      retained,
    );
    new aws.kms.Alias(
      `${name}-key-alias`,
      { name: `alias/${this.namePrefix}-data-lake`, targetKeyId: key.keyId },
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
    purpose: (typeof LAKE_BUCKET_PURPOSES)[number],
    opts: pulumi.CustomResourceOptions,
    lifecycleRules: LifecycleRules,
  ): LakeBucket {
    const child = { parent: this };
    const isLogs = purpose === "logs";
    const bucket = new aws.s3.Bucket(
      `${name}-${purpose}`,
      {
        bucketPrefix: `${this.namePrefix}-${purpose}-`,
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
      const { accountId } = this.scope;
      statements.push({
        Sid: "S3ServerAccessLogDelivery",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: ["s3:PutObject"],
        Resource: [pulumi.interpolate`${bucket.arn}/s3-access/*`],
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
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
