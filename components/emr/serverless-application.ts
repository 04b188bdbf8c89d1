import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import {
  emrReleaseLabel,
  emrServerlessIdleTimeoutMinutes,
  emrServerlessMaximumCapacity,
  emrServerlessSparkDefaults,
} from "../../decisions/emr";
import { LogRetentionDays } from "../../decisions/logs";
import { SlaTier } from "../../decisions/sla-tier";
import { policyJson, PolicyStatement } from "../shared/iam";
import { pipelineTags, TAG_KEYS } from "../shared/tags";
import { DataLake } from "../storage/data-lake";
import { dataAccessStatements, EmrJobAccess } from "./data-access";
import { awsScope } from "../shared/aws-scope";
import { encryptedLogGroup } from "../shared/log-group";

export interface EmrServerlessApplicationArgs {
  /** Pipeline the application runs (tag `pipeline`). */
  pipeline: string;
  /** SLA tier (tag `sla-tier`); every tier runs on ARM64 (Graviton). */
  tier: SlaTier;
  /** EMR 7 release label; default DEFAULT_EMR_RELEASE_LABEL. */
  releaseLabel?: string;
  /** Upper bound of all workers together. */
  maximumVcpu: number;
  maximumMemoryGb: number;
  /** The application stops (and stops billing pre-initialized capacity) after this many idle minutes. */
  idleTimeoutMinutes: number;
  /** Lake key and logs bucket (logs go to s3://<logs>/emr-serverless/<name>/). */
  dataLake: DataLake;
  /** What the job runtime role may read and write. */
  access: EmrJobAccess;
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The network's job security group: no inbound, HTTPS out. */
  securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Retention of the application's CloudWatch log group. */
  logRetentionDays: LogRetentionDays;
}

/**
 * An EMR Serverless Spark application for a pipeline: ARM64 (Graviton), auto start on job
 * submission and auto stop when idle, a maximum capacity, private subnets with the job security
 * group, logs to S3 and to an encrypted CloudWatch log group with retention, the Glue Data Catalog
 * as metastore, and the job runtime role jobs run with (pass `executionRole.arn` to StartJobRun).
 */
export class EmrServerlessApplication extends pulumi.ComponentResource {
  readonly application: aws.emrserverless.Application;
  readonly executionRole: aws.iam.Role;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly applicationId: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
  /** s3:// URI job logs go to. */
  readonly logUri: pulumi.Output<string>;

  constructor(name: string, args: EmrServerlessApplicationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("bdp:emr:ServerlessApplication", name, {}, opts);
    const child = { parent: this };
    const releaseLabel = emrReleaseLabel(args.releaseLabel);
    const maximumCapacity = emrServerlessMaximumCapacity(args.maximumVcpu, args.maximumMemoryGb);
    const idleTimeoutMinutes = emrServerlessIdleTimeoutMinutes(args.idleTimeoutMinutes);
    const scope = awsScope(this);
    const lake = args.dataLake;
    const keyArn = lake.key.arn;
    const logPrefix = `emr-serverless/${name}/`;
    const tags = pipelineTags(args.pipeline, args.tier);
    this.logUri = pulumi.interpolate`s3://${lake.logs.name}/${logPrefix}`;

    this.logGroup = encryptedLogGroup(
      `${name}-logs`,
      {
        logGroupName: `/aws/emr-serverless/${name}`,
        retentionInDays: args.logRetentionDays,
        kmsKeyArn: keyArn,
        tags,
      },
      child,
    );

    this.application = new aws.emrserverless.Application(
      name,
      {
        name,
        type: "spark",
        releaseLabel,
        architecture: "ARM64",
        autoStartConfiguration: { enabled: true },
        autoStopConfiguration: { enabled: true, idleTimeoutMinutes },
        maximumCapacity,
        networkConfiguration: { subnetIds: args.privateSubnetIds, securityGroupIds: args.securityGroupIds },
        monitoringConfiguration: {
          s3MonitoringConfiguration: { logUri: this.logUri, encryptionKeyArn: keyArn },
          cloudwatchLoggingConfiguration: {
            enabled: true,
            logGroupName: this.logGroup.name,
            encryptionKeyArn: keyArn,
            logTypes: [
              { name: "SPARK_DRIVER", values: ["STDOUT", "STDERR"] },
              { name: "SPARK_EXECUTOR", values: ["STDOUT", "STDERR"] },
            ],
          },
        },
        runtimeConfigurations: [
          { classification: "spark-defaults", properties: emrServerlessSparkDefaults() },
        ],
        tags: { ...tags, [TAG_KEYS.component]: "emr-serverless" },
      },
      child,
    );
    this.applicationId = this.application.id;
    this.arn = this.application.arn;

    this.executionRole = new aws.iam.Role(
      `${name}-job`,
      {
        description:
          "EMR Serverless job runtime role: the pipeline's data, scripts, logs, catalog and lake key",
        tags,
        assumeRolePolicy: policyJson([
          {
            Effect: "Allow",
            Principal: { Service: "emr-serverless.amazonaws.com" },
            Action: ["sts:AssumeRole"],
            Condition: {
              StringEquals: { "aws:SourceAccount": scope.accountId },
              // Only job runs of this application.
              ArnLike: {
                "aws:SourceArn": [this.application.arn, pulumi.interpolate`${this.application.arn}/*`],
              },
            },
          },
        ]),
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-job`,
      {
        role: this.executionRole.id,
        policy: policyJson([
          ...dataAccessStatements({ ...args.access, keyArn }, scope),
          ...serverlessLogStatements(lake.logs.arn, logPrefix, this.logGroup.arn),
        ]),
      },
      child,
    );

    this.registerOutputs({
      applicationId: this.applicationId,
      arn: this.arn,
      executionRoleArn: this.executionRole.arn,
      logGroupName: this.logGroup.name,
    });
  }
}

/** Job logs: S3 under the application's prefix, and the application's CloudWatch log group. */
export function serverlessLogStatements(
  logsBucketArn: pulumi.Input<string>,
  logPrefix: pulumi.Input<string>,
  logGroupArn: pulumi.Input<string>,
): PolicyStatement[] {
  return [
    {
      Sid: "PushJobLogs",
      Effect: "Allow",
      Action: ["s3:PutObject"],
      Resource: [pulumi.interpolate`${logsBucketArn}/${logPrefix}*`],
    },
    {
      Sid: "LocateLogsBucket",
      Effect: "Allow",
      Action: ["s3:GetBucketLocation"],
      Resource: [logsBucketArn],
    },
    {
      // EMR Serverless checks the log group exists before it streams to it. DescribeLogGroups has
      // no resource type, so only "*" grants it (a log-group ARN pattern never matches):
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html
      Sid: "FindLogGroup",
      Effect: "Allow",
      Action: ["logs:DescribeLogGroups"],
      Resource: "*",
    },
    {
      Sid: "WriteLogGroup",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
      Resource: [logGroupArn, pulumi.interpolate`${logGroupArn}:log-stream:*`],
    },
  ];
}
